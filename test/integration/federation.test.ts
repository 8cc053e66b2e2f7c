import {
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  placeOrder,
  waitForOrder,
  type Reseller,
} from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** The gateway as a Federation v2 subgraph: its SDL, and `_entities` as a router calls it. */
describe('federation subgraph', () => {
  let t: TestApp;
  let mine: Reseller;
  let other: Reseller;
  let order: { id: string; profiles: { id: string; iccid: string }[] };
  let planId: string;
  let walletId: string;
  let topUpId: string;
  const ENTITIES =
    'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Order { id status } ... on Profile { id iccid } ... on Plan { id name } ... on Provider { id name } ... on Account { id name } ... on Wallet { id balance { amount } } ... on TopUp { id topUpStatus: status } } }';

  beforeAll(async () => {
    t = await startTestApp();
    mine = await createReseller(t);
    other = await createReseller(t);
    await credit(t, mine.accountId, '50');
    planId = (await cheapestPlan(t, mine.key, 'esimaccess', { topUpSupported: true })).id;
    const { body } = await placeOrder(t, mine.key, { planId });
    await waitForOrder(t, mine.key, body.data.placeOrder.id);
    order = (
      await t.gql(
        'query($id: ID!) { order(id: $id) { id profiles { id iccid } } }',
        { id: body.data.placeOrder.id },
        mine.key,
      )
    ).body.data.order;
    walletId = (await t.gql('{ wallet { id } }', {}, mine.key)).body.data.wallet.id;
    const iccid = order.profiles[0].iccid;
    const [option] = (await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, mine.key)).body
      .data.topUpOptions;
    topUpId = (
      await t.gql(
        'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id } }',
        { i: { iccid, planId: option.id, idempotencyKey: `fed-${order.id}` } },
        mine.key,
      )
    ).body.data.topUpProfile.id;
  });
  afterAll(() => t.close());

  it('links federation v2.5 and declares the entities with @key in _service.sdl', async () => {
    const { body } = await t.gql('{ _service { sdl } }', {}, mine.key);
    const sdl: string = body.data._service.sdl;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.5"/);
    for (const type of ['Plan', 'Provider', 'Order', 'Profile', 'Account', 'TopUp', 'Wallet'])
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "id"\\)`));
    for (const type of ['Money', 'Country', 'PageInfo']) expect(sdl).toMatch(new RegExp(`type ${type}\\s+@shareable`));
  });

  it('resolves the caller’s own entities by key, through one call', async () => {
    const representations = [
      { __typename: 'Order', id: order.id },
      { __typename: 'Profile', id: order.profiles[0].id },
      { __typename: 'Plan', id: planId },
      { __typename: 'Provider', id: 'esimaccess' },
      { __typename: 'Account', id: mine.accountId },
      { __typename: 'Wallet', id: walletId },
      { __typename: 'TopUp', id: topUpId },
    ];
    const { body } = await t.gql(ENTITIES, { r: representations }, mine.key);
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { __typename: 'Order', id: order.id, status: 'COMPLETED' },
      { __typename: 'Profile', id: order.profiles[0].id, iccid: order.profiles[0].iccid },
      { __typename: 'Plan', id: planId, name: expect.any(String) },
      { __typename: 'Provider', id: 'esimaccess', name: expect.any(String) },
      { __typename: 'Account', id: mine.accountId, name: expect.any(String) },
      { __typename: 'Wallet', id: walletId, balance: { amount: expect.any(String) } },
      { __typename: 'TopUp', id: topUpId, topUpStatus: expect.any(String) },
    ]);
  });

  it('answers null for another account’s order, profile, account, wallet and top-up, and for unknown ids', async () => {
    const representations = [
      { __typename: 'Order', id: order.id },
      { __typename: 'Profile', id: order.profiles[0].id },
      { __typename: 'Account', id: mine.accountId },
      { __typename: 'Wallet', id: walletId },
      { __typename: 'TopUp', id: topUpId },
      { __typename: 'Order', id: 'no-such-order' },
      { __typename: 'Plan', id: 'esimaccess:NO_SUCH_PLAN' },
    ];
    const { body } = await t.gql(ENTITIES, { r: representations }, other.key);
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([null, null, null, null, null, null, null]);
  });

  it('is private and bounded: no key, no entities; over 100 representations is refused before any lookup', async () => {
    const anonymous = await t.gql(ENTITIES, { r: [{ __typename: 'Order', id: order.id }] }, null);
    expect(anonymous.status).toBe(401);
    expect(errorCode(anonymous.body)).toBe('UNAUTHENTICATED');
    const many = Array.from({ length: 101 }, () => ({ __typename: 'Provider', id: 'esimaccess' }));
    const { status, body } = await t.gql(ENTITIES, { r: many }, mine.key);
    expect(status).toBe(400);
    expect(errorCode(body)).toBe('QUERY_TOO_COMPLEX');
    expect(body.errors[0].message).toMatch(/at most 100 representations/);
    // Each representation costs its selection: one provider's page of plans is fine, a hundred are not.
    const pages =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { plans(first: 50) { nodes { id } } } } }';
    const one = await t.gql(pages, { r: [{ __typename: 'Provider', id: 'esimaccess' }] }, mine.key);
    expect(one.body.errors).toBeUndefined();
    const hundred = await t.gql(
      pages,
      { r: Array.from({ length: 100 }, () => ({ __typename: 'Provider', id: 'esimaccess' })) },
      mine.key,
    );
    expect(errorCode(hundred.body)).toBe('QUERY_TOO_COMPLEX');
    expect(hundred.body.errors[0].message).toMatch(/cost/);
  });
});
