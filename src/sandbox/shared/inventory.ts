import { randomBytes, randomInt } from 'node:crypto';
import { addDecimal, compareDecimal, multiplyDecimal, subtractDecimal } from '../../domain/money';
import { MAX_STOCK_LIMITS, type SimulatorControl } from './control';
import { entriesOf, refill, type Persistable } from './persistence';

/**
 * The provider-neutral state behind every simulator's ordering API: orders, profiles, usage,
 * top-ups and the upstream balance they draw on. Each simulator keeps its own wire format and
 * maps these states to its provider's own words; this file holds only what every provider
 * shares, so the five simulators behave alike where the real ones do.
 */

/** Life of a simulated profile. */
export type SimProfileState =
  'RELEASED' | 'INSTALLED' | 'IN_USE' | 'DEPLETED' | 'EXPIRED' | 'SUSPENDED' | 'REVOKED' | 'CANCELLED';

/** What the simulator charges and grants for a plan, in the provider's own currency. */
export interface SimPlanTerms {
  readonly code: string;
  /** Decimal string, per unit. */
  readonly price: string;
  readonly dataBytes: number | null;
  readonly validityDays: number;
}

export interface SimTopUp {
  readonly id: string;
  readonly key: string;
  readonly iccid: string;
  readonly plan: SimPlanTerms;
  readonly createdAt: Date;
}

export interface SimProfile {
  readonly iccid: string;
  /** The provider's own per-profile handle (eSIM Access `esimTranNo`). */
  readonly handle: string;
  readonly orderId: string;
  readonly planCode: string;
  readonly smdpAddress: string;
  readonly matchingId: string;
  state: SimProfileState;
  /** State to return to on resume. */
  suspendedFrom: SimProfileState | null;
  usedBytes: number;
  totalBytes: number | null;
  validityDays: number;
  activatedAt: Date | null;
  /** Unused profiles expire `unusedValidDays` after allocation; used ones `validityDays` after activation. */
  expiresAt: Date;
  readonly createdAt: Date;
  updatedAt: Date;
  readonly topUps: SimTopUp[];
  readonly sms: string[];
}

export interface SimOrder {
  readonly id: string;
  /** The caller's idempotency key / reference. */
  readonly key: string;
  readonly plan: SimPlanTerms;
  readonly quantity: number;
  readonly total: string;
  status: 'PROCESSING' | 'ALLOCATED';
  readonly profiles: SimProfile[];
  readonly customer: unknown;
  readonly createdAt: Date;
  allocatedAt: Date | null;
}

export type InventoryError = 'INSUFFICIENT_BALANCE' | 'OUT_OF_STOCK' | 'KEY_REUSED' | 'NOT_FOUND' | 'NOT_ALLOWED';
export type InventoryResult<T> =
  | { readonly ok: true; readonly value: T; readonly replay: boolean }
  | { readonly ok: false; readonly error: InventoryError };

/** Raised for webhooks (issue 4) and tests. */
export type InventoryEvent =
  | { readonly type: 'ORDER_ALLOCATED'; readonly order: SimOrder }
  | { readonly type: 'PROFILE_STATE'; readonly profile: SimProfile }
  | { readonly type: 'USAGE'; readonly profile: SimProfile }
  | { readonly type: 'TOP_UP'; readonly profile: SimProfile; readonly topUp: SimTopUp };

export interface InventoryOptions {
  readonly control: SimulatorControl;
  /** SANDBOX_ORDER_DELAY_MS: PROCESSING → ALLOCATED. 0 allocates at once. */
  readonly orderDelayMs: number;
  /** First digits of every ICCID (89 + country + issuer), distinct per simulator. */
  readonly iccidPrefix: string;
  readonly smdpAddress: string;
  /** Builds the provider's order number from a sequence number. */
  readonly orderId: (seq: number) => string;
  /** Builds the provider's per-profile handle; the ICCID when omitted. */
  readonly profileHandle?: (seq: number, iccid: string) => string;
  /** Profiles in stock per plan code (default: plenty). */
  readonly stockPerPlan?: number;
  /** Days an allocated profile stays installable while unused (eSIM Access `unusedValidTime`). */
  readonly unusedValidDays?: number;
}

const DAY_MS = 86_400_000;
/** The key of a `_control/stock` limit that applies to every plan. */
const ANY_PLAN = '*';

/** What `snapshot()` saves: each profile once, orders naming theirs by ICCID; top-ups live in their profile. */
interface InventorySnapshot {
  readonly orderSeq: number;
  readonly profileSeq: number;
  readonly sold: [string, number][];
  readonly profiles: SimProfile[];
  readonly orders: (Omit<SimOrder, 'profiles'> & { readonly profiles: string[] })[];
}

export class SimInventory implements Persistable {
  private readonly ordersById = new Map<string, SimOrder>();
  private readonly ordersByKey = new Map<string, SimOrder>();
  private readonly profiles = new Map<string, SimProfile>();
  private readonly topUpsByKey = new Map<string, SimTopUp>();
  private readonly sold = new Map<string, number>();
  /** `_control/stock`: eSIMs left per plan code, ANY_PLAN for every plan; per run, never saved. */
  private readonly left = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners: ((event: InventoryEvent) => void)[] = [];
  // Random starting points: a restarted sandbox must not hand out numbers a gateway's database
  // already holds from an earlier run.
  private orderSeq = randomInt(1, 2 ** 40);
  private profileSeq = randomInt(1, 10 ** 10);

  constructor(private readonly options: InventoryOptions) {
    options.control.onUsage = (iccid, usedBytes) => this.setUsage(iccid, usedBytes);
    options.control.onStock = (planCode, available) => {
      const key = planCode ?? ANY_PLAN;
      if (available === null) this.left.delete(key);
      else if (this.left.has(key) || this.left.size < MAX_STOCK_LIMITS) this.left.set(key, available);
      else return false;
      return true;
    };
    options.control.onInstall = (iccid) => {
      const result = this.install(iccid);
      return result.ok ? 'OK' : result.error === 'NOT_FOUND' ? 'NOT_FOUND' : 'NOT_ALLOWED';
    };
    // Orders ever created (never reset with the request counters): "exactly one upstream order" is checked with it.
    options.control.holdings = () => ({
      orders: this.ordersById.size,
      profiles: this.allProfiles().length,
      topUps: this.topUpsByKey.size,
    });
  }

  on(listener: (event: InventoryEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Places an order, idempotent by `key`: the same key and the same plan and quantity answer the
   * existing order (`replay`), other terms `KEY_REUSED`. The balance is debited at once, as
   * prepaid providers do; profiles are allocated after the configured delay.
   */
  placeOrder(input: {
    key: string;
    plan: SimPlanTerms;
    quantity: number;
    customer?: unknown;
  }): InventoryResult<SimOrder> {
    const existing = this.ordersByKey.get(input.key);
    if (existing) {
      const same = existing.plan.code === input.plan.code && existing.quantity === input.quantity;
      return same ? { ok: true, value: existing, replay: true } : { ok: false, error: 'KEY_REUSED' };
    }
    const stock = this.options.stockPerPlan ?? 100_000;
    const limits = [input.plan.code, ANY_PLAN].filter((code) => this.left.has(code));
    if (
      (this.sold.get(input.plan.code) ?? 0) + input.quantity > stock ||
      limits.some((code) => this.left.get(code)! < input.quantity)
    )
      return { ok: false, error: 'OUT_OF_STOCK' };
    const total = multiplyDecimal(input.plan.price, input.quantity);
    if (!this.debit(total)) return { ok: false, error: 'INSUFFICIENT_BALANCE' };
    this.sold.set(input.plan.code, (this.sold.get(input.plan.code) ?? 0) + input.quantity);
    for (const code of limits) this.left.set(code, this.left.get(code)! - input.quantity);
    const order: SimOrder = {
      id: this.options.orderId(++this.orderSeq),
      key: input.key,
      plan: input.plan,
      quantity: input.quantity,
      total,
      status: 'PROCESSING',
      profiles: [],
      customer: input.customer ?? null,
      createdAt: new Date(),
      allocatedAt: null,
    };
    this.ordersById.set(order.id, order);
    this.ordersByKey.set(order.key, order);
    this.later(() => this.allocate(order));
    return { ok: true, value: order, replay: false };
  }

  order(id: string): SimOrder | undefined {
    return this.ordersById.get(id);
  }

  orderByKey(key: string): SimOrder | undefined {
    return this.ordersByKey.get(key);
  }

  /** Orders placed in [from, to], oldest first. */
  ordersBetween(from: Date, to: Date): SimOrder[] {
    return [...this.ordersById.values()].filter((o) => o.createdAt >= from && o.createdAt <= to);
  }

  allOrders(): SimOrder[] {
    return [...this.ordersById.values()];
  }

  /** By ICCID or by the provider's handle. Expiry is applied on read. */
  profile(iccidOrHandle: string): SimProfile | undefined {
    const profile = this.profiles.get(iccidOrHandle);
    if (
      profile &&
      profile.expiresAt.getTime() <= Date.now() &&
      ['RELEASED', 'INSTALLED', 'IN_USE', 'DEPLETED'].includes(profile.state)
    ) {
      this.transition(profile, 'EXPIRED');
    }
    return profile;
  }

  allProfiles(): SimProfile[] {
    return [...new Set(this.profiles.values())];
  }

  /** The control API's usage hook: first use activates the profile and starts its validity. */
  setUsage(iccid: string, usedBytes: number): boolean {
    const profile = this.profile(iccid);
    if (!profile) return false;
    profile.usedBytes = usedBytes;
    if (usedBytes > 0 && (profile.state === 'RELEASED' || profile.state === 'INSTALLED')) this.activate(profile);
    const depleted = profile.totalBytes !== null && usedBytes >= profile.totalBytes;
    if (depleted && profile.state === 'IN_USE') profile.state = 'DEPLETED';
    if (!depleted && profile.state === 'DEPLETED') profile.state = 'IN_USE';
    profile.updatedAt = new Date();
    this.emit({ type: 'USAGE', profile });
    return true;
  }

  /** A device downloaded the profile (install without data use yet). */
  install(iccid: string): InventoryResult<SimProfile> {
    return this.change(iccid, ['RELEASED'], (p) => this.transition(p, 'INSTALLED'));
  }

  /**
   * Adds a plan's data and days to a live profile, idempotent by `key`. Refused on terminal,
   * suspended or expired profiles.
   */
  topUp(input: { key: string; iccid: string; plan: SimPlanTerms }): InventoryResult<SimTopUp> {
    const existing = this.topUpsByKey.get(input.key);
    if (existing) {
      const same = existing.iccid === input.iccid && existing.plan.code === input.plan.code;
      return same ? { ok: true, value: existing, replay: true } : { ok: false, error: 'KEY_REUSED' };
    }
    const profile = this.profile(input.iccid);
    if (!profile) return { ok: false, error: 'NOT_FOUND' };
    if (!['RELEASED', 'INSTALLED', 'IN_USE', 'DEPLETED'].includes(profile.state))
      return { ok: false, error: 'NOT_ALLOWED' };
    if (!this.debit(input.plan.price)) return { ok: false, error: 'INSUFFICIENT_BALANCE' };
    const topUp: SimTopUp = {
      id: `T${randomBytes(6).toString('hex').toUpperCase()}`,
      key: input.key,
      iccid: profile.iccid,
      plan: input.plan,
      createdAt: new Date(),
    };
    this.topUpsByKey.set(input.key, topUp);
    profile.topUps.push(topUp);
    profile.totalBytes =
      profile.totalBytes === null || input.plan.dataBytes === null ? null : profile.totalBytes + input.plan.dataBytes;
    profile.validityDays += input.plan.validityDays;
    profile.expiresAt = new Date(profile.expiresAt.getTime() + input.plan.validityDays * DAY_MS);
    if (profile.state === 'DEPLETED' && (profile.totalBytes === null || profile.usedBytes < profile.totalBytes))
      profile.state = 'IN_USE';
    profile.updatedAt = new Date();
    this.emit({ type: 'TOP_UP', profile, topUp });
    return { ok: true, value: topUp, replay: false };
  }

  topUpByKey(key: string): SimTopUp | undefined {
    return this.topUpsByKey.get(key);
  }

  /** Cancels an allocated, never-used profile and refunds its unit price to the balance. */
  cancel(iccid: string): InventoryResult<SimProfile> {
    return this.change(iccid, ['RELEASED'], (p) => {
      if (p.usedBytes > 0) return false;
      const order = this.ordersById.get(p.orderId);
      if (order) this.options.control.balance = addDecimal(this.options.control.balance, order.plan.price);
      this.transition(p, 'CANCELLED');
      return true;
    });
  }

  suspend(iccid: string): InventoryResult<SimProfile> {
    return this.change(iccid, ['RELEASED', 'INSTALLED', 'IN_USE', 'DEPLETED'], (p) => {
      p.suspendedFrom = p.state;
      this.transition(p, 'SUSPENDED');
    });
  }

  resume(iccid: string): InventoryResult<SimProfile> {
    return this.change(iccid, ['SUSPENDED'], (p) => {
      const back = p.suspendedFrom ?? 'IN_USE';
      p.suspendedFrom = null;
      this.transition(p, back);
    });
  }

  revoke(iccid: string): InventoryResult<SimProfile> {
    return this.change(iccid, ['RELEASED', 'INSTALLED', 'IN_USE', 'DEPLETED', 'SUSPENDED'], (p) =>
      this.transition(p, 'REVOKED'),
    );
  }

  sendSms(iccid: string, message: string): InventoryResult<SimProfile> {
    return this.change(iccid, ['RELEASED', 'INSTALLED', 'IN_USE', 'DEPLETED'], (p) => {
      p.sms.push(message);
    });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  snapshot(): InventorySnapshot {
    return {
      orderSeq: this.orderSeq,
      profileSeq: this.profileSeq,
      sold: entriesOf(this.sold),
      profiles: this.allProfiles(),
      orders: this.allOrders().map((o) => ({ ...o, profiles: o.profiles.map((p) => p.iccid) })),
    };
  }

  /**
   * Takes a saved state back, emitting nothing (what it holds was announced before the restart).
   * An order saved while PROCESSING is allocated when its delay, counted from its creation, is
   * over (at once if it already is), so a restart never strands it.
   */
  restore(data: unknown): void {
    const saved = data as InventorySnapshot;
    this.dispose();
    refill(this.sold, saved.sold);
    this.profiles.clear();
    this.topUpsByKey.clear();
    for (const profile of saved.profiles) {
      this.profiles.set(profile.iccid, profile);
      this.profiles.set(profile.handle, profile);
      for (const topUp of profile.topUps) this.topUpsByKey.set(topUp.key, topUp);
    }
    this.ordersById.clear();
    this.ordersByKey.clear();
    for (const raw of saved.orders) {
      const order: SimOrder = { ...raw, profiles: raw.profiles.map((iccid) => this.profiles.get(iccid)!) };
      this.ordersById.set(order.id, order);
      this.ordersByKey.set(order.key, order);
      if (order.status === 'PROCESSING') {
        const due = order.createdAt.getTime() + this.options.orderDelayMs - Date.now();
        // Never synchronously: the other pieces of the simulator are restored after this one.
        this.later(() => this.allocate(order), Math.max(due, 1));
      }
    }
    this.orderSeq = saved.orderSeq;
    this.profileSeq = saved.profileSeq;
  }

  private change(
    iccid: string,
    from: readonly SimProfileState[],
    apply: (p: SimProfile) => void | boolean,
  ): InventoryResult<SimProfile> {
    const profile = this.profile(iccid);
    if (!profile) return { ok: false, error: 'NOT_FOUND' };
    if (!from.includes(profile.state) || apply(profile) === false) return { ok: false, error: 'NOT_ALLOWED' };
    return { ok: true, value: profile, replay: false };
  }

  private debit(amount: string): boolean {
    const { control } = this.options;
    if (compareDecimal(control.balance, amount) < 0) return false;
    control.balance = subtractDecimal(control.balance, amount);
    return true;
  }

  private allocate(order: SimOrder): void {
    const now = new Date();
    const unusedDays = this.options.unusedValidDays ?? 180;
    for (let i = 0; i < order.quantity; i++) {
      const seq = ++this.profileSeq;
      const iccid = iccidWithCheckDigit(
        `${this.options.iccidPrefix}${String(seq).padStart(19 - this.options.iccidPrefix.length - 1, '0')}`,
      );
      const handle = this.options.profileHandle?.(seq, iccid) ?? iccid;
      const profile: SimProfile = {
        iccid,
        handle,
        orderId: order.id,
        planCode: order.plan.code,
        smdpAddress: this.options.smdpAddress,
        matchingId: randomBytes(10).toString('hex').toUpperCase(),
        state: 'RELEASED',
        suspendedFrom: null,
        usedBytes: 0,
        totalBytes: order.plan.dataBytes,
        validityDays: order.plan.validityDays,
        activatedAt: null,
        expiresAt: new Date(now.getTime() + unusedDays * DAY_MS),
        createdAt: now,
        updatedAt: now,
        topUps: [],
        sms: [],
      };
      order.profiles.push(profile);
      this.profiles.set(iccid, profile);
      if (handle !== iccid) this.profiles.set(handle, profile);
    }
    order.status = 'ALLOCATED';
    order.allocatedAt = now;
    this.emit({ type: 'ORDER_ALLOCATED', order });
  }

  private activate(profile: SimProfile): void {
    profile.activatedAt = new Date();
    profile.expiresAt = new Date(profile.activatedAt.getTime() + profile.validityDays * DAY_MS);
    profile.state = 'IN_USE';
  }

  private transition(profile: SimProfile, state: SimProfileState): void {
    profile.state = state;
    profile.updatedAt = new Date();
    this.emit({ type: 'PROFILE_STATE', profile });
  }

  private later(fn: () => void, delayMs = this.options.orderDelayMs): void {
    const release = () => this.options.control.whenReleased(fn);
    if (delayMs <= 0) return release();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      release();
    }, delayMs);
    this.timers.add(timer);
  }

  private emit(event: InventoryEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** 19 digits + a Luhn check digit, as real ICCIDs carry. */
export function iccidWithCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}
