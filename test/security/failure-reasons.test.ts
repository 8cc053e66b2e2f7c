import { randomUUID } from 'node:crypto';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const FAILURE = 'status failureReason failureCode providerFailure { code message }';
const ORDER = `query($id: ID!) { order(id: $id) { ${FAILURE} } }`;
const ORDERS = `{ orders(first: 50) { nodes { id ${FAILURE} } } }`;
const TOP_UP = `mutation($i: TopUpInput!) { topUpProfile(input: $i) { id ${FAILURE} } }`;
const TOP_UPS = `query($iccid: String!) { profile(iccid: $iccid) { topUps { id ${FAILURE} } } }`;

/** The upstream balance at 0: the simulator refuses with its own code and words (esimaccess 200007). */
async function withoutUpstreamBalance<T>(t: TestApp, work: () => Promise<T>): Promise<T> {
  await t.control('esimaccess', 'balance', { amount: '0' });
  try {
    return await work();
  } finally {
    await t.control('esimaccess', 'balance', { amount: '100000.00' });
  }
}

describe('failure reasons of refused orders and top-ups', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp();
    r = await createReseller(t, '10');
    await credit(t, r.accountId, '500');
  });
  afterAll(() => t.close());

  it('shows a reseller a neutral reason and a stable code for an order the provider refused, and the admin the provider’s own code and words', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const order = await withoutUpstreamBalance(t, async () => {
      const { body } = await placeOrder(t, r.key, { planId: plan.id });
      return waitForOrder(t, r.key, body.data.placeOrder.id);
    });
    expect(order.status).toBe('FAILED');

    const admin = (await t.gql(ORDER, { id: order.id })).body.data.order;
    expect(admin.providerFailure).toEqual({
      code: '200007',
      message: expect.stringMatching(/insufficient account balance/i),
    });
    expect(admin).toMatchObject({
      failureCode: 'PROVIDER_REFUSED',
      failureReason: 'The provider could not deliver this order; it was refunded.',
    });

    const seen = await t.gql(ORDER, { id: order.id }, r.key);
    expect(seen.body.data.order).toEqual({
      status: 'FAILED',
      failureCode: 'PROVIDER_REFUSED',
      failureReason: 'The provider could not deliver this order; it was refunded.',
      providerFailure: null,
    });
    const listed = await t.gql(ORDERS, {}, r.key);
    expect(listed.body.data.orders.nodes.find((n: any) => n.id === order.id)).toMatchObject({
      failureCode: 'PROVIDER_REFUSED',
      providerFailure: null,
    });
    for (const answer of [seen.body, listed.body]) {
      const text = JSON.stringify(answer);
      expect(text).not.toMatch(/insufficient|balance|200007|esimaccess refused/i);
      expect(text).not.toContain(admin.providerFailure.message);
    }
  });

  it('shows a reseller a neutral reason and a stable code for a top-up the provider refused, and the admin the provider’s own code and words', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess', { topUpSupported: true });
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    const iccid = (await waitForOrder(t, r.key, body.data.placeOrder.id)).profiles[0].iccid;
    const options = (await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, r.key)).body
      .data.topUpOptions;

    const refused = await withoutUpstreamBalance(t, () =>
      t.gql(TOP_UP, { i: { iccid, planId: options[0].id, idempotencyKey: randomUUID() } }, r.key),
    );
    expect(refused.body.errors).toBeUndefined();
    const neutral = {
      status: 'FAILED',
      failureCode: 'PROVIDER_REFUSED',
      failureReason: 'The provider could not apply this top-up; it was refunded.',
      providerFailure: null,
    };
    expect(refused.body.data.topUpProfile).toEqual({ id: expect.any(String), ...neutral });
    const listed = await t.gql(TOP_UPS, { iccid }, r.key);
    expect(listed.body.data.profile.topUps).toEqual([{ id: refused.body.data.topUpProfile.id, ...neutral }]);
    for (const answer of [refused.body, listed.body])
      expect(JSON.stringify(answer)).not.toMatch(/insufficient|balance|200007|refused the request/i);

    const admin = (await t.gql(TOP_UPS, { iccid })).body.data.profile.topUps[0];
    expect(admin).toMatchObject({
      failureCode: 'PROVIDER_REFUSED',
      providerFailure: { code: '200007', message: expect.stringMatching(/insufficient account balance/i) },
    });
  });

  it('leaves failureCode and providerFailure null on an order that went through', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    await waitForOrder(t, r.key, body.data.placeOrder.id);
    const admin = (await t.gql(ORDER, { id: body.data.placeOrder.id })).body.data.order;
    expect(admin).toEqual({ status: 'COMPLETED', failureReason: null, failureCode: null, providerFailure: null });
  });
});
