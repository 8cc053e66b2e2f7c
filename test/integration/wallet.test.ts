import { randomUUID } from 'node:crypto';
import { createReseller, credit, errorCode, wallet } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('wallet credits (admin, idempotent by key)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('credits a reseller once per key, with a DEPOSIT ledger row and its balance after', async () => {
    const r = await createReseller(t);
    const key = randomUUID();
    const first = await credit(t, r.accountId, '25.50', key);
    const again = await credit(t, r.accountId, '25.50', key);
    expect(first.body.data.creditWallet.balance).toEqual({ amount: '25.50', currency: 'USD' });
    expect(again.body.data.creditWallet.balance.amount).toBe('25.50');
    const w = await wallet(t, r.key);
    expect(w.balance).toBe('25.50');
    expect(w.transactions).toEqual([
      { type: 'DEPOSIT', amount: { amount: '25.50' }, balanceAfter: { amount: '25.50' }, orderId: null, topUpId: null },
    ]);
  });

  it('refuses the same key with another amount, and concurrent duplicates credit once', async () => {
    const r = await createReseller(t);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 6 }, () => credit(t, r.accountId, '10', key)));
    expect(results.every((res) => res.body.data?.creditWallet.balance.amount === '10.00')).toBe(true);
    expect(errorCode((await credit(t, r.accountId, '11', key)).body)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await wallet(t, r.key)).transactions).toHaveLength(1);
  });

  it('is admin only, and validates the amount', async () => {
    const r = await createReseller(t);
    const asReseller = await t.gql(
      'mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }',
      { i: { accountId: r.accountId, amount: '5', idempotencyKey: 'k' } },
      r.key,
    );
    expect(errorCode(asReseller.body)).toBe('FORBIDDEN');
    for (const amount of ['0', '1.234', 'abc', '1e3', '99999999999'])
      expect([amount, errorCode((await credit(t, r.accountId, amount)).body)]).toEqual([amount, 'BAD_USER_INPUT']);
    expect(errorCode((await credit(t, randomUUID(), '5')).body)).toBe('NOT_FOUND');
  });

  it('takes a negative ADJUSTMENT only as far as zero', async () => {
    const r = await createReseller(t);
    await credit(t, r.accountId, '3.00');
    expect(errorCode((await credit(t, r.accountId, '-3.01')).body)).toBe('INSUFFICIENT_FUNDS');
    expect((await credit(t, r.accountId, '-3.00')).body.data.creditWallet.balance.amount).toBe('0.00');
    const w = await wallet(t, r.key);
    expect(w.transactions.map((x) => x.type)).toEqual(['ADJUSTMENT', 'DEPOSIT']);
  });
});
