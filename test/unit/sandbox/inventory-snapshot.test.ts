import { SimulatorControl } from '../../../src/sandbox/shared/control';
import { SimInventory, type InventoryEvent, type SimPlanTerms } from '../../../src/sandbox/shared/inventory';
import { decode, encode } from '../../../src/sandbox/shared/persistence';
import { waitFor } from '../../helpers/ws-client';

const PLAN: SimPlanTerms = { code: 'P-1GB', price: '2.50', dataBytes: 1_000_000, validityDays: 7 };
const TOP_UP: SimPlanTerms = { code: 'P-1GB', price: '1.25', dataBytes: 500_000, validityDays: 3 };

function inventory(orderDelayMs = 0): { control: SimulatorControl; inventory: SimInventory } {
  const control = new SimulatorControl({ initialBalance: '100.00', flakyResponse: () => undefined });
  const inv = new SimInventory({
    control,
    orderDelayMs,
    iccidPrefix: '8999000',
    smdpAddress: 'smdp.test',
    orderId: (seq) => `O-${seq}`,
    profileHandle: (seq) => `H-${seq}`,
  });
  return { control, inventory: inv };
}

/** Through the file format, as a restart does. */
const roundTrip = (data: unknown) => decode(encode(data));

describe('SimInventory snapshot and restore', () => {
  const live: SimInventory[] = [];
  afterEach(() => live.splice(0).forEach((i) => i.dispose()));

  it('restores orders, profiles, usage, state and top-ups, linked as before', () => {
    const { inventory: before } = inventory();
    live.push(before);
    const order = before.placeOrder({ key: 'k-1', plan: PLAN, quantity: 2, customer: { ref: 'r' } });
    if (!order.ok) throw new Error(order.error);
    const [a, b] = order.value.profiles;
    before.setUsage(a.iccid, 400_000);
    expect(before.topUp({ key: 't-1', iccid: a.iccid, plan: TOP_UP }).ok).toBe(true);
    before.suspend(b.iccid);

    const { inventory: after } = inventory();
    live.push(after);
    after.restore(roundTrip(before.snapshot()));

    const restored = after.order(order.value.id)!;
    expect(restored).toMatchObject({
      key: 'k-1',
      status: 'ALLOCATED',
      total: order.value.total,
      customer: { ref: 'r' },
    });
    expect(restored.createdAt).toEqual(order.value.createdAt);
    // The order's profiles are the very objects the ICCID and handle lookups answer.
    expect(after.profile(a.iccid)).toBe(restored.profiles[0]);
    expect(after.profile(a.handle)).toBe(restored.profiles[0]);
    expect(after.profile(a.iccid)).toMatchObject({
      state: 'IN_USE',
      usedBytes: 400_000,
      totalBytes: 1_500_000,
      validityDays: 10,
    });
    expect(after.profile(a.iccid)!.activatedAt).toEqual(a.activatedAt);
    expect(after.profile(b.iccid)).toMatchObject({ state: 'SUSPENDED', suspendedFrom: 'RELEASED' });
    expect(after.topUpByKey('t-1')).toBe(after.profile(a.iccid)!.topUps[0]);
    expect(after.orderByKey('k-1')).toBe(restored);
    expect(after.snapshot()).toEqual(before.snapshot());
  });

  it('replays keys placed before the restart and keeps numbering after the last order and ICCID', () => {
    const { inventory: before } = inventory();
    live.push(before);
    const first = before.placeOrder({ key: 'k-1', plan: PLAN, quantity: 1 });
    if (!first.ok) throw new Error(first.error);
    const { inventory: after } = inventory();
    live.push(after);
    after.restore(roundTrip(before.snapshot()));

    const replay = after.placeOrder({ key: 'k-1', plan: PLAN, quantity: 1 });
    expect(replay).toMatchObject({ ok: true, replay: true, value: { id: first.value.id } });
    expect(after.placeOrder({ key: 'k-1', plan: PLAN, quantity: 2 })).toEqual({ ok: false, error: 'KEY_REUSED' });
    const next = after.placeOrder({ key: 'k-2', plan: PLAN, quantity: 1 });
    if (!next.ok) throw new Error(next.error);
    expect(Number(next.value.id.slice(2))).toBe(Number(first.value.id.slice(2)) + 1);
    expect(BigInt(next.value.profiles[0].iccid)).toBeGreaterThan(BigInt(first.value.profiles[0].iccid));
    expect(after.setUsage(first.value.profiles[0].iccid, 1)).toBe(true);
  });

  it('allocates an order saved while PROCESSING, once its delay is over, and announces it', async () => {
    const { inventory: before } = inventory(60_000);
    live.push(before);
    const pending = before.placeOrder({ key: 'k-1', plan: PLAN, quantity: 1 });
    if (!pending.ok) throw new Error(pending.error);
    expect(pending.value.status).toBe('PROCESSING');
    const saved = roundTrip(before.snapshot());
    before.dispose();

    const { inventory: after } = inventory(20);
    live.push(after);
    const events: InventoryEvent['type'][] = [];
    after.on((e) => events.push(e.type));
    after.restore(saved);
    // Not during restore: the simulator's other pieces are restored after the inventory.
    expect(after.order(pending.value.id)!.status).toBe('PROCESSING');
    await waitFor(() => after.order(pending.value.id)!.status === 'ALLOCATED', 2000);
    expect(after.order(pending.value.id)!.profiles).toHaveLength(1);
    expect(events).toEqual(['ORDER_ALLOCATED']);
  });

  it('keeps the balance the control API set, and nothing of a run (stats, faults)', () => {
    const { control: before } = inventory();
    before.balance = '12.34';
    before.fault = { mode: 'down', latencyMs: 0, errorRate: 0 };
    const { control: after } = inventory();
    after.restore(roundTrip(before.snapshot()));
    expect(after.balance).toBe('12.34');
    expect(after.fault.mode).toBe('ok');
  });
});
