import { randomUUID } from 'node:crypto';
import {
  ORDER_FIELDS,
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  placeOrder,
  waitForOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { PROVIDERS, startTestApp, type TestApp } from '../helpers/test-app';

describe('placing orders', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
    r = await createReseller(t, '10');
    await credit(t, r.accountId, '500.00');
  });
  afterAll(() => t.close());

  it.each(PROVIDERS)(
    'completes an order at %s with an installable profile, charged once at the marked-up price',
    async (providerId) => {
      const plan = await cheapestPlan(t, r.key, providerId);
      const before = (await wallet(t, r.key)).balance;
      const { body } = await placeOrder(t, r.key, {
        planId: plan.id,
        reference: `ref-${providerId}-${randomUUID().slice(0, 6)}`,
      });
      expect(body.errors).toBeUndefined();
      expect(['PENDING', 'PROCESSING', 'COMPLETED']).toContain(body.data.placeOrder.status);
      const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
      expect(order).toMatchObject({
        status: 'COMPLETED',
        quantity: 1,
        provider: { id: providerId },
        total: { amount: plan.price.amount, currency: 'USD' },
        failureReason: null,
      });
      expect(order.plan.price.amount).toBe(plan.price.amount);
      const [profile] = order.profiles;
      expect(order.profiles).toHaveLength(1);
      expect(profile.iccid).toMatch(/^89\d{16,20}$/);
      expect(profile.status).toBe('NOT_INSTALLED');
      // Activation as each provider gives it: an SM-DP+ pair, the eSIM platform's QR code URL only,
      // or nothing where Comium e-mails the eSIM to the customer.
      if (providerId === 'comium') expect(profile.activation).toBeNull();
      else if (providerId === 'esimplatform')
        expect(profile.activation).toEqual({
          smdpAddress: null,
          matchingId: null,
          lpaString: null,
          qrCodeUrl: expect.stringMatching(/^https:\/\//),
        });
      else
        expect(profile.activation.lpaString).toBe(
          `LPA:1$${profile.activation.smdpAddress}$${profile.activation.matchingId}`,
        );
      const after = await wallet(t, r.key);
      expect(Number(after.balance)).toBeCloseTo(Number(before) - Number(plan.price.amount), 6);
      expect(after.transactions[0]).toMatchObject({
        type: 'ORDER',
        amount: { amount: `-${plan.price.amount}` },
        balanceAfter: { amount: after.balance },
        orderId: order.id,
      });
    },
  );

  it('answers the first order again for the same key and input, even concurrently, and refuses other input', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const idempotencyKey = randomUUID();
    await t.control('esimaccess', 'reset-stats');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => placeOrder(t, r.key, { planId: plan.id, idempotencyKey })),
    );
    const ids = new Set(results.map((res) => res.body.data?.placeOrder.id));
    expect(ids.size).toBe(1);
    expect((await t.control('esimaccess', 'stats')).requests['POST /api/v1/open/esim/order']).toBe(1);
    const other = await placeOrder(t, r.key, { planId: plan.id, idempotencyKey, quantity: 2 });
    expect(errorCode(other.body)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('orders several profiles in one upstream batch at eSIM Access', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    await t.control('esimaccess', 'reset-stats');
    const { body } = await placeOrder(t, r.key, { planId: plan.id, quantity: 3 });
    const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
    expect(order.profiles).toHaveLength(3);
    expect((await t.control('esimaccess', 'stats')).requests['POST /api/v1/open/esim/order']).toBe(1);
  });

  it('refuses an order the wallet cannot pay without calling the provider, then accepts the same key once funded', async () => {
    const poor = await createReseller(t);
    const plan = await cheapestPlan(t, poor.key, 'esimaccess');
    const idempotencyKey = randomUUID();
    await t.control('esimaccess', 'reset-stats');
    const refused = await placeOrder(t, poor.key, { planId: plan.id, idempotencyKey });
    expect(errorCode(refused.body)).toBe('INSUFFICIENT_FUNDS');
    expect((await t.control('esimaccess', 'stats')).requests['POST /api/v1/open/esim/order']).toBeUndefined();
    expect((await wallet(t, poor.key)).transactions).toHaveLength(0);
    await credit(t, poor.accountId, '100');
    const accepted = await placeOrder(t, poor.key, { planId: plan.id, idempotencyKey });
    expect(accepted.body.errors).toBeUndefined();
  });

  it('fails an order the provider refuses, with the reason and one REFUND', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimtrade');
    await t.control('esimtrade', 'balance', { amount: '0' });
    try {
      const { body } = await placeOrder(t, r.key, { planId: plan.id });
      const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
      expect(order.status).toBe('FAILED');
      expect(order.failureReason).toBeTruthy();
      const { transactions } = await wallet(t, r.key);
      const rows = transactions.filter((x) => x.orderId === order.id);
      expect(rows.map((x) => x.type).sort()).toEqual(['ORDER', 'REFUND']);
      expect(rows.find((x) => x.type === 'REFUND').amount.amount).toBe(plan.price.amount);
    } finally {
      await t.control('esimtrade', 'balance', { amount: '5000.00' });
    }
  });

  it('validates input at the edge', async () => {
    const plan = await cheapestPlan(t, r.key, 'comium');
    const cases: [Record<string, unknown>, string][] = [
      [{ planId: 'nope' }, 'BAD_USER_INPUT'],
      [{ planId: plan.id, quantity: 0 }, 'BAD_USER_INPUT'],
      [{ planId: plan.id, quantity: 51 }, 'BAD_USER_INPUT'],
      [{ planId: plan.id, customer: { email: 'not-an-email' } }, 'BAD_USER_INPUT'],
      [{ planId: plan.id, idempotencyKey: '' }, 'BAD_USER_INPUT'],
      [{ planId: 'comium:NO-SUCH-BUNDLE' }, 'PLAN_UNAVAILABLE'],
    ];
    for (const [input, code] of cases)
      expect([input, errorCode((await placeOrder(t, r.key, input)).body)]).toEqual([input, code]);
  });

  it('keeps a reference unique per account and filters orders by it, by status, provider and ICCID', async () => {
    const plan = await cheapestPlan(t, r.key, 'connectedyou');
    const reference = `unique-${randomUUID().slice(0, 8)}`;
    const { body } = await placeOrder(t, r.key, { planId: plan.id, reference });
    const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
    expect(errorCode((await placeOrder(t, r.key, { planId: plan.id, reference })).body)).toBe('BAD_USER_INPUT');
    const query = `query($f: OrderFilter) { orders(filter: $f) { totalCount nodes { id } } }`;
    const by = async (f: object) => (await t.gql(query, { f }, r.key)).body.data.orders;
    expect((await by({ reference })).nodes).toEqual([{ id: order.id }]);
    expect((await by({ iccid: order.profiles[0].iccid })).nodes).toEqual([{ id: order.id }]);
    expect((await by({ providerId: 'connectedyou', status: 'COMPLETED' })).nodes.map((o: any) => o.id)).toContain(
      order.id,
    );
    expect((await by({ createdAfter: new Date(Date.now() + 60_000).toISOString() })).totalCount).toBe(0);
  });

  it('pages orders newest first without repeating or skipping', async () => {
    const all = (await t.gql('{ orders(first: 100) { totalCount nodes { id } } }', {}, r.key)).body.data.orders;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (
        await t.gql(
          'query($a: String) { orders(first: 3, after: $a) { pageInfo { hasNextPage endCursor } nodes { id } } }',
          { a: after },
          r.key,
        )
      ).body.data.orders;
      seen.push(...page.nodes.map((n: any) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.nodes.map((n: any) => n.id));
    expect(seen.length).toBe(all.totalCount);
  });

  it('shows a reseller only its own orders and profiles; another account’s look missing', async () => {
    const other = await createReseller(t);
    const mine = (await t.gql(`{ orders(first: 1) { nodes { ${ORDER_FIELDS} } } }`, {}, r.key)).body.data.orders
      .nodes[0];
    expect(errorCode((await t.gql('query($id: ID!) { order(id: $id) { id } }', { id: mine.id }, other.key)).body)).toBe(
      'NOT_FOUND',
    );
    expect(
      errorCode((await t.gql('query($id: ID!) { order(id: $id) { id } }', { id: randomUUID() }, other.key)).body),
    ).toBe('NOT_FOUND');
    expect((await t.gql('{ orders { totalCount } profiles { totalCount } }', {}, other.key)).body.data).toEqual({
      orders: { totalCount: 0 },
      profiles: { totalCount: 0 },
    });
    expect(
      errorCode(
        (await t.gql('query($i: String!) { profile(iccid: $i) { iccid } }', { i: mine.profiles[0].iccid }, other.key))
          .body,
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode((await t.gql('mutation($id: ID!) { cancelOrder(id: $id) { id } }', { id: mine.id }, other.key)).body),
    ).toBe('NOT_FOUND');
    expect((await t.gql('query($id: ID!) { order(id: $id) { id } }', { id: mine.id })).body.data.order.id).toBe(
      mine.id,
    );
  });
});
