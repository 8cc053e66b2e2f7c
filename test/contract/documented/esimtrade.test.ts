import { createEsimTradeAdapter } from '../../../src/providers/esimtrade';
import type { ProviderAdapter } from '../../../src/providers/provider-adapter';
import { DOCUMENTED_POLICY, startDocumentedStub, type DocumentedStub } from '../../helpers/documented-stub';
import { testLogger } from '../../helpers/logger';

// eSIMTrade: seed 004 documents methods and paths only, no request or response body (provenance:
// test/fixtures/documented/esimtrade/SOURCES.md). There is no fixture to answer with, so the stub
// answers nothing (404) and this file checks the one documented thing: every call goes to a
// documented method + path, and each capability reaches the endpoint the document names for it.
const DOCUMENTED = new Set([
  'GET /portal/balance',
  'GET /portal/plans',
  'POST /portal/order',
  'GET /portal/orders',
  'GET /reseller/orders',
  'GET /reseller/esims',
  'GET /portal/topups',
  'POST /portal/topups',
  'GET /reseller/metrics',
  'GET /reseller/profile',
  'PATCH /reseller/profile',
  'PATCH /reseller/webhook',
]);

const PROFILE_REF = { iccid: '8900000000000000001', providerProfileId: '8900000000000000001' };

describe('eSIMTrade against its documented endpoint list', () => {
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;

  beforeEach(async () => {
    stub = await startDocumentedStub([]);
    adapter = createEsimTradeAdapter(
      { baseUrl: stub.url, sandbox: false, accessCode: 'documented-access-code', secretKey: 'documented-secret-key' },
      { logger: testLogger, policy: DOCUMENTED_POLICY },
    );
  });

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  /** Runs one capability against the body-less stub and answers the method + path of each call. */
  async function routesOf(run: () => Promise<unknown>): Promise<string[]> {
    await run().catch(() => undefined);
    return stub.calls.map((c) => `${c.method} ${c.path}`);
  }

  it.each([
    ['getBalance', 'GET /portal/balance', () => adapter.getBalance()],
    ['listPlans', 'GET /portal/plans', () => adapter.listPlans()],
    ['getPlans', 'GET /portal/plans', () => adapter.getPlans(['some-slug'])],
    ['getProfiles', 'GET /reseller/esims', () => adapter.getProfiles([PROFILE_REF])],
    ['getUsage', 'GET /reseller/esims', () => adapter.getUsage([PROFILE_REF])],
    ['listTopUps', 'GET /portal/topups', () => adapter.supports.TOP_UP!.list(PROFILE_REF)],
  ] as const)('%s calls %s, a documented route', async (_name, route, run) => {
    const called = await routesOf(run);
    expect(called).toContain(route);
    expect(called.filter((r) => !DOCUMENTED.has(r))).toEqual([]);
  });

  it('orders through documented routes only (POST /portal/order, order reads)', async () => {
    const called = await routesOf(() =>
      adapter.placeOrder({
        reference: 'ref-1',
        planCode: 'some-slug',
        quantity: 1,
        expectedUnitPrice: { amount: '1.00', currency: 'USD' },
      }),
    );
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((r) => !DOCUMENTED.has(r))).toEqual([]);
  });

  it('reads an order back by order number through GET /portal/orders', async () => {
    const called = await routesOf(() =>
      adapter.getOrder({ reference: 'ref-1', providerOrderId: 'ORD-1', placedAt: new Date() }),
    );
    expect(called).toContain('GET /portal/orders');
    expect(called.filter((r) => !DOCUMENTED.has(r))).toEqual([]);
  });

  it('tops up through documented routes only', async () => {
    const called = await routesOf(() =>
      adapter.supports.TOP_UP!.buy({
        reference: 'topup-1',
        profile: PROFILE_REF,
        planCode: 'some-topup',
        expectedPrice: { amount: '1.00', currency: 'USD' },
      }),
    );
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((r) => !DOCUMENTED.has(r))).toEqual([]);
  });

  it('registers its webhook through PATCH /reseller/webhook', async () => {
    const called = await routesOf(async () =>
      adapter.supports.WEBHOOKS?.register?.({ url: 'https://gateway.example/webhooks/esimtrade?token=x', secret: 'x' }),
    );
    expect(called).toEqual(['PATCH /reseller/webhook']);
  });
});
