import { addDecimal, compareDecimal, multiplyDecimal, subtractDecimal } from '../../src/domain/money';
import {
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  placeOrder,
  waitForOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const SUMMARY = `query($from: DateTime!, $to: DateTime!, $g: SalesGroupBy!) {
  salesSummary(from: $from, to: $to, groupBy: $g) {
    groupBy
    rows { key orders profiles revenue { amount currency } wholesaleCost { amount currency } margin { amount currency } }
    totals { orders profiles revenue { amount currency } wholesaleCost { amount currency } margin { amount currency } }
  }
}`;

interface Expected {
  orders: number;
  profiles: number;
  revenue: string;
  cost: string;
}

/** What one order contributes, worked out independently of the report's SQL. */
interface Counted {
  readonly id: string;
  readonly providerId: string;
  readonly accountId: string;
  readonly day: string;
  readonly country: string;
  readonly net: string;
  readonly profiles: number;
  readonly cost: string;
}

const same = (a: string, b: string) => compareDecimal(a, b) === 0;

describe('salesSummary (admin back-office figures)', () => {
  let t: TestApp;
  let r1: Reseller;
  let r2: Reseller;
  const from = new Date(Date.now() - 60_000).toISOString();
  let to: string;
  const counted: Counted[] = [];
  let failedId: string;
  let cancelledId: string;

  const summary = async (groupBy: string, key?: string | null, range = { from, to }) =>
    t.gql(SUMMARY, { ...range, g: groupBy }, key);

  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
    r1 = await createReseller(t, '10');
    r2 = await createReseller(t, '25.5');
    await credit(t, r1.accountId, '500.00');
    await credit(t, r2.accountId, '500.00');
    const placed: { r: Reseller; id: string }[] = [];
    const order = async (r: Reseller, providerId: string, quantity = 1, filter = {}) => {
      const plan = await cheapestPlan(t, r.key, providerId, filter);
      const { body } = await placeOrder(t, r.key, { planId: plan.id, quantity });
      expect(body.errors).toBeUndefined();
      placed.push({ r, id: body.data.placeOrder.id });
      return body.data.placeOrder.id as string;
    };
    await order(r1, 'esimaccess', 2);
    await order(r1, 'comium');
    await order(r2, 'esimaccess');
    await order(r2, 'esimaccess', 1, { coverage: 'REGION' });
    // One order the provider refuses: charged, then refunded in full, so it must not count.
    await t.control('esimtrade', 'balance', { amount: '0' });
    try {
      failedId = await order(r2, 'esimtrade');
      expect((await waitForOrder(t, r2.key, failedId)).status).toBe('FAILED');
    } finally {
      await t.control('esimtrade', 'balance', { amount: '5000.00' });
    }
    for (const p of placed) await waitForOrder(t, p.r.key, p.id);
    // A top-up's ledger rows carry its profile's order id: they are not order revenue.
    const topped = await waitForOrder(t, r1.key, await order(r1, 'esimaccess', 1, { topUpSupported: true }));
    const iccid = topped.profiles[0].iccid;
    const options = await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, r1.key);
    const topUp = await t.gql(
      'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id } }',
      { i: { iccid, planId: options.body.data.topUpOptions[0].id, idempotencyKey: `top-up-${iccid}` } },
      r1.key,
    );
    expect(topUp.body.errors).toBeUndefined();
    expect((await wallet(t, r1.key)).transactions.map((x) => x.type)).toContain('TOP_UP');
    // A cancelled order is refunded profile by profile, down to a net charge of zero.
    cancelledId = await order(r2, 'esimaccess', 2);
    await waitForOrder(t, r2.key, cancelledId);
    const cancel = await t.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: cancelledId }, r2.key);
    expect(cancel.body.data.cancelOrder.status).toBe('CANCELLED');
    to = new Date(Date.now() + 60_000).toISOString();

    // Net charge per order from each reseller's own ledger (ORDER − REFUND), the cost from the stored snapshot.
    for (const r of [r1, r2]) {
      const net = new Map<string, string>();
      for (const x of (await wallet(t, r.key)).transactions)
        if (x.orderId && !x.topUpId) net.set(x.orderId, addDecimal(net.get(x.orderId) ?? '0', x.amount.amount));
      for (const [id, signed] of net) {
        const [row] = await t.app.db.query(
          'SELECT provider_id, account_id, plan_snapshot, created_at FROM esim_order WHERE id = ?',
          [id],
        );
        const plan = JSON.parse(row.plan_snapshot);
        const amount = multiplyDecimal(signed, -1);
        if (compareDecimal(amount, '0') <= 0) continue;
        const { body } = await t.gql('query($id: ID!) { order(id: $id) { quantity createdAt } }', { id }, r.key);
        counted.push({
          id,
          providerId: row.provider_id,
          accountId: row.account_id,
          day: body.data.order.createdAt.slice(0, 10),
          country: plan.countries.length === 1 ? plan.countries[0] : 'MULTI',
          net: amount,
          profiles: body.data.order.quantity,
          cost: multiplyDecimal(plan.wholesalePrice.amount, body.data.order.quantity),
        });
      }
    }
  }, 60_000);
  afterAll(() => t.close());

  function expectedBy(keyOf: (c: Counted) => string): Map<string, Expected> {
    const by = new Map<string, Expected>();
    for (const c of counted) {
      const e = by.get(keyOf(c)) ?? { orders: 0, profiles: 0, revenue: '0', cost: '0' };
      by.set(keyOf(c), {
        orders: e.orders + 1,
        profiles: e.profiles + c.profiles,
        revenue: addDecimal(e.revenue, c.net),
        cost: addDecimal(e.cost, c.cost),
      });
    }
    return by;
  }

  it('counts the five charged orders and leaves out the failed and the cancelled one', () => {
    expect(counted).toHaveLength(5);
    expect(counted.map((c) => c.id)).not.toContain(failedId);
    expect(counted.map((c) => c.id)).not.toContain(cancelledId);
    expect(new Set(counted.map((c) => c.country))).toContain('MULTI');
  });

  it.each<[string, (c: Counted) => string]>([
    ['DAY', (c) => c.day],
    ['PROVIDER', (c) => c.providerId],
    ['COUNTRY', (c) => c.country],
    ['ACCOUNT', (c) => c.accountId],
  ])('groups by %s, each row adding up to the ledger, margin = revenue − cost', async (groupBy, keyOf) => {
    const { body } = await summary(groupBy);
    expect(body.errors).toBeUndefined();
    const { rows, totals } = body.data.salesSummary;
    const expected = expectedBy(keyOf);
    expect(rows.map((r: any) => r.key)).toEqual([...expected.keys()].sort());
    for (const row of rows) {
      const e = expected.get(row.key)!;
      expect(row).toMatchObject({ orders: e.orders, profiles: e.profiles });
      expect(row.revenue.currency).toBe('USD');
      expect(same(row.revenue.amount, e.revenue)).toBe(true);
      expect(same(row.wholesaleCost.amount, e.cost)).toBe(true);
      expect(same(row.margin.amount, subtractDecimal(row.revenue.amount, row.wholesaleCost.amount))).toBe(true);
      // Exact decimal strings, never a float's rendering.
      expect(row.revenue.amount).toMatch(/^-?\d+\.\d{2,}$/);
    }
    expect(totals).toHaveLength(1);
    const all = counted.reduce((s, c) => addDecimal(s, c.net), '0');
    expect(totals[0]).toMatchObject({ orders: 5, profiles: 6 });
    expect(same(totals[0].revenue.amount, all)).toBe(true);
    expect(
      same(totals[0].margin.amount, subtractDecimal(totals[0].revenue.amount, totals[0].wholesaleCost.amount)),
    ).toBe(true);
    // Markups of 10 % and 25.5 % on every order: the margin is positive.
    expect(compareDecimal(totals[0].margin.amount, '0')).toBeGreaterThan(0);
  });

  it("totals equal the ledger's net order charges of both resellers", async () => {
    let ledger = '0';
    for (const r of [r1, r2])
      for (const x of (await wallet(t, r.key)).transactions)
        if ((x.type === 'ORDER' || x.type === 'REFUND') && !x.topUpId)
          ledger = subtractDecimal(ledger, x.amount.amount);
    const { body } = await summary('ACCOUNT');
    expect(same(body.data.salesSummary.totals[0].revenue.amount, ledger)).toBe(true);
  });

  it('answers no rows for a period without orders', async () => {
    const { body } = await summary('DAY', undefined, {
      from: to,
      to: new Date(Date.parse(to) + 86_400_000).toISOString(),
    });
    expect(body.data.salesSummary).toMatchObject({ rows: [], totals: [] });
  });

  it('is FORBIDDEN to resellers', async () => {
    const { body } = await summary('PROVIDER', r1.key);
    expect(errorCode(body)).toBe('FORBIDDEN');
  });

  it('refuses an empty, reversed or too long period with BAD_USER_INPUT', async () => {
    const day = 86_400_000;
    const at = Date.parse(from);
    for (const range of [
      { from, to: from },
      { from: to, to: from },
      { from, to: new Date(at + 367 * day).toISOString() },
    ])
      expect(errorCode((await summary('DAY', undefined, range)).body)).toBe('BAD_USER_INPUT');
    const year = await summary('DAY', undefined, { from, to: new Date(at + 366 * day).toISOString() });
    expect(year.body.errors).toBeUndefined();
  });
});
