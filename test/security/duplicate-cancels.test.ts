import { LEDGER_QUERY, expectLedgerInvariants, ledgerFrom } from '../helpers/ledger';
import {
  cheapestPlan,
  createReseller,
  credit,
  placeOrder,
  waitForOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { id status profiles { status } } }';

describe('duplicate cancelOrder calls', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp();
    r = await createReseller(t);
    await credit(t, r.accountId, '500');
  });
  afterAll(() => t.close());

  async function completedOrder(quantity: number): Promise<{ id: string; total: string }> {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const { body } = await placeOrder(t, r.key, { planId: plan.id, quantity });
    const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
    expect(order.status).toBe('COMPLETED');
    return { id: order.id, total: order.total.amount };
  }

  it('answers five concurrent cancels of one order with the cancelled order and refunds it once', async () => {
    const order = await completedOrder(1);
    const before = (await wallet(t, r.key)).balance;
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.gql(CANCEL, { id: order.id }, r.key)));
    for (const { body } of answers) {
      expect(body.errors).toBeUndefined();
      expect(body.data.cancelOrder).toEqual({ id: order.id, status: 'CANCELLED', profiles: [{ status: 'CANCELLED' }] });
    }
    const after = await wallet(t, r.key);
    expect(Number(after.balance)).toBeCloseTo(Number(before) + Number(order.total), 6);
    expect(
      after.transactions.filter((x) => x.orderId === order.id && x.type === 'REFUND').map((x) => x.amount.amount),
    ).toEqual([order.total]);

    // Asked again later: the same answer, no new money.
    const again = await t.gql(CANCEL, { id: order.id }, r.key);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.cancelOrder.status).toBe('CANCELLED');
    expect((await wallet(t, r.key)).balance).toBe(after.balance);
    expectLedgerInvariants(ledgerFrom((await t.gql(LEDGER_QUERY, {}, r.key)).body.data));
  });

  it('lets a cancel that failed upstream be asked again at once', async () => {
    const order = await completedOrder(1);
    await t.control('esimaccess', 'fault', { mode: 'down' });
    let failed: any;
    try {
      failed = await t.gql(CANCEL, { id: order.id }, r.key);
    } finally {
      await t.control('esimaccess', 'fault', { mode: 'ok' });
    }
    expect(failed.body.errors?.[0]?.extensions?.code).toMatch(/^PROVIDER_/);
    const started = Date.now();
    const retried = await t.gql(CANCEL, { id: order.id }, r.key);
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.cancelOrder.status).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      (await wallet(t, r.key)).transactions.filter((x) => x.orderId === order.id && x.type === 'REFUND'),
    ).toHaveLength(1);
  });
});
