import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { QueryCounter } from '../helpers/query-counter';
import { PROVIDERS, startTestApp, type TestApp } from '../helpers/test-app';

const PER_PROVIDER = 10;
const ORDERS_QUERY =
  'query($n: Int) { orders(first: $n) { nodes { id provider { id } plan { name } profiles { status usage { usedBytes } } } } }';

/**
 * Upstream calls and database round trips of one orders page, counted with the simulators'
 * `stats` and a TypeORM query logger: usage is read in provider batches, each profile once;
 * status and activation come from the database; nothing grows with the page beyond the batch
 * arithmetic.
 */
describe('an orders page with live usage, counted', () => {
  const queries = new QueryCounter();
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' }, { queryLogger: queries });
    r = await createReseller(t);
    await credit(t, r.accountId, '5000');
    await Promise.all(
      PROVIDERS.map(async (providerId) => {
        const plan = await cheapestPlan(t, r.key, providerId, { minDataGb: 1 });
        for (let i = 0; i < PER_PROVIDER; i++) {
          const { body } = await placeOrder(t, r.key, { planId: plan.id });
          await waitForOrder(t, r.key, body.data.placeOrder.id);
        }
      }),
    );
    await new Promise((res) => setTimeout(res, 1500)); // callbacks of the allocations drain
  }, 120_000);
  afterAll(() => t.close());

  const resetStats = () => Promise.all(PROVIDERS.map((p) => t.control(p, 'reset-stats')));
  const callsPerProvider = async () =>
    Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, (await t.control(p, 'stats')).total])));
  const expectedCalls = (orders: any[]) =>
    Object.fromEntries(
      PROVIDERS.map((p) => {
        const profiles = orders.filter((o) => o.provider.id === p).reduce((n, o) => n + o.profiles.length, 0);
        return [p, Math.ceil(profiles / t.app.registry.get(p).batchLimits.usage)];
      }),
    );
  async function page(n: number): Promise<{ orders: any[]; statements: string[] }> {
    await t.gql('{ viewer { id } }', {}, r.key); // the key is memoized: auth costs no query below
    let orders: any[] = [];
    const statements = await queries.during(async () => {
      orders = (await t.gql(ORDERS_QUERY, { n }, r.key)).body.data.orders.nodes;
    });
    // The background workers (reconciler, poller, inbox sweep) query on their own schedule; they are not this request's.
    const background = /next_check_at|next_poll_at|webhook_inbox/;
    return { orders, statements: statements.filter((q) => !background.test(q)) };
  }

  it('reads usage in provider batches, each profile once, and nothing else upstream; again within the TTL: nothing', async () => {
    await resetStats();
    const ten = await page(10);
    expect(await callsPerProvider()).toEqual(expectedCalls(ten.orders));
    expect(ten.orders.every((o) => o.profiles[0].usage.usedBytes === 0)).toBe(true);

    await resetStats();
    const fifty = await page(50);
    expect(fifty.orders).toHaveLength(50);
    // The ten newest were cached by the first page; only the other forty are read, in batches.
    expect(await callsPerProvider()).toEqual(expectedCalls(fifty.orders.slice(10)));
    expect((await t.control('esimaccess', 'stats')).requests).toEqual({ 'POST /api/v1/open/esim/usage/query': 1 });

    await resetStats();
    await page(50);
    expect(await callsPerProvider()).toEqual({
      esimaccess: 0,
      connectedyou: 0,
      comium: 0,
      esimplatform: 0,
      esimtrade: 0,
    });
  });

  it('costs the same number of database round trips for 10 orders as for 50', async () => {
    const ten = await page(10);
    const fifty = await page(50);
    expect(fifty.statements.map((q) => q.slice(0, 120))).toEqual(ten.statements.map((q) => q.slice(0, 120)));
    expect(ten.statements.length).toBeLessThanOrEqual(4);
  });
});
