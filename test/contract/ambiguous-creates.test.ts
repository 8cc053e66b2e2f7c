import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { ProviderUnavailableError } from '../../src/domain/errors';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createComiumAdapter } from '../../src/providers/comium';
import { createConnectedYouAdapter } from '../../src/providers/connectedyou';
import { createEsimAccessAdapter } from '../../src/providers/esimaccess';
import { createEsimPlatformAdapter } from '../../src/providers/esimplatform';
import { createEsimTradeAdapter } from '../../src/providers/esimtrade';
import type { ProviderAdapter, UpstreamOrderRequest } from '../../src/providers/provider-adapter';
import { createComiumSimulator } from '../../src/sandbox/comium';
import { createConnectedYouSimulator } from '../../src/sandbox/connectedyou';
import { createEsimAccessSimulator } from '../../src/sandbox/esimaccess';
import { createEsimPlatformSimulator } from '../../src/sandbox/esimplatform';
import type { Simulator } from '../../src/sandbox/shared/simulator';
import { createEsimTradeSimulator } from '../../src/sandbox/esimtrade';
import {
  startDocumentedStub,
  type DocumentedRoute,
  type DocumentedStub,
  type RecordedCall,
} from '../helpers/documented-stub';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';

/**
 * "Retry only what the provider documents as safe." Each adapter talks to a stub that passes every
 * call on to the provider's simulator; on the money-moving create the simulator really creates the
 * order (or top-up), and the stub then answers 500, or never answers. The eSIM platform, eSIMTrade
 * and Comium document no idempotency key: exactly one create reaches the provider, the call
 * rejects as "outcome unknown" (never a refusal, which would refund), and the documented read
 * finds what was created. eSIM Access (`transactionId`) and ConnectedYou (`idempotent_key`) may be
 * sent again, only ever under the same documented key.
 */

const CUSTOMER = { email: 'customer@example.com', name: 'John Customer' };
/** The client would retry up to 5 times if it were allowed to; the deadline is short for the hanging case. */
const POLICY: AdapterDeps['policy'] = {
  timeoutMs: 1000,
  maxAttempts: 5,
  retryBaseMs: 1,
  retryMaxMs: 5,
  breakerThreshold: 1000,
  maxQueueMs: 1000,
};

type Key = (call: RecordedCall) => string | undefined;

interface Case {
  readonly id: keyof typeof SANDBOX_CREDENTIALS;
  readonly simulator: () => Simulator;
  /** `base` is the stub's URL standing where the simulator's root would be. */
  readonly adapter: (base: string, deps: AdapterDeps) => ProviderAdapter;
  readonly orderCreate: RegExp;
  readonly topUpCreate: RegExp;
  /** The documented idempotency key a resend carries; absent where none is documented. */
  readonly key?: Key;
}

const CASES: readonly Case[] = [
  {
    id: 'esimplatform',
    simulator: () => createEsimPlatformSimulator({ orderDelayMs: 0 }),
    adapter: (base, deps) =>
      createEsimPlatformAdapter(
        { baseUrl: base + SANDBOX_API_PREFIX.esimplatform, sandbox: false, ...SANDBOX_CREDENTIALS.esimplatform },
        deps,
      ),
    orderCreate: /\/api\/v1\/orders$/,
    topUpCreate: /\/api\/v1\/esims\/[^/]+\/topup$/,
  },
  {
    id: 'esimtrade',
    simulator: () => createEsimTradeSimulator({ orderDelayMs: 0 }),
    adapter: (base, deps) =>
      createEsimTradeAdapter(
        { baseUrl: base + SANDBOX_API_PREFIX.esimtrade, sandbox: false, ...SANDBOX_CREDENTIALS.esimtrade },
        deps,
      ),
    orderCreate: /\/portal\/order$/,
    topUpCreate: /\/portal\/topups$/,
  },
  {
    id: 'comium',
    simulator: () => createComiumSimulator({ orderDelayMs: 0 }),
    adapter: (base, deps) =>
      createComiumAdapter(
        { baseUrl: base + SANDBOX_API_PREFIX.comium, sandbox: false, ...SANDBOX_CREDENTIALS.comium },
        deps,
      ),
    orderCreate: /\/api\/v1\/Bundle$/,
    topUpCreate: /\/api\/v1\/v2\/Bundle\/Topup$/,
  },
  {
    id: 'esimaccess',
    simulator: () => createEsimAccessSimulator({ orderDelayMs: 0 }),
    adapter: (base, deps) =>
      createEsimAccessAdapter(
        { baseUrl: base + SANDBOX_API_PREFIX.esimaccess, sandbox: false, ...SANDBOX_CREDENTIALS.esimaccess },
        deps,
      ),
    orderCreate: /\/api\/v1\/open\/esim\/order$/,
    topUpCreate: /\/api\/v1\/open\/esim\/topup$/,
    key: (call) => call.body?.transactionId,
  },
  {
    id: 'connectedyou',
    simulator: () => createConnectedYouSimulator({ orderDelayMs: 0 }),
    adapter: (base, deps) =>
      createConnectedYouAdapter(
        { baseUrl: base + SANDBOX_API_PREFIX.connectedyou, sandbox: false, ...SANDBOX_CREDENTIALS.connectedyou },
        deps,
      ),
    orderCreate: /\/reseller-accounts\/[^/]+\/orders$/,
    topUpCreate: /\/esims\/[^/]+\/topups$/,
    key: (call) => call.headers.idempotent_key,
  },
];

type Mode = 'answers 500' | 'never answers';

/** The ambiguous answer to a create: the simulator creates it, the stub answers 500 or nothing. */
function ambiguous(origin: string, create: RegExp, mode: Mode): DocumentedRoute {
  return mode === 'answers 500'
    ? {
        method: 'POST',
        path: create,
        forward: origin,
        status: 500,
        body: { error: 'internal error after the order was created' },
      }
    : { method: 'POST', path: create, forward: origin, hang: true };
}

describe.each(CASES)('$id: a money-moving call whose answer is unclear', (c) => {
  let sim: RunningSimulator;
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;
  /** The stub's routes, read on every call: `arm` puts the ambiguous create first, `disarm` takes it out. */
  let routes: DocumentedRoute[];
  let origin: string;
  const resendable = c.key !== undefined;
  const arm = (create: RegExp, mode: Mode) => routes.unshift(ambiguous(origin, create, mode));
  const disarm = () => routes.splice(0, routes.length - 5);

  beforeEach(async () => {
    sim = await startSimulator(c.simulator());
    const root = new URL(sim.root);
    origin = root.origin;
    // Every method passed on to the simulator as it came.
    routes = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method): DocumentedRoute => ({
      method,
      path: /.*/,
      forward: origin,
    }));
    stub = await startDocumentedStub(routes);
    adapter = c.adapter(stub.url + root.pathname, { logger: testLogger, policy: POLICY });
  });

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
    await sim.close();
  });

  async function orderRequest(reference: string): Promise<UpstreamOrderRequest> {
    const plan = (await adapter.listPlans()).find((p) => p.topUpSupported) ?? (await adapter.listPlans())[0];
    return { reference, planCode: plan.code, quantity: 1, expectedUnitPrice: plan.wholesalePrice, customer: CUSTOMER };
  }

  it('declares the documented rule for its money-moving calls', () => {
    const declared = adapter.moneyCalls;
    expect(declared.order.resend).toBe(resendable);
    expect(declared.topUp?.resend).toBe(resendable);
    if (!declared.order.resend) expect(declared.order.lookup).toEqual(expect.any(String));
  });

  describe.each<Mode>(['answers 500', 'never answers'])('order: the provider creates it, then %s', (mode) => {
    it(
      resendable
        ? 'is resent only under the same documented key, and the order is found by reference'
        : 'is sent exactly once, rejects as outcome unknown, and the order is found by reference',
      async () => {
        const reference = `amb-${c.id}-${mode === 'answers 500' ? 'a' : 'b'}-${Date.now()}`;
        const request = await orderRequest(reference);
        const placedAt = new Date();
        arm(c.orderCreate, mode);

        await expect(adapter.placeOrder(request)).rejects.toBeInstanceOf(ProviderUnavailableError);

        const creates = stub.callsTo('POST', c.orderCreate);
        if (resendable) {
          expect(creates.length).toBeGreaterThanOrEqual(1);
          expect(new Set(creates.map(c.key!))).toEqual(new Set([reference]));
        } else {
          expect(creates).toHaveLength(1);
        }

        disarm();
        const found = await adapter.getOrder({ reference, providerOrderId: null, placedAt });
        expect(found).not.toBeNull();
        expect(['COMPLETED', 'PROCESSING']).toContain(found!.status);
        expect(stub.callsTo('POST', c.orderCreate)).toHaveLength(creates.length);
      },
      15_000,
    );
  });

  describe.each<Mode>(['answers 500', 'never answers'])('top-up: the provider tops up, then %s', (mode) => {
    it(
      resendable
        ? 'is resent only under the same documented key'
        : 'is sent exactly once and rejects as outcome unknown',
      async () => {
        const baseReference = `amb-${c.id}-base-${Date.now()}`;
        const ordered = await adapter.placeOrder(await orderRequest(baseReference));
        const order =
          ordered.status === 'COMPLETED'
            ? ordered
            : (await adapter.getOrder({
                reference: baseReference,
                providerOrderId: ordered.providerOrderId,
                placedAt: new Date(),
              }))!;
        expect(order.status).toBe('COMPLETED');
        const profile = { iccid: order.profiles[0].iccid, providerProfileId: order.profiles[0].providerProfileId };
        const [option] = await adapter.supports.TOP_UP!.list(profile);
        expect(option).toBeDefined();
        const request = {
          reference: `amb-top-${c.id}-${Date.now()}`,
          profile,
          planCode: option.code,
          expectedPrice: option.wholesalePrice,
        };
        arm(c.topUpCreate, mode);

        await expect(adapter.supports.TOP_UP!.buy(request)).rejects.toBeInstanceOf(ProviderUnavailableError);

        const creates = stub.callsTo('POST', c.topUpCreate);
        if (resendable) expect(new Set(creates.map(c.key!))).toEqual(new Set([request.reference]));
        else expect(creates).toHaveLength(1);

        // Where a documented read finds top-ups by our reference (Comium's /Orders), it finds this one.
        disarm();
        const find = adapter.supports.TOP_UP!.find;
        if (find)
          expect(await find(request)).toEqual(
            expect.objectContaining({ status: expect.stringMatching(/^(COMPLETED|PROCESSING)$/) }),
          );
      },
      15_000,
    );
  });
});
