import { randomUUID } from 'node:crypto';
import { OrderEntity } from '../../src/db/entities';
import { MONEY_SCALE } from '../../src/db/columns';
import { toScaledInteger } from '../../src/domain/money';
import { expectLedgerInvariants, LEDGER_QUERY, ledgerFrom } from '../helpers/ledger';
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

// eSIM Access is the one provider with both CANCEL and TOP_UP. Its document refunds an unused
// profile on cancel, not the top-ups bought on it, so a topped-up profile is never cancelled.
const PROVIDER = 'esimaccess';
const CANCEL_CALL = 'POST /api/v1/open/esim/cancel';
const TOP_UP_CALL = 'POST /api/v1/open/esim/topup';
const CONFLICTS = ['PROFILE_TOPPED_UP', 'TOP_UP_IN_PROGRESS', 'CANCEL_IN_PROGRESS', 'PROFILE_CANCELLED'];

const units = (amount: string): number => toScaledInteger(amount, MONEY_SCALE);

describe('cancel and top-ups of one profile', () => {
  let t: TestApp;
  let r: Reseller;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
    r = await createReseller(t, '5');
    await credit(t, r.accountId, '1000');
  });
  afterAll(() => t.close());
  afterEach(() => t.control(PROVIDER, 'fault', { mode: 'ok' }));

  async function freshProfile(): Promise<{ orderId: string; iccid: string; total: string; topUpPlan: string }> {
    const plan = await cheapestPlan(t, r.key, PROVIDER, { topUpSupported: true });
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
    expect(order.status).toBe('COMPLETED');
    const iccid = order.profiles[0].iccid;
    const options = (await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, r.key)).body
      .data.topUpOptions;
    return { orderId: order.id, iccid, total: order.total.amount, topUpPlan: options[0].id };
  }
  const balance = async (): Promise<number> =>
    units(ledgerFrom((await t.gql(LEDGER_QUERY, {}, r.key)).body.data).balance);
  const topUp = (iccid: string, planId: string) =>
    t.gql(
      'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id status total { amount } } }',
      { i: { iccid, planId, idempotencyKey: randomUUID() } },
      r.key,
    );
  const cancel = (id: string) =>
    t.gql('mutation($id: ID!) { cancelOrder(id: $id) { status profiles { status } } }', { id }, r.key);
  const profile = async (iccid: string) =>
    (
      await t.gql(
        'query($i: String!) { profile(iccid: $i) { status topUps { id status total { amount } } } }',
        { i: iccid },
        r.key,
      )
    ).body.data.profile;
  const orderStatus = async (id: string) =>
    (await t.gql('query($id: ID!) { order(id: $id) { status } }', { id }, r.key)).body.data.order.status;
  const upstreamCalls = async (): Promise<Record<string, number>> => (await t.control(PROVIDER, 'stats')).requests;

  /** Reads the profile until none of its top-ups is PENDING (the reconciler settles them). */
  async function settledTopUps(iccid: string): Promise<any[]> {
    for (
      const deadline = Date.now() + 10_000;
      Date.now() < deadline;
      await new Promise((resolve) => setTimeout(resolve, 25))
    ) {
      const { topUps } = await profile(iccid);
      if (topUps.every((x: any) => x.status !== 'PENDING')) return topUps;
    }
    throw new Error(`a top-up of ${iccid} stayed PENDING`);
  }

  async function expectLedgerHolds(): Promise<void> {
    expectLedgerInvariants(ledgerFrom((await t.gql(LEDGER_QUERY, {}, r.key)).body.data));
  }

  it('refuses to cancel a topped-up profile before anything is sent, and the profile keeps working', async () => {
    const p = await freshProfile();
    const bought = await topUp(p.iccid, p.topUpPlan);
    expect(bought.body.data.topUpProfile.status).toBe('COMPLETED');
    const before = await balance();
    await t.control(PROVIDER, 'reset-stats');

    const refused = await cancel(p.orderId);
    expect(errorCode(refused.body)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].extensions.reason).toBe('PROFILE_TOPPED_UP');
    expect(refused.body.errors[0].message).toContain(p.iccid);
    expect((await upstreamCalls())[CANCEL_CALL]).toBeUndefined();
    expect(await balance()).toBe(before);
    expect(await orderStatus(p.orderId)).toBe('COMPLETED');

    // Still the reseller's working profile: the lease was released, so it takes another top-up and reports usage.
    const again = await topUp(p.iccid, p.topUpPlan);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.topUpProfile.status).toBe('COMPLETED');
    await t.control(PROVIDER, 'usage', { iccid: p.iccid, usedBytes: 1024 });
    const used = await t.gql(
      'mutation($i: String!) { refreshUsage(iccid: $i) { status usage { usedBytes } } }',
      { i: p.iccid },
      r.key,
    );
    expect(used.body.data.refreshUsage).toEqual({ status: 'ACTIVE', usage: { usedBytes: 1024 } });
    expect(await balance()).toBe(before - units(again.body.data.topUpProfile.total.amount));
    await expectLedgerHolds();
  });

  it('refuses a cancel while a top-up is paid for but its outcome is not known yet', async () => {
    const p = await freshProfile();
    await t.control(PROVIDER, 'fault', { mode: 'slow', latencyMs: 1500 });
    const pending = topUp(p.iccid, p.topUpPlan);
    // The debit commits after the (slow) price check; the top-up is PENDING while the purchase is on its way.
    for (
      const deadline = Date.now() + 10_000;
      !(await profile(p.iccid)).topUps.some((x: any) => x.status === 'PENDING');
    ) {
      if (Date.now() > deadline) throw new Error('the top-up never became PENDING');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await t.control(PROVIDER, 'reset-stats');
    const refused = await cancel(p.orderId);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOP_UP_IN_PROGRESS' });
    expect((await upstreamCalls())[CANCEL_CALL]).toBeUndefined();
    expect((await pending).body.data.topUpProfile.status).toBe('COMPLETED');
    await t.control(PROVIDER, 'fault', { mode: 'ok' });
    expect(errorCode((await cancel(p.orderId)).body)).toBe('BAD_USER_INPUT');
    expect((await profile(p.iccid)).status).toBe('NOT_INSTALLED');
    await expectLedgerHolds();
  });

  it('refuses a top-up while a cancel holds the order, and on a cancelled profile, before money moves', async () => {
    const p = await freshProfile();
    const before = await balance();
    // A cancel of this order in flight on another instance: its lease is all this one sees.
    await t.app.db
      .getRepository(OrderEntity)
      .update({ id: p.orderId }, { cancelLeaseUntil: new Date(Date.now() + 30_000) });
    await t.control(PROVIDER, 'reset-stats');
    const during = await topUp(p.iccid, p.topUpPlan);
    expect(during.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CANCEL_IN_PROGRESS' });
    expect((await upstreamCalls())[TOP_UP_CALL]).toBeUndefined();
    expect(await balance()).toBe(before);

    // The other instance died: its lease runs out and a cancel goes through, refunding the order.
    await t.app.db.getRepository(OrderEntity).update({ id: p.orderId }, { cancelLeaseUntil: new Date(Date.now() - 1) });
    expect((await cancel(p.orderId)).body.data.cancelOrder).toEqual({
      status: 'CANCELLED',
      profiles: [{ status: 'CANCELLED' }],
    });
    expect(await balance()).toBe(before + units(p.total));
    await t.control(PROVIDER, 'reset-stats');
    const after = await topUp(p.iccid, p.topUpPlan);
    expect(after.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PROFILE_CANCELLED' });
    expect(await upstreamCalls()).toEqual({});
    expect(await balance()).toBe(before + units(p.total));
    expect((await profile(p.iccid)).topUps).toEqual([]);
    await expectLedgerHolds();
  });

  it('ends a racing top-up and cancel as one of the two in sequence, round after round', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round++) {
      const p = await freshProfile();
      const start = await balance();
      await t.control(PROVIDER, 'reset-stats');
      // Stagger the cancel (0–72 ms) so rounds land in different windows of the top-up: before its
      // price check upstream, around its debit, during its purchase, after it.
      const [bought, cancelled] = await Promise.all([
        topUp(p.iccid, p.topUpPlan),
        new Promise((resolve) => setTimeout(resolve, round * 8)).then(() => cancel(p.orderId)),
      ]);
      const topUps = await settledTopUps(p.iccid);
      const calls = await upstreamCalls();
      const end = await balance();
      const status = await orderStatus(p.orderId);
      const kept = topUps.filter((x) => x.status === 'COMPLETED');
      const label = `round ${round}: top-up ${bought.body.errors?.[0]?.extensions?.reason ?? bought.body.data?.topUpProfile?.status}, cancel ${cancelled.body.errors?.[0]?.extensions?.reason ?? cancelled.body.data?.cancelOrder?.status}`;

      if (status === 'CANCELLED') {
        // The cancel won: the wallet is whole, and no top-up was bought or kept on the cancelled profile.
        expect([label, cancelled.body.errors]).toEqual([label, undefined]);
        expect([label, kept]).toEqual([label, []]);
        expect([label, calls[TOP_UP_CALL] ?? 0]).toEqual([label, 0]);
        expect([label, end]).toEqual([label, start + units(p.total)]);
        expect([label, CONFLICTS.includes(bought.body.errors?.[0]?.extensions?.reason)]).toEqual([label, true]);
        outcomes.push('cancelled');
      } else {
        // The top-up won: the cancel was refused before it reached the provider, and the profile works on.
        expect([label, status]).toEqual([label, 'COMPLETED']);
        expect([label, cancelled.body.errors?.[0]?.extensions?.code]).toEqual([label, 'BAD_USER_INPUT']);
        expect([label, CONFLICTS.includes(cancelled.body.errors[0].extensions.reason)]).toEqual([label, true]);
        expect([label, calls[CANCEL_CALL] ?? 0]).toEqual([label, 0]);
        expect([label, kept.length]).toEqual([label, 1]);
        expect([label, end]).toEqual([label, start - units(kept[0].total.amount)]);
        expect([label, (await profile(p.iccid)).status]).toEqual([label, 'NOT_INSTALLED']);
        outcomes.push('topped-up');
      }
    }
    await expectLedgerHolds();
    expect(outcomes).toHaveLength(10);
    console.info(
      `cancel vs top-up races: ${outcomes.filter((o) => o === 'cancelled').length} cancelled, ${outcomes.filter((o) => o === 'topped-up').length} topped up`,
    );
  });
});
