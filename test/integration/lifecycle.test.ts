import { randomUUID } from 'node:crypto';
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

const PROFILE =
  'iccid status providerStatus usage { usedBytes totalBytes remainingBytes percentUsed } topUps { id status total { amount } plan { id } }';

describe('profiles: lifecycle, usage and top-ups', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20', USAGE_CACHE_TTL_MS: '60000' });
    r = await createReseller(t, '5');
    await credit(t, r.accountId, '1000');
  });
  afterAll(() => t.close());

  async function order(providerId: string, quantity = 1, filter: Record<string, unknown> = {}): Promise<any> {
    const plan = await cheapestPlan(t, r.key, providerId, filter);
    const { body } = await placeOrder(t, r.key, { planId: plan.id, quantity });
    return waitForOrder(t, r.key, body.data.placeOrder.id);
  }
  const mutate = (name: string, iccid: string, key = r.key) =>
    t.gql(`mutation($i: String!) { ${name}(iccid: $i) { ${PROFILE} } }`, { i: iccid }, key);

  it('cancels an unused order at a provider that can, refunding it in full', async () => {
    const placed = await order('esimaccess', 2);
    const { body } = await t.gql(
      'mutation($id: ID!) { cancelOrder(id: $id) { status profiles { status } } }',
      { id: placed.id },
      r.key,
    );
    expect(body.data.cancelOrder).toEqual({
      status: 'CANCELLED',
      profiles: [{ status: 'CANCELLED' }, { status: 'CANCELLED' }],
    });
    const rows = (await wallet(t, r.key)).transactions.filter((x) => x.orderId === placed.id);
    const refunded = rows.filter((x) => x.type === 'REFUND').reduce((sum, x) => sum + Number(x.amount.amount), 0);
    expect(refunded).toBeCloseTo(Number(placed.total.amount), 6);
    const again = await t.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: placed.id }, r.key);
    expect(again.body.data.cancelOrder.status).toBe('CANCELLED');
    expect((await wallet(t, r.key)).transactions.filter((x) => x.orderId === placed.id)).toHaveLength(rows.length);
  });

  it('refuses to cancel a used profile', async () => {
    const placed = await order('esimaccess', 1, { minDataGb: 1 });
    const iccid = placed.profiles[0].iccid;
    await t.control('esimaccess', 'usage', { iccid, usedBytes: 1024 });
    await mutate('refreshUsage', iccid);
    expect(
      errorCode((await t.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: placed.id }, r.key)).body),
    ).toBe('BAD_USER_INPUT');
  });

  it('says NOT_SUPPORTED before any upstream call where the provider lacks the capability', async () => {
    const placed = await order('comium');
    const iccid = placed.profiles[0].iccid;
    await t.control('comium', 'reset-stats');
    expect(
      errorCode((await t.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: placed.id }, r.key)).body),
    ).toBe('NOT_SUPPORTED');
    for (const name of ['suspendProfile', 'resumeProfile', 'revokeProfile'])
      expect([name, errorCode((await mutate(name, iccid)).body)]).toEqual([name, 'NOT_SUPPORTED']);
    expect(
      errorCode((await t.gql('mutation($i: String!) { sendSms(iccid: $i, message: "hi") }', { i: iccid }, r.key)).body),
    ).toBe('NOT_SUPPORTED');
    expect((await t.control('comium', 'stats')).total).toBe(0);
  });

  it.each(['esimaccess', 'esimplatform'])(
    'suspends, resumes and revokes at %s, and sends an SMS',
    async (providerId) => {
      const iccid = (await order(providerId)).profiles[0].iccid;
      expect((await mutate('suspendProfile', iccid)).body.data.suspendProfile.status).toBe('SUSPENDED');
      expect((await mutate('resumeProfile', iccid)).body.data.resumeProfile.status).toBe('NOT_INSTALLED');
      expect(
        (await t.gql('mutation($i: String!) { sendSms(iccid: $i, message: "Welcome") }', { i: iccid }, r.key)).body.data
          .sendSms,
      ).toBe(true);
      expect((await mutate('revokeProfile', iccid)).body.data.revokeProfile.status).toBe('REVOKED');
      expect(
        (await t.gql('query($i: String!) { profile(iccid: $i) { status } }', { i: iccid }, r.key)).body.data.profile
          .status,
      ).toBe('REVOKED');
    },
  );

  it('reads usage live, and refreshUsage shows a change at once', async () => {
    const iccid = (await order('esimaccess', 1, { minDataGb: 1 })).profiles[0].iccid;
    await t.control('esimaccess', 'usage', { iccid, usedBytes: 536_870_912 });
    const { body } = await mutate('refreshUsage', iccid);
    expect(body.data.refreshUsage.status).toBe('ACTIVE');
    expect(body.data.refreshUsage.usage.usedBytes).toBe(536_870_912);
    expect(body.data.refreshUsage.usage.remainingBytes).toBe(body.data.refreshUsage.usage.totalBytes - 536_870_912);
  });

  it('batches usage reads per provider: ⌈profiles / 10⌉ calls at eSIM Access, then none within the cache TTL', async () => {
    const placed = await order('esimaccess', 12);
    await t.control('esimaccess', 'reset-stats');
    const query = 'query($id: ID!) { order(id: $id) { profiles { iccid usage { usedBytes } } } }';
    const first = await t.gql(query, { id: placed.id }, r.key);
    expect(first.body.data.order.profiles.every((p: any) => p.usage.usedBytes === 0)).toBe(true);
    // Usage calls only: the order's own webhook may still make the gateway re-read it (esim/query) meanwhile.
    const usageCalls = async () =>
      (await t.control('esimaccess', 'stats')).requests['POST /api/v1/open/esim/usage/query'] ?? 0;
    expect(await usageCalls()).toBe(2);
    await t.control('esimaccess', 'reset-stats');
    await t.gql(query, { id: placed.id }, r.key);
    expect(await usageCalls()).toBe(0);
  });

  it.each(['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'])(
    'tops up a profile at %s once per key, debiting the wallet',
    async (providerId) => {
      const iccid = (await order(providerId, 1, { topUpSupported: true })).profiles[0].iccid;
      const options = (
        await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id price { amount } } }', { i: iccid }, r.key)
      ).body.data.topUpOptions;
      expect(options.length).toBeGreaterThan(0);
      const input = { iccid, planId: options[0].id, idempotencyKey: randomUUID() };
      const before = (await wallet(t, r.key)).balance;
      const run = () =>
        t.gql(
          'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id status total { amount } plan { id } orderedPlan { planId unitPrice { amount } } profile { iccid } } }',
          { i: input },
          r.key,
        );
      const [a, b] = await Promise.all([run(), run()]);
      expect(a.body.errors).toBeUndefined();
      expect(b.body.data.topUpProfile.id).toBe(a.body.data.topUpProfile.id);
      // The duplicate may answer while the first call still runs: the same top-up, maybe still PENDING.
      const first = [a, b].map((x) => x.body.data.topUpProfile).find((x) => x.status === 'COMPLETED');
      expect(first).toMatchObject({
        status: 'COMPLETED',
        total: { amount: options[0].price.amount },
        orderedPlan: { planId: options[0].id, unitPrice: { amount: options[0].price.amount } },
        profile: { iccid },
      });
      // Top-up plans are listed per profile, not in the catalog: the plan as bought, under an id of its own.
      expect([options[0].id, `${options[0].id}@${first.id}`]).toContain(first.plan.id);
      const after = await wallet(t, r.key);
      expect(Number(after.balance)).toBeCloseTo(Number(before) - Number(options[0].price.amount), 6);
      expect(after.transactions[0]).toMatchObject({ type: 'TOP_UP', topUpId: a.body.data.topUpProfile.id });
      const profile = (await t.gql(`query($i: String!) { profile(iccid: $i) { ${PROFILE} } }`, { i: iccid }, r.key))
        .body.data.profile;
      expect(profile.topUps.map((x: any) => x.id)).toEqual([a.body.data.topUpProfile.id]);
    },
  );

  it('answers TOP_UP_NOT_SUPPORTED for a plan that cannot be topped up, and for a foreign plan', async () => {
    const iccid = (await order('esimaccess', 1, { topUpSupported: false })).profiles[0].iccid;
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const other = await cheapestPlan(t, r.key, 'comium');
    const run = (planId: string) =>
      t.gql(
        'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id } }',
        { i: { iccid, planId, idempotencyKey: randomUUID() } },
        r.key,
      );
    expect(errorCode((await run(plan.id)).body)).toBe('TOP_UP_NOT_SUPPORTED');
    expect(errorCode((await run(other.id)).body)).toBe('TOP_UP_NOT_SUPPORTED');
    expect(
      (await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, r.key)).body.data
        .topUpOptions,
    ).toEqual([]);
  });

  it('validates ICCIDs and SMS text at the edge', async () => {
    expect(errorCode((await mutate('suspendProfile', 'abc')).body)).toBe('BAD_USER_INPUT');
    expect(errorCode((await mutate('suspendProfile', '8900000000000000000')).body)).toBe('NOT_FOUND');
    const iccid = (await order('esimaccess')).profiles[0].iccid;
    expect(
      errorCode(
        (
          await t.gql(
            'mutation($i: String!, $m: String!) { sendSms(iccid: $i, message: $m) }',
            { i: iccid, m: 'x'.repeat(501) },
            r.key,
          )
        ).body,
      ),
    ).toBe('BAD_USER_INPUT');
  });
});
