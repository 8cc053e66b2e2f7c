import 'reflect-metadata';
import { OrderEntity } from '../../src/db/entities';
import { LEDGER_QUERY, expectLedgerInvariants, ledgerFrom } from '../helpers/ledger';
import {
  ORDER_FIELDS,
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  placeOrder,
  waitForOrder,
  type Reseller,
} from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Money is never held silently (issue 15, item 2). Comium's simulator keeps an order PROCESSING
 * while its `hold` control is on (a provider that never settles) and sends no webhooks, so only
 * the reconciler and `resolveOrder` can move such an order on.
 */

const PROVIDER = 'comium';
const ATTENTION_AFTER_MS = 300;
/** Longer than the simulators' allocation delay in tests (SANDBOX_ORDER_DELAY_MS 50). */
const ALLOCATION_MS = 200;
const FIELDS = `${ORDER_FIELDS} failureCode attention { reason since }`;
const RESOLVE = `mutation($i: ResolveOrderInput!) { resolveOrder(input: $i) { ${FIELDS} } }`;
const NEEDS_ATTENTION =
  'query($f: OrderFilter) { orders(filter: $f, first: 100) { nodes { id attention { since } } } }';
const TRANSACTIONS =
  '{ wallet { balance { amount } transactions(first: 100) { nodes { type amount { amount } orderId description } } } }';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function order(t: TestApp, key: string, id: string): Promise<any> {
  return (await t.gql(`query($id: ID!) { order(id: $id) { ${FIELDS} } }`, { id }, key)).body.data.order;
}

async function listed(t: TestApp, key: string, filter: Record<string, unknown>): Promise<string[]> {
  const { body } = await t.gql(NEEDS_ATTENTION, { f: filter }, key);
  return body.data.orders.nodes.map((n: any) => n.id);
}

async function metric(t: TestApp, name: string): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const line = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  if (!line) throw new Error(`${name} missing from /metrics`);
  return Number(line[1]);
}

async function refunds(t: TestApp, key: string, orderId: string): Promise<any[]> {
  const { body } = await t.gql(TRANSACTIONS, {}, key);
  return body.data.wallet.transactions.nodes.filter((n: any) => n.type === 'REFUND' && n.orderId === orderId);
}

/** The reconciler is driven by hand here (its own interval is an hour), so nothing settles an order behind the test's back. */
describe('orders the provider leaves pending get attention, and an admin resolves them', () => {
  let t: TestApp;
  let owner: Reseller;
  let outsider: Reseller;
  let planId: string;
  const placed: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ ORDER_ATTENTION_AFTER_MS: String(ATTENTION_AFTER_MS), RECONCILE_INTERVAL_MS: '3600000' });
    owner = await createReseller(t);
    outsider = await createReseller(t);
    await credit(t, owner.accountId, '100.00');
    planId = (await cheapestPlan(t, owner.key, PROVIDER)).id;
  });
  afterAll(() => t.close());

  async function pendingOrder(): Promise<any> {
    await t.control(PROVIDER, 'hold', { on: true });
    const { body } = await placeOrder(t, owner.key, { planId });
    expect(body.errors).toBeUndefined();
    expect(body.data.placeOrder.status).toBe('PROCESSING');
    placed.push(body.data.placeOrder.id);
    return body.data.placeOrder;
  }

  /** A reconciler pass as if run `ms` after the order was placed (placing one takes longer than the threshold). */
  const passAt = (placedOrder: { createdAt: string }, ms: number) =>
    t.app.reconciler.tick(new Date(new Date(placedOrder.createdAt).getTime() + ms));

  /** An order flagged by a reconciler pass once the threshold has passed. */
  async function flaggedOrder(): Promise<any> {
    const placedOrder = await pendingOrder();
    await passAt(placedOrder, ATTENTION_AFTER_MS);
    const flagged = await order(t, owner.key, placedOrder.id);
    expect(flagged.attention).not.toBeNull();
    return flagged;
  }

  it('flags an order after ORDER_ATTENTION_AFTER_MS, not before, and keeps looking it up', async () => {
    const placedOrder = await pendingOrder();
    await passAt(placedOrder, ATTENTION_AFTER_MS - 1);
    expect((await order(t, owner.key, placedOrder.id)).attention).toBeNull();
    expect(await listed(t, ADMIN_KEY, { needsAttention: true })).not.toContain(placedOrder.id);
    expect(await metric(t, 'esim_orders_needing_attention')).toBe(0);

    await passAt(placedOrder, ATTENTION_AFTER_MS);
    const flagged = await order(t, owner.key, placedOrder.id);
    expect(flagged.status).toBe('PROCESSING');
    expect(flagged.attention.reason).toMatch(/not settled this after 300 ms/);
    expect(new Date(flagged.attention.since).getTime() - new Date(placedOrder.createdAt).getTime()).toBe(
      ATTENTION_AFTER_MS,
    );

    // Flagged is not given up: a pass a minute on asks the provider again, and the next look stays within the backoff cap.
    const before = (await t.control(PROVIDER, 'stats')).total;
    await t.app.reconciler.tick(new Date(Date.now() + 61_000));
    expect((await t.control(PROVIDER, 'stats')).total).toBeGreaterThan(before);
    const row = await t.app.db.getRepository(OrderEntity).findOneByOrFail({ id: placedOrder.id });
    expect(row.status).toBe('PROCESSING');
    expect(row.nextCheckAt!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('lists flagged orders for the admin across accounts, never for another reseller, and counts them in /metrics', async () => {
    const flagged = await flaggedOrder();
    expect(await listed(t, ADMIN_KEY, { needsAttention: true })).toContain(flagged.id);
    expect(await listed(t, ADMIN_KEY, { needsAttention: false })).not.toContain(flagged.id);
    expect(await listed(t, owner.key, { needsAttention: true })).toContain(flagged.id);
    expect(await listed(t, outsider.key, { needsAttention: true })).toEqual([]);
    const open = await listed(t, ADMIN_KEY, { needsAttention: true });
    expect(await metric(t, 'esim_orders_needing_attention')).toBe(open.length);
  });

  it('refuses resolveOrder to a reseller', async () => {
    const flagged = await flaggedOrder();
    for (const outcome of ['REFUND', 'RETRY_LOOKUP']) {
      const { body } = await t.gql(RESOLVE, { i: { orderId: flagged.id, outcome } }, owner.key);
      expect(errorCode(body)).toBe('FORBIDDEN');
    }
    expect(await refunds(t, owner.key, flagged.id)).toEqual([]);
  });

  it('REFUND fails the order and refunds it exactly once, the note kept in the ledger; asking again refunds nothing', async () => {
    const flagged = await flaggedOrder();
    const balance = async () => (await t.gql(TRANSACTIONS, {}, owner.key)).body.data.wallet.balance.amount;
    const held = await balance();
    const { body } = await t.gql(RESOLVE, {
      i: { orderId: flagged.id, outcome: 'REFUND', note: 'Comium support: order lost, ticket 4711' },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.resolveOrder).toMatchObject({
      id: flagged.id,
      status: 'FAILED',
      failureCode: 'PROVIDER_UNAVAILABLE',
      attention: null,
      profiles: [],
    });
    const [refund, ...more] = await refunds(t, owner.key, flagged.id);
    expect(more).toEqual([]);
    expect(refund.amount.amount).toBe(flagged.total.amount);
    expect(refund.description).toContain('Comium support: order lost, ticket 4711');
    expect(Number(await balance()) - Number(held)).toBeCloseTo(Number(flagged.total.amount), 2);

    const again = await t.gql(RESOLVE, { i: { orderId: flagged.id, outcome: 'REFUND', note: 'twice' } });
    expect(again.body.data.resolveOrder.status).toBe('FAILED');
    expect(await refunds(t, owner.key, flagged.id)).toHaveLength(1);
    expect(await listed(t, ADMIN_KEY, { needsAttention: true })).not.toContain(flagged.id);
  });

  it('refunds once when REFUND is asked concurrently, and a later lookup moves no money', async () => {
    const flagged = await flaggedOrder();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => t.gql(RESOLVE, { i: { orderId: flagged.id, outcome: 'REFUND' } })),
    );
    for (const { body } of answers) expect(body.data?.resolveOrder.status).toBe('FAILED');
    // The provider settling the order now changes nothing: the order is final.
    await t.control(PROVIDER, 'hold', { on: false });
    await sleep(ALLOCATION_MS);
    await t.app.reconciler.tick(new Date(Date.now() + 61_000));
    expect((await order(t, owner.key, flagged.id)).status).toBe('FAILED');
    expect(await refunds(t, owner.key, flagged.id)).toHaveLength(1);
  });

  it('refuses REFUND of a completed order', async () => {
    await t.control(PROVIDER, 'hold', { on: false });
    const { body } = await placeOrder(t, owner.key, { planId });
    placed.push(body.data.placeOrder.id);
    await sleep(ALLOCATION_MS);
    await t.app.reconciler.tick(new Date(Date.now() + 61_000));
    const completed = await order(t, owner.key, body.data.placeOrder.id);
    expect(completed.status).toBe('COMPLETED');
    const refused = await t.gql(RESOLVE, { i: { orderId: completed.id, outcome: 'REFUND' } });
    expect(errorCode(refused.body)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].message).toMatch(/COMPLETED/);
    expect(await refunds(t, owner.key, completed.id)).toEqual([]);
    expect(
      errorCode(
        (await t.gql(RESOLVE, { i: { orderId: '00000000-0000-4000-8000-000000000000', outcome: 'REFUND' } })).body,
      ),
    ).toBe('NOT_FOUND');
  });

  it('RETRY_LOOKUP asks the provider now: an order it has meanwhile completed ends COMPLETED without attention', async () => {
    const flagged = await flaggedOrder();
    await t.control(PROVIDER, 'hold', { on: false });
    await sleep(ALLOCATION_MS);
    const before = (await t.control(PROVIDER, 'stats')).total;
    const { body } = await t.gql(RESOLVE, { i: { orderId: flagged.id, outcome: 'RETRY_LOOKUP' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.resolveOrder).toMatchObject({ status: 'COMPLETED', attention: null });
    expect(body.data.resolveOrder.profiles).toHaveLength(1);
    expect((await t.control(PROVIDER, 'stats')).total).toBeGreaterThan(before);
    expect(await refunds(t, owner.key, flagged.id)).toEqual([]);
    expect(await listed(t, ADMIN_KEY, { needsAttention: true })).not.toContain(flagged.id);
  });

  it('keeps the ledger whole', async () => {
    await t.control(PROVIDER, 'hold', { on: false });
    const { body } = await t.gql(LEDGER_QUERY, {}, owner.key);
    expectLedgerInvariants(ledgerFrom(body.data), placed);
  });
});

describe('the running reconciler flags and unflags on its own', () => {
  /** Longer than placing an order takes (about a second at Comium), so the order is seen unflagged first. */
  const RUNNING_AFTER_MS = 3000;
  let t: TestApp;
  let owner: Reseller;

  beforeAll(async () => {
    t = await startTestApp({ ORDER_ATTENTION_AFTER_MS: String(RUNNING_AFTER_MS), RECONCILE_INTERVAL_MS: '50' });
    owner = await createReseller(t);
    await credit(t, owner.accountId, '100.00');
  });
  afterAll(() => t.close());

  it('flags an order left pending, and clears the flag once a lookup finds it completed', async () => {
    const plan = await cheapestPlan(t, owner.key, PROVIDER);
    await t.control(PROVIDER, 'hold', { on: true });
    const { body } = await placeOrder(t, owner.key, { planId: plan.id });
    const id = body.data.placeOrder.id;
    expect((await order(t, owner.key, id)).attention).toBeNull();
    let flagged: any = null;
    for (
      const deadline = Date.now() + RUNNING_AFTER_MS + 5000;
      !flagged?.attention && Date.now() < deadline;
      await sleep(25)
    )
      flagged = await order(t, owner.key, id);
    expect(flagged.attention).not.toBeNull();
    expect(new Date(flagged.attention.since).getTime() - new Date(flagged.createdAt).getTime()).toBeGreaterThanOrEqual(
      RUNNING_AFTER_MS,
    );
    expect(await metric(t, 'esim_orders_needing_attention')).toBe(1);

    await t.control(PROVIDER, 'hold', { on: false });
    // The backoff may have grown to a few seconds by now.
    const settled = await waitForOrder(t, owner.key, id, ['COMPLETED'], 20_000);
    expect((await order(t, owner.key, settled.id)).attention).toBeNull();
    for (
      const deadline = Date.now() + 5000;
      (await metric(t, 'esim_orders_needing_attention')) !== 0 && Date.now() < deadline;
    )
      await sleep(50);
    expect(await metric(t, 'esim_orders_needing_attention')).toBe(0);
    const row = await t.app.db.getRepository(OrderEntity).findOneByOrFail({ id });
    expect(row.attentionSince).toBeNull();
    const ledger = await t.gql(LEDGER_QUERY, {}, owner.key);
    expectLedgerInvariants(ledgerFrom(ledger.body.data), [id]);
  }, 40_000);
});
