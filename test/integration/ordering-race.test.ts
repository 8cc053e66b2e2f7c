import { randomUUID } from 'node:crypto';
import { cheapestPlan, createReseller, credit, errorCode, placeOrder, wallet } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const N = 4;
const ORDER_CALL = 'POST /api/v1/open/esim/order';

describe('concurrent orders against a wallet that funds exactly N', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
  });
  afterAll(() => t.close());

  it(`accepts exactly ${N} of ${3 * N} orders (plus duplicates of one key): ${N} upstream orders, never below zero, ledger sum = balance`, async () => {
    const r = await createReseller(t);
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const price = Number(plan.price.amount);
    await credit(t, r.accountId, (price * N).toFixed(2));
    const before = await t.control('esimaccess', 'stats');
    await t.control('esimaccess', 'reset-stats');

    const keys = Array.from({ length: 3 * N }, () => randomUUID());
    const attempts = [...keys, keys[0], keys[0], keys[0]].map((idempotencyKey) =>
      placeOrder(t, r.key, { planId: plan.id, idempotencyKey }),
    );
    const results = await Promise.all(attempts);

    const accepted = new Set(results.filter((res) => !res.body.errors).map((res) => res.body.data.placeOrder.id));
    const refusals = results.filter((res) => res.body.errors).map((res) => errorCode(res.body));
    expect(accepted.size).toBe(N);
    expect(refusals.every((code) => code === 'INSUFFICIENT_FUNDS')).toBe(true);

    const after = await t.control('esimaccess', 'stats');
    expect(after.requests[ORDER_CALL]).toBe(N);
    expect(after.holdings.orders - before.holdings.orders).toBe(N);

    const { body } = await t.gql('{ orders(first: 100) { totalCount nodes { id } } }', {}, r.key);
    expect(body.data.orders.totalCount).toBe(N);
    expect(new Set(body.data.orders.nodes.map((o: any) => o.id))).toEqual(accepted);

    const w = await wallet(t, r.key);
    expect(w.balance).toBe('0.00');
    expect(w.transactions.every((x) => Number(x.balanceAfter.amount) >= 0)).toBe(true);
    const sum = w.transactions.reduce((acc, x) => acc + Math.round(Number(x.amount.amount) * 100), 0);
    expect(sum).toBe(Math.round(Number(w.balance) * 100));
    expect(w.transactions.filter((x) => x.type === 'ORDER')).toHaveLength(N);
  });
});
