import { sequentialWaves, type CallRecord } from '../../src/sandbox/shared/control';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder } from '../helpers/ordering';
import { PROVIDERS, startTestApp, type TestApp } from '../helpers/test-app';

/** Every simulator answers this late, so calls that overlap and calls that wait on each other differ by far more than a clock tick. */
const LATENCY_MS = 80;
const PLANS =
  '{ plans(filter: { country: "FR" }, sort: PRICE_ASC, first: 50) { totalCount nodes { id price { amount } provider { id } } unavailableProviders { code } } }';

/** Each provider's own catalog listing (the pages of one list), as its simulator names the call. */
const CATALOG_CALL: Record<string, RegExp> = {
  // location/list names the regions of multi-country packages (read once, kept for the adapter's life).
  esimaccess: /^POST \/api\/v1\/open\/(package|location)\/list$/,
  connectedyou: /^GET \/v1\/reseller-accounts\/[^/]+\/products$/,
  comium: /^GET \/api\/v1\/Bundles$/,
  esimplatform: /^GET \/api\/v1\/plans$/,
  esimtrade: /^GET \/portal\/plans$/,
};

async function callsOf(t: TestApp): Promise<Record<string, CallRecord[]>> {
  return Object.fromEntries(
    await Promise.all(
      PROVIDERS.map(async (p) => {
        const stats = (await (await fetch(`${t.url}/sandbox/${p}/_control/stats?calls=1`)).json()) as any;
        return [p, stats.calls as CallRecord[]];
      }),
    ),
  );
}

/** Waits out the start-up calls (sessions, webhook registration) until no simulator sees a new one for 300 ms. */
async function settle(t: TestApp): Promise<void> {
  await t.app.services.providers.connectAll();
  let last = -1;
  for (;;) {
    const total = (await Promise.all(PROVIDERS.map((p) => t.control(p, 'stats')))).reduce((n, s) => n + s.total, 0);
    if (total === last) return;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The providers were asked together: each one's first call started before any call had been answered. */
function expectOneWaveAcross(calls: Record<string, CallRecord[]>, providers: readonly string[]): void {
  const firstStarts = providers.map((p) => Math.min(...calls[p].map((c) => c.startedAt)));
  expect(Math.max(...firstStarts)).toBeLessThan(
    Math.min(
      ...Object.values(calls)
        .flat()
        .map((c) => c.endedAt!),
    ),
  );
}

/**
 * No provider was asked in more than two round trips one after the other. Counted per provider:
 * across providers a call that merely started late, on a loaded machine, would look chained.
 */
function expectAtMostTwoWaves(calls: Record<string, CallRecord[]>): void {
  const waves = PROVIDERS.map((p) => [p, sequentialWaves(calls[p])] as const);
  expect(waves.filter(([, n]) => n > 2)).toEqual([]);
}

async function slowAndReset(t: TestApp, latencyMs: number): Promise<void> {
  await Promise.all(
    PROVIDERS.map(async (p) => {
      await t.control(p, 'fault', latencyMs > 0 ? { mode: 'slow', latencyMs } : { mode: 'ok' });
      await t.control(p, 'reset-stats');
    }),
  );
}

/**
 * Sequential upstream waves of catalog and order reads, read off the simulators' own call
 * timeline: the five providers are asked together, and no read makes more than two round trips
 * one after the other (a provider's first page tells how many more to fetch in parallel).
 */
describe('upstream waves of a cold catalog read', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // Sessions are opened at start (and renewed ahead of use): the read below pays no login.
    await settle(t);
  });
  afterAll(() => t.close());

  it('asks every provider for its catalog pages only, all five at once, in at most two waves; warm: nothing', async () => {
    await slowAndReset(t, LATENCY_MS);
    const { body } = await t.gql(PLANS);
    expect(body.errors).toBeUndefined();
    expect(body.data.plans.unavailableProviders).toEqual([]);
    const calls = await callsOf(t);
    for (const p of PROVIDERS) {
      expect(calls[p].length).toBeGreaterThanOrEqual(1);
      for (const call of calls[p]) expect(call.call).toMatch(CATALOG_CALL[p]);
    }
    expectOneWaveAcross(calls, PROVIDERS);
    expectAtMostTwoWaves(calls);

    await slowAndReset(t, 0);
    await t.gql(PLANS);
    expect(await callsOf(t)).toEqual(Object.fromEntries(PROVIDERS.map((p) => [p, []])));
  });
});

describe('upstream waves of an order read', () => {
  let t: TestApp;
  let key: string;
  const orderIds: string[] = [];
  beforeAll(async () => {
    // No usage cache: every read below goes upstream, so its calls can be counted.
    t = await startTestApp({ USAGE_CACHE_TTL_MS: '0' });
    const reseller = await createReseller(t);
    key = reseller.key;
    await credit(t, reseller.accountId, '1000');
    for (const providerId of PROVIDERS) {
      const plan = await cheapestPlan(t, key, providerId, { minDataGb: 1 });
      for (let i = 0; i < 2; i++) {
        const { body } = await placeOrder(t, key, { planId: plan.id });
        orderIds.push((await waitForOrder(t, key, body.data.placeOrder.id)).id);
      }
    }
    await settle(t);
  }, 60_000);
  afterAll(() => t.close());

  it('reads the usage of an orders page in one parallel wave across providers', async () => {
    await slowAndReset(t, LATENCY_MS);
    const { body } = await t.gql(
      '{ orders(first: 50) { nodes { plan { name } profiles { status usage { usedBytes } } } } }',
      {},
      key,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.orders.nodes).toHaveLength(10);
    const calls = await callsOf(t);
    for (const p of PROVIDERS) expect(calls[p].length).toBeGreaterThanOrEqual(1);
    expectOneWaveAcross(calls, PROVIDERS);
    expectAtMostTwoWaves(calls);
  });

  it('reads one order with its profiles and usage in at most two waves', async () => {
    for (const id of orderIds) {
      await slowAndReset(t, LATENCY_MS);
      const { body } = await t.gql(
        'query($id: ID!) { order(id: $id) { status profiles { iccid status usage { usedBytes } } } }',
        { id },
        key,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.order.profiles[0].usage).not.toBeNull();
      expectAtMostTwoWaves(await callsOf(t));
    }
  });
});
