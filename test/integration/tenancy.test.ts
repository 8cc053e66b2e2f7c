import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
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

/**
 * Reseller A holds every identifier of reseller B's objects and tries each operation with them.
 * Each must answer exactly as for an identifier nobody holds (NOT_FOUND, same message), with no
 * upstream call and no ledger row; lists, cursors, filters and subscriptions never show B's objects.
 */
describe('tenant isolation (BOLA matrix)', () => {
  let t: TestApp;
  let a: Reseller;
  let b: Reseller;
  let bOrder: { id: string; iccid: string; planId: string };
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
    [a, b] = [await createReseller(t), await createReseller(t)];
    await credit(t, a.accountId, '200');
    await credit(t, b.accountId, '200');
    const plan = await cheapestPlan(t, b.key, 'esimaccess', { minDataGb: 1 });
    const { body } = await placeOrder(t, b.key, { planId: plan.id, reference: 'b-secret-ref' });
    const order = await waitForOrder(t, b.key, body.data.placeOrder.id);
    bOrder = { id: order.id, iccid: order.profiles[0].iccid, planId: plan.id };
    // A has an order of its own, so its lists are not trivially empty.
    const mine = await placeOrder(t, a.key, { planId: plan.id, reference: 'a-ref' });
    await waitForOrder(t, a.key, mine.body.data.placeOrder.id);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  /** An ICCID of the same shape as B's that no one holds (Luhn check digit recomputed). */
  const strangerIccid = () =>
    withLuhn(`8985${Array.from({ length: bOrder.iccid.length - 5 }, () => Math.floor(Math.random() * 10)).join('')}`);

  const byId: Array<[string, string, (id: string) => Record<string, unknown>]> = [
    ['order', 'query($id: ID!) { order(id: $id) { id } }', (id) => ({ id })],
    ['cancelOrder', 'mutation($id: ID!) { cancelOrder(id: $id) { id } }', (id) => ({ id })],
  ];
  const byIccid: Array<[string, string, (iccid: string) => Record<string, unknown>]> = [
    ['profile', 'query($i: String!) { profile(iccid: $i) { iccid } }', (i) => ({ i })],
    ['topUpOptions', 'query($i: String!) { topUpOptions(iccid: $i) { id } }', (i) => ({ i })],
    [
      'topUpProfile',
      'mutation($in: TopUpInput!) { topUpProfile(input: $in) { id } }',
      (i) => ({ in: { iccid: i, planId: bOrder.planId, idempotencyKey: randomUUID() } }),
    ],
    ['suspendProfile', 'mutation($i: String!) { suspendProfile(iccid: $i) { iccid } }', (i) => ({ i })],
    ['resumeProfile', 'mutation($i: String!) { resumeProfile(iccid: $i) { iccid } }', (i) => ({ i })],
    ['revokeProfile', 'mutation($i: String!) { revokeProfile(iccid: $i) { iccid } }', (i) => ({ i })],
    ['sendSms', 'mutation($i: String!) { sendSms(iccid: $i, message: "hello") }', (i) => ({ i })],
    ['refreshUsage', 'mutation($i: String!) { refreshUsage(iccid: $i) { iccid } }', (i) => ({ i })],
  ];

  /** B's objects live at eSIM Access, which has no session to renew in the background: any call there is ours. */
  async function upstreamTotal(): Promise<number> {
    return (await t.control('esimaccess', 'stats')).total;
  }
  /**
   * The count once the orders of beforeAll have settled: their last callbacks and state reads
   * (webhooks, a profile re-read) may still be landing, and they are not A's calls.
   */
  async function quietUpstreamTotal(): Promise<number> {
    let last = await upstreamTotal();
    for (let stable = 0; stable < 4;) {
      await new Promise((res) => setTimeout(res, 100));
      const now = await upstreamTotal();
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
    return last;
  }
  const firstError = (body: any) => ({ code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message });

  it('answers B’s order ids and ICCIDs to A exactly as unknown ones, with no upstream call and no ledger row', async () => {
    const ledgers = [await wallet(t, a.key), await wallet(t, b.key)];
    const calls = await quietUpstreamTotal();
    for (const [name, query, vars] of byId) {
      const theirs = await t.gql(query, vars(bOrder.id), a.key);
      const nobodys = await t.gql(query, vars(randomUUID()), a.key);
      expect({ name, ...firstError(theirs.body) }).toEqual({
        name,
        code: 'NOT_FOUND',
        message: firstError(nobodys.body).message,
      });
    }
    for (const [name, query, vars] of byIccid) {
      const theirs = await t.gql(query, vars(bOrder.iccid), a.key);
      const nobodys = await t.gql(query, vars(strangerIccid()), a.key);
      expect({ name, ...firstError(theirs.body) }).toEqual({
        name,
        code: 'NOT_FOUND',
        message: firstError(nobodys.body).message,
      });
    }
    expect(await upstreamTotal()).toBe(calls);
    expect([await wallet(t, a.key), await wallet(t, b.key)]).toEqual(ledgers);
    // B's order is untouched: still completed, its profile still there.
    expect((await waitForOrder(t, b.key, bOrder.id)).status).toBe('COMPLETED');
  });

  it('never lists B’s objects to A, by filter, cursor or page', async () => {
    const query =
      'query($f: OrderFilter, $after: String) { orders(filter: $f, first: 100, after: $after) { nodes { id } edges { cursor } } profiles(first: 100) { nodes { iccid } } }';
    const all = (await t.gql(query, {}, a.key)).body.data;
    expect(all.orders.nodes.map((n: any) => n.id)).not.toContain(bOrder.id);
    expect(all.profiles.nodes.map((n: any) => n.iccid)).not.toContain(bOrder.iccid);
    for (const f of [{ iccid: bOrder.iccid }, { reference: 'b-secret-ref' }, { providerId: 'esimaccess' }]) {
      const { body } = await t.gql(query, { f }, a.key);
      expect(body.data.orders.nodes.map((n: any) => n.id)).not.toContain(bOrder.id);
    }
    // B's own cursor, handed to A, pages through A's orders only (or is refused), never B's.
    const bCursor = (await t.gql(query, {}, b.key)).body.data.orders.edges[0].cursor;
    const { body } = await t.gql(query, { after: bCursor }, a.key);
    expect(JSON.stringify(body.data ?? {})).not.toContain(bOrder.id);
  });

  it('sends A none of B’s events, even subscribed by B’s ids', async () => {
    const collect = (query: string, variables: Record<string, unknown> = {}) => {
      const client = createClient({
        url: `${t.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${a.key}` },
      });
      clients.push(client);
      const seen: any[] = [];
      client.subscribe(
        { query, variables },
        { next: (m) => seen.push(m), error: (e) => seen.push({ error: e }), complete: () => undefined },
      );
      return seen;
    };
    const seen = [
      collect('subscription { orderUpdated { id } }'),
      collect('subscription($id: ID) { orderUpdated(id: $id) { id } }', { id: bOrder.id }),
      collect('subscription { usageUpdated { iccid } }'),
      collect('subscription($i: String) { usageUpdated(iccid: $i) { iccid } }', { i: bOrder.iccid }),
      collect('subscription { walletUpdated { balance { amount } } }'),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    // B's activity: new orders (order and wallet events) and usage on B's profile.
    const plan = await cheapestPlan(t, b.key, 'esimaccess');
    for (let i = 0; i < 3; i++)
      await waitForOrder(t, b.key, (await placeOrder(t, b.key, { planId: plan.id })).body.data.placeOrder.id);
    await t.control('esimaccess', 'usage', { iccid: bOrder.iccid, usedBytes: 2048 });
    await t.gql('mutation($i: String!) { refreshUsage(iccid: $i) { iccid } }', { i: bOrder.iccid }, b.key);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const events of seen) expect(events.filter((m) => m.data)).toEqual([]);
  });
});

function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + ((10 - (sum % 10)) % 10);
}
