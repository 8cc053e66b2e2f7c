import { randomBytes, randomInt } from 'node:crypto';
import { mbToBytes } from '../../domain/data-units';
import { decimalFromUpstream } from '../../domain/money';
import type { SimulatorControl } from '../shared/control';
import { entriesOf, refill, type Persistable } from '../shared/persistence';
import { SimInventory, type SimOrder, type SimPlanTerms, type SimProfile, type SimTopUp } from '../shared/inventory';
import type { ComiumCatalog, SimBundle } from './catalog';

/** ICCIDs of this simulator: 89 (telecom) + 22 + 001, distinct from the other four simulators. */
const ICCID_PREFIX = '8922001';
export const SMDP_ADDRESS = 'smdp.comium.gm';

/** A sale Comium refused for business reasons: its history keeps it as a `failed` order. */
export interface FailedSale {
  readonly id: string;
  readonly reference: string;
  readonly type: 'new' | 'topup';
  readonly bundle: SimBundle;
  /** The profile a refused top-up was meant for. */
  readonly iccid: string | null;
  readonly reason: string;
  readonly createdAt: Date;
}

/** What /Orders lists: sales (with their profile once assigned), top-ups and failed sales. */
export type LedgerEntry =
  | { readonly kind: 'order'; readonly order: SimOrder; readonly bundle: SimBundle }
  | {
      readonly kind: 'topup';
      readonly id: string;
      readonly topUp: SimTopUp;
      readonly profile: SimProfile;
      readonly bundle: SimBundle;
    }
  | { readonly kind: 'failed'; readonly sale: FailedSale };

/**
 * Comium's order book around the shared inventory: its 24-hex order ids (MongoDB ObjectId
 * style, as the document's `507f191e810c19729de860ea`), the failed sales its history keeps, and
 * top-ups, which Comium records as orders of their own on the same ICCID.
 */
/** A failed sale as saved: its bundle by code (the catalog is rebuilt identically at start). */
type SavedFailure = Omit<FailedSale, 'bundle'> & { readonly bundle: string };

/** What the ledger adds to the inventory (saved as a piece of its own). */
interface LedgerSnapshot {
  readonly failed: SavedFailure[];
  readonly topUpIds: [string, string][];
  readonly orderMachine: string;
  readonly ledgerMachine: string;
  readonly seq: number;
}

export class ComiumLedger implements Persistable {
  readonly inventory: SimInventory;
  private readonly bundles: ReadonlyMap<string, SimBundle>;
  private readonly failed: FailedSale[] = [];
  private readonly topUpIds = new Map<string, string>();
  // Two "machine" parts: ids of inventory orders and of ledger entries can never collide.
  private orderMachine = randomBytes(3).toString('hex');
  private ledgerMachine = randomBytes(3).toString('hex');
  private seq = randomInt(1, 2 ** 40);

  constructor(options: {
    control: SimulatorControl;
    orderDelayMs: number;
    catalog: ComiumCatalog;
    stockPerPlan?: number;
  }) {
    this.bundles = new Map(options.catalog.bundles.map((b) => [b.bundle_code, b]));
    this.inventory = new SimInventory({
      control: options.control,
      orderDelayMs: options.orderDelayMs,
      iccidPrefix: ICCID_PREFIX,
      smdpAddress: SMDP_ADDRESS,
      orderId: (seq) => objectId(this.orderMachine, seq),
      stockPerPlan: options.stockPerPlan,
    });
  }

  bundle(code: string): SimBundle | undefined {
    return this.bundles.get(code);
  }

  /** A bundle as the inventory charges and grants it: the catalog's own price, MB as bytes. */
  terms(bundle: SimBundle): SimPlanTerms {
    return {
      code: bundle.bundle_code,
      price: decimalFromUpstream(bundle.bundle_price_final),
      dataBytes: bundle.data_quota === 'unlimited' ? null : mbToBytes(bundle.data_quota),
      validityDays: bundle.validity,
    };
  }

  /** order_reference is unique across sales and top-ups; a failed sale does not use it up. */
  referenceTaken(reference: string): boolean {
    return this.inventory.orderByKey(reference) !== undefined || this.inventory.topUpByKey(reference) !== undefined;
  }

  recordFailure(sale: Omit<FailedSale, 'id' | 'createdAt'>): void {
    this.failed.push({ ...sale, id: objectId(this.ledgerMachine, ++this.seq), createdAt: new Date() });
  }

  /** Comium's order id for a top-up, given when the top-up is sold. */
  topUpId(topUp: SimTopUp): string {
    let id = this.topUpIds.get(topUp.id);
    if (!id) this.topUpIds.set(topUp.id, (id = objectId(this.ledgerMachine, ++this.seq)));
    return id;
  }

  /** Every entry, newest first. */
  entries(): LedgerEntry[] {
    const entries: LedgerEntry[] = this.inventory
      .allOrders()
      .map((order) => ({ kind: 'order' as const, order, bundle: this.bundles.get(order.plan.code)! }));
    for (const profile of this.inventory.allProfiles()) {
      for (const topUp of profile.topUps)
        entries.push({
          kind: 'topup',
          id: this.topUpId(topUp),
          topUp,
          profile,
          bundle: this.bundles.get(topUp.plan.code)!,
        });
    }
    for (const sale of this.failed) entries.push({ kind: 'failed', sale });
    return entries.sort((a, b) => createdAt(b).getTime() - createdAt(a).getTime());
  }

  /** The profile a sale or a top-up order id belongs to (none for pending or failed sales). */
  profileByOrderId(orderId: string): SimProfile | undefined {
    const order = this.inventory.order(orderId);
    if (order) return order.profiles[0] && this.inventory.profile(order.profiles[0].iccid);
    const entry = this.entries().find((e) => e.kind === 'topup' && e.id === orderId);
    return entry?.kind === 'topup' ? this.inventory.profile(entry.profile.iccid) : undefined;
  }

  dispose(): void {
    this.inventory.dispose();
  }

  /** Failed sales, top-up order ids and the id parts, so ids given out stay and new ones never repeat them. */
  snapshot(): LedgerSnapshot {
    const { orderMachine, ledgerMachine, seq } = this;
    const failed = this.failed.map((sale) => ({ ...sale, bundle: sale.bundle.bundle_code }));
    return { failed, topUpIds: entriesOf(this.topUpIds), orderMachine, ledgerMachine, seq };
  }

  restore(data: unknown): void {
    const saved = data as LedgerSnapshot;
    const failed = saved.failed.map((sale) => {
      const bundle = this.bundles.get(sale.bundle);
      if (!bundle) throw new Error(`comium ledger: unknown bundle ${sale.bundle}`);
      return { ...sale, bundle };
    });
    this.failed.splice(0, this.failed.length, ...failed);
    refill(this.topUpIds, saved.topUpIds);
    this.orderMachine = saved.orderMachine;
    this.ledgerMachine = saved.ledgerMachine;
    this.seq = saved.seq;
  }
}

export function createdAt(entry: LedgerEntry): Date {
  return entry.kind === 'order'
    ? entry.order.createdAt
    : entry.kind === 'topup'
      ? entry.topUp.createdAt
      : entry.sale.createdAt;
}

/** 4-byte timestamp + 3-byte machine + 5-byte counter, in hex: 24 characters like a MongoDB ObjectId. */
function objectId(machine: string, seq: number): string {
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `${seconds}${machine}${(seq % 2 ** 40).toString(16).padStart(10, '0')}`;
}
