import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import { createEsimPlatformSimulator } from '../../src/sandbox/esimplatform';
import { createEsimTradeSimulator } from '../../src/sandbox/esimtrade';
import type { Simulator } from '../../src/sandbox/shared/simulator';
import { startDocumentedStub, type DocumentedRoute, type DocumentedStub } from '../helpers/documented-stub';
import {
  cheapestPlan,
  createReseller,
  credit,
  placeOrder,
  waitForOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Issue 15, "Done when": against a provider that creates the order and then answers 500, or never
 * answers, exactly one upstream order exists per `placeOrder`, and the order ends COMPLETED, found
 * by looking our reference up, with one debit and no refund. The gateway runs with the eSIM
 * platform and eSIMTrade pointed (credentials + `<PROVIDER>_BASE_URL`, README "Pointing a provider
 * at its real API") at a stub that passes every call on to the provider's simulator; on the order
 * create the simulator really creates the order and the stub answers 500, or nothing at all.
 */

type Mode = 'answers 500' | 'never answers';

interface Case {
  readonly id: 'esimplatform' | 'esimtrade';
  readonly simulator: () => Simulator;
  readonly create: RegExp;
  readonly env: (baseUrl: string) => Record<string, string>;
}

const CASES: readonly Case[] = [
  {
    id: 'esimplatform',
    simulator: () => createEsimPlatformSimulator({ orderDelayMs: 0 }),
    create: /\/api\/v1\/orders$/,
    env: (baseUrl) => ({
      ESIMPLATFORM_EMAIL: SANDBOX_CREDENTIALS.esimplatform.email,
      ESIMPLATFORM_PASSWORD: SANDBOX_CREDENTIALS.esimplatform.password,
      ESIMPLATFORM_BASE_URL: baseUrl + SANDBOX_API_PREFIX.esimplatform,
    }),
  },
  {
    id: 'esimtrade',
    simulator: () => createEsimTradeSimulator({ orderDelayMs: 0 }),
    create: /\/portal\/order$/,
    env: (baseUrl) => ({
      ESIMTRADE_ACCESS_CODE: SANDBOX_CREDENTIALS.esimtrade.accessCode,
      ESIMTRADE_SECRET_KEY: SANDBOX_CREDENTIALS.esimtrade.secretKey,
      ESIMTRADE_BASE_URL: baseUrl + SANDBOX_API_PREFIX.esimtrade,
    }),
  },
];

const MODES: readonly Mode[] = ['answers 500', 'never answers'];

describe.each(CASES)('$id: an order whose create is answered unclearly', (c) => {
  let sim: RunningSimulator;
  let stub: DocumentedStub;
  /** Read on every call: the ambiguous create comes first, then everything passes through. */
  let routes: DocumentedRoute[];
  let origin: string;
  let t: TestApp;
  let reseller: Reseller;

  beforeAll(async () => {
    sim = await startSimulator(c.simulator());
    const root = new URL(sim.root);
    origin = root.origin;
    routes = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method): DocumentedRoute => ({
      method,
      path: /.*/,
      forward: origin,
    }));
    stub = await startDocumentedStub(routes);
    t = await startTestApp({
      ...c.env(stub.url + root.pathname),
      UPSTREAM_TIMEOUT_MS: '1000',
      RECONCILE_INTERVAL_MS: '100',
    });
    reseller = await createReseller(t);
    await credit(t, reseller.accountId, '1000');
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    await stub?.close();
    await sim?.close();
  });

  it.each(MODES)(
    'the provider creates it, then %s: one upstream create, COMPLETED by lookup, one debit, no refund',
    async (mode) => {
      const plan = await cheapestPlan(t, reseller.key, c.id);
      expect(plan).toBeDefined();
      routes.unshift(
        mode === 'answers 500'
          ? {
              method: 'POST',
              path: c.create,
              forward: origin,
              status: 500,
              body: { error: 'internal error after the order was created' },
            }
          : { method: 'POST', path: c.create, forward: origin, hang: true },
      );
      const before = stub.callsTo('POST', c.create).length;
      try {
        // With a fallback too: an order whose send is unclear never goes to a second provider.
        const placed = await placeOrder(t, reseller.key, { planId: plan.id, quantity: 1, fallback: 'EQUIVALENT' });
        expect(placed.body.errors).toBeUndefined();
        const order = await waitForOrder(
          t,
          reseller.key,
          placed.body.data.placeOrder.id,
          ['COMPLETED', 'FAILED'],
          15_000,
        );

        expect(order).toMatchObject({ status: 'COMPLETED', failureReason: null, provider: { id: c.id } });
        expect(order.profiles).toHaveLength(1);
        expect(stub.callsTo('POST', c.create).length - before).toBe(1);

        const { transactions } = await wallet(t, reseller.key);
        const moves = transactions.filter((tx) => tx.orderId === order.id);
        expect(moves).toEqual([
          expect.objectContaining({ type: 'ORDER', amount: { amount: `-${order.total.amount}` } }),
        ]);
        expect(transactions.filter((tx) => tx.type === 'REFUND')).toEqual([]);

        // The reconciler keeps running: still one create after a few more passes.
        await new Promise((r) => setTimeout(r, 500));
        expect(stub.callsTo('POST', c.create).length - before).toBe(1);
      } finally {
        routes.shift();
      }
    },
    30_000,
  );
});
