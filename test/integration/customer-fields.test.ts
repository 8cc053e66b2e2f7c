import { OrderEntity } from '../../src/db/entities';
import {
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  placeOrder,
  TEST_CUSTOMER,
  waitForOrder,
  wallet,
  type Reseller,
} from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Comium and the eSIM platform e-mail the eSIM to the customer, and their order calls require the
 * customer's e-mail and name. A client can see that beforehand, and an order without them is
 * refused before any money moves.
 */
describe('customer details a provider needs', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp();
    r = await createReseller(t);
    await credit(t, r.accountId, '200');
  });
  afterAll(() => t.close());

  it('shows on the provider and on each of its plans which customer fields an order needs', async () => {
    const { body } = await t.gql(
      '{ providers { id customerFields } plans(first: 100) { nodes { provider { id } customerFields } } }',
      {},
      r.key,
    );
    const byProvider = Object.fromEntries(body.data.providers.map((p: any) => [p.id, p.customerFields]));
    expect(byProvider).toEqual({
      esimaccess: [],
      connectedyou: [],
      comium: ['EMAIL', 'NAME'],
      esimplatform: ['EMAIL', 'NAME'],
      esimtrade: [],
    });
    for (const plan of body.data.plans.nodes) expect(plan.customerFields).toEqual(byProvider[plan.provider.id]);
  });

  it.each(['comium', 'esimplatform'])(
    'refuses an order at %s without them, before the wallet or the provider is touched',
    async (providerId) => {
      const plan = await cheapestPlan(t, r.key, providerId);
      const before = await wallet(t, r.key);
      const holdings = async () =>
        ((await (await fetch(`${t.url}/sandbox/${providerId}/_control/stats`)).json()) as any).holdings
          .orders as number;
      const upstreamBefore = await holdings();

      const none = await placeOrder(t, r.key, { planId: plan.id, customer: null });
      expect(errorCode(none.body)).toBe('BAD_USER_INPUT');
      expect(none.body.errors[0].extensions.field).toBe('customer.email');
      const nameless = await placeOrder(t, r.key, { planId: plan.id, customer: { email: TEST_CUSTOMER.email } });
      expect(nameless.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customer.name' });

      expect((await wallet(t, r.key)).balance).toBe(before.balance);
      expect(await holdings()).toBe(upstreamBefore);
      expect(await t.app.db.getRepository(OrderEntity).countBy({ accountId: r.accountId, providerId })).toBe(0);
    },
  );

  it('orders with them, and a provider that needs none takes an order without', async () => {
    const platform = await cheapestPlan(t, r.key, 'esimplatform');
    const placed = await placeOrder(t, r.key, { planId: platform.id, customer: TEST_CUSTOMER });
    expect(placed.body.errors).toBeUndefined();
    expect((await waitForOrder(t, r.key, placed.body.data.placeOrder.id)).status).toBe('COMPLETED');

    const access = await cheapestPlan(t, r.key, 'esimaccess');
    const bare = await placeOrder(t, r.key, { planId: access.id, customer: null });
    expect(bare.body.errors).toBeUndefined();
  });
});
