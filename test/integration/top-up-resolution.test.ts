import { ProviderUnavailableError } from '../../src/domain/errors';
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
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A top-up whose outcome eSIMTrade left unclear (5xx after it was sent) is never bought again
 * (eSIMTrade documents no idempotency key and no read of a top-up by our reference): it waits,
 * flagged, for a person, who settles it with resolveTopUp.
 */
describe('settling an unclear top-up', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20', ORDER_ATTENTION_AFTER_MS: '300' });
    r = await createReseller(t);
    await credit(t, r.accountId, '100');
  });
  afterAll(() => t.close());

  const resolve = (topUpId: string, outcome: string, key = ADMIN_KEY) =>
    t.gql(
      'mutation($i: ResolveTopUpInput!) { resolveTopUp(input: $i) { id status } }',
      { i: { topUpId, outcome, note: 'provider says nothing arrived' } },
      key,
    );

  it('is bought once, flagged, and refunded exactly once by an admin', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimtrade', { topUpSupported: true });
    const placed = await placeOrder(t, r.key, { planId: plan.id });
    const iccid = (await waitForOrder(t, r.key, placed.body.data.placeOrder.id)).profiles[0].iccid;
    const [option] = (await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, r.key)).body
      .data.topUpOptions;
    await t.control('esimtrade', 'reset-stats');
    // The top-up is made upstream, then its answer is lost (a 5xx after sending).
    const group = t.app.registry.require('esimtrade', 'TOP_UP') as { buy: (...args: any[]) => Promise<unknown> };
    const realBuy = group.buy;
    group.buy = async (...args) => {
      await realBuy(...args);
      throw new ProviderUnavailableError('esimtrade', 'SERVER_ERROR');
    };
    const topUp = (
      await t.gql(
        'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id status } }',
        { i: { iccid, planId: option.id, idempotencyKey: `unclear-${Date.now()}` } },
        r.key,
      )
    ).body.data.topUpProfile;
    expect(topUp.status).toBe('PENDING');
    group.buy = realBuy;

    let attention: unknown = null;
    for (
      const end = Date.now() + 5000;
      !attention && Date.now() < end;
      await new Promise((res) => setTimeout(res, 50))
    ) {
      const profile = (
        await t.gql(
          'query($i: String!) { profile(iccid: $i) { topUps { id status attention { reason } } } }',
          { i: iccid },
          r.key,
        )
      ).body.data.profile;
      attention = profile.topUps.find((x: any) => x.id === topUp.id)?.attention ?? null;
    }
    expect(attention).not.toBeNull();
    // Passes of the reconciler meanwhile looked, and never bought it a second time.
    const sent = (await t.control('esimtrade', 'stats')).requests['POST /portal/topups'] ?? 0;
    expect(sent).toBe(1);

    expect(errorCode((await resolve(topUp.id, 'REFUND', r.key)).body)).toBe('FORBIDDEN');
    const before = await wallet(t, r.key);
    const [first, second] = await Promise.all([resolve(topUp.id, 'REFUND'), resolve(topUp.id, 'REFUND')]);
    expect([first.body.data.resolveTopUp.status, second.body.data.resolveTopUp.status]).toEqual(['FAILED', 'FAILED']);
    expect((await resolve(topUp.id, 'REFUND')).body.data.resolveTopUp.status).toBe('FAILED');
    const after = await wallet(t, r.key);
    const refunds = after.transactions.filter((x) => x.topUpId === topUp.id && x.type === 'REFUND');
    expect(refunds).toHaveLength(1);
    expect(Number(after.balance) - Number(before.balance)).toBeCloseTo(Number(refunds[0].amount.amount), 6);
  });
});
