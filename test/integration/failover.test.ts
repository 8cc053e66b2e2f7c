import { randomUUID } from 'node:crypto';
import {
  ORDER_FIELDS,
  TEST_CUSTOMER,
  createReseller,
  credit,
  errorCode,
  waitForOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Issue 18, failover: `placeOrder(input: {…, fallback: EQUIVALENT})` completes at another provider
 * when the chosen one is down (nothing sent) or refuses outright (out of stock, its balance), once,
 * at the price quoted for the plan asked for; the order shows both plans. Without the fallback, or without an equivalent, the
 * refusal stands and no money moves.
 */

const FAILOVER_FIELDS = `${ORDER_FIELDS} fallback failover { reason at from { id } }
  requestedPlan { planId unitPrice { amount } } orderedPlan { planId unitPrice { amount } }`;

const QUOTE = `query($i: QuoteOrderInput!) { quoteOrder(input: $i) {
  unitPrice { amount } total { amount } routesTo { plan { id provider { id } } unitPrice { amount } } } }`;

const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { ${FAILOVER_FIELDS} } }`;

interface Routed {
  readonly planId: string;
  readonly unitPrice: string;
  readonly total: string;
  readonly routeId: string;
  readonly routeProvider: string;
}

/** A USD amount in cents, exactly (no binary float). */
function cents(amount: string): bigint {
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return amount.startsWith('-') ? -value : value;
}

async function quote(t: TestApp, key: string, planId: string, quantity: number): Promise<any> {
  const { body } = await t.gql(QUOTE, { i: { planId, quantity, fallback: 'EQUIVALENT' } }, key);
  expect(body.errors).toBeUndefined();
  return body.data.quoteOrder;
}

/** A plan of `provider` that quoteOrder routes elsewhere, with its quote; `avoid` excludes route providers. */
async function routedPlan(
  t: TestApp,
  key: string,
  provider: string,
  quantity = 1,
  avoid: string[] = [],
): Promise<Routed> {
  const { body } = await t.gql(
    'query($p: [ID!]) { plans(filter: { providerIds: $p }, sort: PRICE_DESC, first: 100) { nodes { id } } }',
    { p: [provider] },
    key,
  );
  for (const { id } of body.data.plans.nodes) {
    const q = await quote(t, key, id, quantity);
    if (q.routesTo && !avoid.includes(q.routesTo.plan.provider.id))
      return {
        planId: id,
        unitPrice: q.unitPrice.amount,
        total: q.total.amount,
        routeId: q.routesTo.plan.id,
        routeProvider: q.routesTo.plan.provider.id,
      };
  }
  throw new Error(`no ${provider} plan has an equivalent elsewhere`);
}

async function place(t: TestApp, key: string, input: Record<string, unknown>): Promise<any> {
  return (await t.gql(PLACE, { i: { idempotencyKey: randomUUID(), customer: TEST_CUSTOMER, ...input } }, key)).body;
}

async function settled(t: TestApp, key: string, id: string): Promise<any> {
  await waitForOrder(t, key, id, ['COMPLETED', 'FAILED'], 15_000);
  const { body } = await t.gql(`query($id: ID!) { order(id: $id) { ${FAILOVER_FIELDS} } }`, { id }, key);
  return body.data.order;
}

/** The wallet moves of one order: exactly one charge of `total` and nothing else. */
async function expectChargedOnce(t: TestApp, key: string, orderId: string, total: string): Promise<void> {
  const moves = (await wallet(t, key)).transactions.filter((x) => x.orderId === orderId);
  expect(moves).toEqual([expect.objectContaining({ type: 'ORDER', amount: { amount: `-${total}` } })]);
}

describe('placeOrder with fallback EQUIVALENT', () => {
  let t: TestApp;
  let r: Reseller;

  beforeAll(async () => {
    t = await startTestApp({ UPSTREAM_MAX_ATTEMPTS: '1', RECONCILE_INTERVAL_MS: '100' });
    r = await createReseller(t, '10');
    await credit(t, r.accountId, '1000.00');
  });
  afterAll(() => t.close());

  afterEach(async () => {
    for (const p of ['esimaccess', 'esimtrade', 'esimplatform']) await t.control(p, 'fault', { mode: 'ok' });
  });

  it('goes to the quoted equivalent while the chosen provider is down, once, at the quoted price', async () => {
    const routed = await routedPlan(t, r.key, 'esimtrade', 2);
    await t.control('esimtrade', 'fault', { mode: 'down' });
    const key = randomUUID();
    const first = await place(t, r.key, {
      planId: routed.planId,
      quantity: 2,
      fallback: 'EQUIVALENT',
      idempotencyKey: key,
    });
    expect(first.errors).toBeUndefined();
    const order = await settled(t, r.key, first.data.placeOrder.id);
    expect(order).toMatchObject({
      status: 'COMPLETED',
      fallback: 'EQUIVALENT',
      failover: { reason: 'PROVIDER_UNAVAILABLE', from: { id: 'esimtrade' } },
      provider: { id: routed.routeProvider },
      requestedPlan: { planId: routed.planId, unitPrice: { amount: routed.unitPrice } },
      orderedPlan: { planId: routed.routeId, unitPrice: { amount: routed.unitPrice } },
      total: { amount: routed.total },
    });
    expect(order.profiles).toHaveLength(2);
    await expectChargedOnce(t, r.key, order.id, routed.total);

    // The same key answers the same order; nothing more is charged or ordered.
    const stats = await t.control(routed.routeProvider, 'stats');
    const again = await place(t, r.key, {
      planId: routed.planId,
      quantity: 2,
      fallback: 'EQUIVALENT',
      idempotencyKey: key,
    });
    expect(again.data.placeOrder.id).toBe(order.id);
    expect((await t.control(routed.routeProvider, 'stats')).total).toBe(stats.total);
    await expectChargedOnce(t, r.key, order.id, routed.total);
  });

  /** A provider refusing every order of one plan outright (its own 4xx): nothing is created there. */
  interface Refusal {
    readonly why: string;
    readonly provider: string;
    readonly refuse: (planCode: string) => Promise<unknown>;
    readonly restore: (planCode: string) => Promise<unknown>;
  }
  const REFUSALS: Refusal[] = [
    {
      why: 'its upstream balance is empty',
      provider: 'esimplatform',
      refuse: () => t.control('esimplatform', 'balance', { amount: '0' }),
      restore: () => t.control('esimplatform', 'balance', { amount: '100000.00' }),
    },
    {
      why: 'the plan is out of stock',
      provider: 'esimtrade',
      refuse: (planCode) => t.control('esimtrade', 'stock', { planCode, available: 0 }),
      restore: (planCode) => t.control('esimtrade', 'stock', { planCode, available: null }),
    },
  ];

  it.each(REFUSALS)(
    'goes elsewhere when the provider refuses the order outright ($why); the refused part is never refunded apart',
    async ({ provider, refuse, restore }) => {
      const routed = await routedPlan(t, r.key, provider);
      const planCode = routed.planId.slice(`${provider}:`.length);
      await refuse(planCode);
      try {
        const placed = await place(t, r.key, { planId: routed.planId, fallback: 'EQUIVALENT' });
        expect(placed.errors).toBeUndefined();
        const order = await settled(t, r.key, placed.data.placeOrder.id);
        expect(order).toMatchObject({
          status: 'COMPLETED',
          failover: { reason: 'PROVIDER_REFUSED', from: { id: provider } },
          provider: { id: routed.routeProvider },
          requestedPlan: { planId: routed.planId, unitPrice: { amount: routed.unitPrice } },
          orderedPlan: { planId: routed.routeId, unitPrice: { amount: routed.unitPrice } },
          failureReason: null,
        });
        expect(order.profiles).toHaveLength(1);
        await expectChargedOnce(t, r.key, order.id, routed.total);
      } finally {
        await restore(planCode);
      }
    },
  );

  it('without the fallback, the refusal stands and no money moves', async () => {
    const routed = await routedPlan(t, r.key, 'esimaccess');
    await t.control('esimaccess', 'fault', { mode: 'down' });
    const before = await wallet(t, r.key);
    const refused = await place(t, r.key, { planId: routed.planId });
    expect(errorCode(refused)).toBe('PROVIDER_UNAVAILABLE');
    const none = await place(t, r.key, { planId: routed.planId, fallback: 'NONE' });
    expect(errorCode(none)).toBe('PROVIDER_UNAVAILABLE');
    const after = await wallet(t, r.key);
    expect(after.balance).toBe(before.balance);
    expect(after.transactions).toHaveLength(before.transactions.length);
  });

  it('with no equivalent within the tolerance, the refusal stands too', async () => {
    const poor = await createReseller(t, '0');
    await credit(t, poor.accountId, '100.00');
    const { planId } = await routedPlan(t, poor.key, 'esimtrade');
    // A price rule makes the chosen plan cheap for this account: nothing else is as cheap now.
    const ruled = await t.gql('mutation($i: SetPriceRuleInput!) { setPriceRule(input: $i) { id } }', {
      i: { accountId: poor.accountId, planId, fixedPrice: '0.01', allowLoss: true },
    });
    expect(ruled.body.errors).toBeUndefined();
    expect((await quote(t, poor.key, planId, 1)).routesTo).toBeNull();
    await t.control('esimtrade', 'fault', { mode: 'down' });
    const before = await wallet(t, poor.key);
    expect(errorCode(await place(t, poor.key, { planId, fallback: 'EQUIVALENT' }))).toBe('PROVIDER_UNAVAILABLE');
    expect((await wallet(t, poor.key)).balance).toBe(before.balance);
  });

  it('an order that needed no fallback shows the plan it asked for as the one that fulfilled it', async () => {
    const routed = await routedPlan(t, r.key, 'connectedyou');
    const placed = await place(t, r.key, { planId: routed.planId, fallback: 'EQUIVALENT' });
    const order = await settled(t, r.key, placed.data.placeOrder.id);
    expect(order).toMatchObject({
      status: 'COMPLETED',
      fallback: 'EQUIVALENT',
      failover: null,
      provider: { id: 'connectedyou' },
      requestedPlan: { planId: routed.planId },
      orderedPlan: { planId: routed.planId },
    });
  });

  it('salesSummary still adds up to the ledger, at the fulfilling provider', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const { body } = await t.gql(
      'query($f: DateTime!, $t: DateTime!) { salesSummary(from: $f, to: $t, groupBy: ACCOUNT) { rows { key revenue { amount } } } }',
      { f: from, t: to },
    );
    expect(body.errors).toBeUndefined();
    const mine = body.data.salesSummary.rows.find((row: any) => row.key === r.accountId);
    const charged = (await wallet(t, r.key)).transactions
      .filter((x) => x.type === 'ORDER' || x.type === 'REFUND')
      .reduce((sum, x) => sum - cents(x.amount.amount), 0n);
    expect(cents(mine.revenue.amount)).toBe(charged);
  });

  it('counts the orders that failed over on /metrics, by reason', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toContain('esim_orders_failed_over{reason="PROVIDER_UNAVAILABLE"} 1');
    expect(text).toContain('esim_orders_failed_over{reason="PROVIDER_REFUSED"} 2');
    expect(text).toContain('esim_orders_failed_over{reason="PLAN_UNAVAILABLE"} 0');
  });
});
