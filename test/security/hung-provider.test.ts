import { randomUUID } from 'node:crypto';
import { ProviderUnavailableError } from '../../src/domain/errors';
import type { ProviderAdapter, TopUpSupport } from '../../src/providers/provider-adapter';
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

/**
 * Finding 7: one hanging provider must delay only its own background work. eSIM Access answers
 * nothing for 60 s (and the upstream timeout is as long), so only the reconciler's and poller's
 * own per-provider deadline lets go of its calls.
 */
describe('background work while one provider hangs', () => {
  const HUNG = 12;
  let t: TestApp;
  let r: Reseller;
  const hung: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      RECONCILE_INTERVAL_MS: '50',
      RECONCILE_DEADLINE_MS: '1000',
      RECONCILE_CONCURRENCY_PER_PROVIDER: '4',
      UPSTREAM_TIMEOUT_MS: '60000',
      UPSTREAM_BREAKER_THRESHOLD: '1000',
      USAGE_POLL_INTERVAL_MS: '1000',
    });
    r = await createReseller(t);
    await credit(t, r.accountId, '5000');
  });
  afterAll(() => t.close());

  it('completes a comium order within 5 s while twelve esim access orders hang, then finishes those once it heals', async () => {
    const esimPlan = await cheapestPlan(t, r.key, 'esimaccess', { topUpSupported: true });
    const comiumPlan = await cheapestPlan(t, r.key, 'comium');
    const soldBefore = (await t.control('esimaccess', 'stats')).holdings.orders;

    // Each placement's upstream call "times out" before reaching the provider: the parts stay
    // SUBMITTED with an unknown outcome, for the reconciler to look up.
    const adapter = t.app.registry.get('esimaccess') as { placeOrder: ProviderAdapter['placeOrder'] };
    const realPlaceOrder = adapter.placeOrder;
    adapter.placeOrder = async () => {
      throw new ProviderUnavailableError('esimaccess', 'TIMEOUT');
    };
    try {
      for (const { body } of await Promise.all(
        Array.from({ length: HUNG }, () => placeOrder(t, r.key, { planId: esimPlan.id })),
      )) {
        expect(body.errors).toBeUndefined();
        expect(body.data.placeOrder.status).toBe('PENDING');
        hung.push(body.data.placeOrder.id);
      }
    } finally {
      adapter.placeOrder = realPlaceOrder;
    }
    await t.control('esimaccess', 'fault', { mode: 'slow', latencyMs: 60_000 });
    await t.control('esimaccess', 'reset-stats');
    const hangStarted = Date.now();
    // The reconciler is now stuck on eSIM Access lookups.
    for (
      const deadline = Date.now() + 5000;
      (await t.control('esimaccess', 'stats')).total === 0 && Date.now() < deadline;
    )
      await new Promise((res) => setTimeout(res, 25));
    expect((await t.control('esimaccess', 'stats')).total).toBeGreaterThan(0);

    const started = Date.now();
    const { body } = await placeOrder(t, r.key, { planId: comiumPlan.id });
    expect(body.errors).toBeUndefined();
    const comium = await waitForOrder(t, r.key, body.data.placeOrder.id, ['COMPLETED', 'FAILED'], 5000);
    const elapsed = Date.now() - started;
    expect(comium.status).toBe('COMPLETED');
    expect(elapsed).toBeLessThan(5000);

    // While hung, the eSIM Access orders are neither failed nor refunded: their money stays held.
    const held = await Promise.all(
      hung.map((id) => t.gql('query($id: ID!) { order(id: $id) { status } }', { id }, r.key)),
    );
    for (const res of held) expect(['PENDING', 'PROCESSING']).toContain(res.body.data.order.status);
    // Lookups were bounded per provider: at most 4 at a time, each let go after its deadline.
    const calls = (await t.control('esimaccess', 'stats')).total;
    expect(calls).toBeLessThanOrEqual(4 * (Math.ceil((Date.now() - hangStarted) / 1000) + 1));

    await t.control('esimaccess', 'fault', { mode: 'ok' });
    for (const id of hung)
      expect((await waitForOrder(t, r.key, id, ['COMPLETED', 'FAILED'], 20_000)).status).toBe('COMPLETED');
    expect((await t.control('esimaccess', 'stats')).holdings.orders - soldBefore).toBe(HUNG);
    const rows = (await wallet(t, r.key)).transactions;
    expect(rows.filter((x) => x.type === 'REFUND')).toEqual([]);
    expect(rows.filter((x) => x.type === 'ORDER' && hung.includes(x.orderId))).toHaveLength(HUNG);
  }, 40_000);

  it('keeps polling comium profiles while the polls of esim access profiles hang', async () => {
    // The first test left live profiles at both providers.
    await t.control('esimaccess', 'fault', { mode: 'slow', latencyMs: 60_000 });
    // Wait until a poll of eSIM Access (every 5 s with webhooks) is hanging.
    await t.control('esimaccess', 'reset-stats');
    for (
      const deadline = Date.now() + 8000;
      (await t.control('esimaccess', 'stats')).total === 0 && Date.now() < deadline;
    )
      await new Promise((res) => setTimeout(res, 25));
    expect((await t.control('esimaccess', 'stats')).total).toBeGreaterThan(0);
    await t.control('comium', 'reset-stats');
    await new Promise((res) => setTimeout(res, 3000));
    // Comium has no webhooks: its one profile is polled every second.
    expect((await t.control('comium', 'stats')).total).toBeGreaterThanOrEqual(2);
    await t.control('esimaccess', 'fault', { mode: 'ok' });
  }, 20_000);

  it('keeps a top-up pending with its money held while esim access hangs, and completes it once it heals', async () => {
    const iccid = (await waitForOrder(t, r.key, hung[0])).profiles[0].iccid;
    const options = (await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, r.key)).body
      .data.topUpOptions;
    const topUps: TopUpSupport = t.app.registry.require('esimaccess', 'TOP_UP');
    const realBuy = topUps.buy;
    topUps.buy = async () => {
      throw new ProviderUnavailableError('esimaccess', 'TIMEOUT');
    };
    let placed: any;
    try {
      placed = (
        await t.gql(
          'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id status } }',
          { i: { iccid, planId: options[0].id, idempotencyKey: randomUUID() } },
          r.key,
        )
      ).body;
    } finally {
      topUps.buy = realBuy;
    }
    expect(placed.errors).toBeUndefined();
    expect(placed.data.topUpProfile.status).toBe('PENDING');
    const id = placed.data.topUpProfile.id;
    const status = async () =>
      (
        await t.gql('query($i: String!) { profile(iccid: $i) { topUps { id status } } }', { i: iccid }, r.key)
      ).body.data.profile.topUps.find((x: any) => x.id === id).status;

    await t.control('esimaccess', 'fault', { mode: 'slow', latencyMs: 60_000 });
    await t.control('esimaccess', 'reset-stats');
    // Through two deadlines of hung top-up calls, it stays PENDING and nothing is refunded.
    for (const until = Date.now() + 2500; Date.now() < until; await new Promise((res) => setTimeout(res, 100)))
      expect(await status()).toBe('PENDING');
    expect((await t.control('esimaccess', 'stats')).requests).toHaveProperty(['POST /api/v1/open/esim/topup']);
    expect((await wallet(t, r.key)).transactions.filter((x) => x.topUpId === id).map((x) => x.type)).toEqual([
      'TOP_UP',
    ]);

    await t.control('esimaccess', 'fault', { mode: 'ok' });
    for (const until = Date.now() + 10_000; (await status()) === 'PENDING' && Date.now() < until;)
      await new Promise((res) => setTimeout(res, 50));
    expect(await status()).toBe('COMPLETED');
    expect((await wallet(t, r.key)).transactions.filter((x) => x.topUpId === id).map((x) => x.type)).toEqual([
      'TOP_UP',
    ]);
  }, 20_000);
});

describe('placing orders while one provider hangs', () => {
  let t: TestApp;
  let r: Reseller;

  beforeAll(async () => {
    t = await startTestApp({
      RECONCILE_INTERVAL_MS: '50',
      UPSTREAM_TIMEOUT_MS: '3000',
      UPSTREAM_BREAKER_THRESHOLD: '1000',
    });
    r = await createReseller(t);
    await credit(t, r.accountId, '500');
  });
  afterAll(() => t.close());

  it('answers and completes a comium order while esim access placements hang', async () => {
    const esimPlan = await cheapestPlan(t, r.key, 'esimaccess', { topUpSupported: true });
    const comiumPlan = await cheapestPlan(t, r.key, 'comium');
    await t.control('esimaccess', 'fault', { mode: 'slow', latencyMs: 60_000 });
    await t.control('esimaccess', 'reset-stats');
    const hanging = Array.from({ length: 8 }, () => placeOrder(t, r.key, { planId: esimPlan.id }));
    for (
      const deadline = Date.now() + 3000;
      (await t.control('esimaccess', 'stats')).total < 8 && Date.now() < deadline;
    )
      await new Promise((res) => setTimeout(res, 25));

    const started = Date.now();
    const { body } = await placeOrder(t, r.key, { planId: comiumPlan.id });
    expect(body.errors).toBeUndefined();
    // Bounds against the 60 s hang, loose for loaded machines: Comium re-prices from its whole
    // catalog (one /Bundles read per category, under its 10 calls/s limit), about a second.
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await waitForOrder(t, r.key, body.data.placeOrder.id, ['COMPLETED', 'FAILED'], 8000)).status).toBe(
      'COMPLETED',
    );
    expect(Date.now() - started).toBeLessThan(8000);

    // The hung placements time out while re-pricing, before any money moves.
    for (const res of await Promise.all(hanging)) expect(errorCode(res.body)).toBe('PROVIDER_UNAVAILABLE');
    const ledger = await wallet(t, r.key);
    expect(ledger.transactions.map((x) => x.type).sort()).toEqual(['DEPOSIT', 'ORDER']);
    await t.control('esimaccess', 'fault', { mode: 'ok' });
  }, 20_000);
});
