import { BYTES_PER_GB, BYTES_PER_MB } from '../../domain/data-units';
import { multiplyDecimal, roundToMinor } from '../../domain/money';
import type { SimInventory, SimOrder, SimPlanTerms, SimProfile, SimProfileState } from '../shared/inventory';
import { entriesOf, type Persistable } from '../shared/persistence';
import type { WirePlan } from './catalog';
import { createIdempotencyStore } from './idempotency';

/** Top-ups cost this share of the matching base plan (assumed reseller discount on refills). */
const TOPUP_PRICE_FACTOR = '0.9';
/** States a profile can still be topped up in (the inventory refuses the others). */
const TOPUP_STATES: readonly SimProfileState[] = ['RELEASED', 'INSTALLED', 'IN_USE', 'DEPLETED'];

/**
 * eSIMTrade's order book around the shared inventory: what only eSIMTrade adds is the reseller's
 * own `reference` per order (unique, searchable through `/reseller/orders?q=`), the idempotency
 * keys, and top-up options derived from the catalog.
 */
export class EsimTradeBook implements Persistable {
  readonly idempotency = createIdempotencyStore();
  private readonly plans: ReadonlyMap<string, WirePlan>;
  private readonly orderByRef = new Map<string, string>();
  private readonly refByOrder = new Map<string, string>();

  constructor(
    readonly inventory: SimInventory,
    readonly catalog: readonly WirePlan[],
  ) {
    this.plans = new Map(catalog.map((plan) => [plan.slug, plan]));
  }

  plan(slug: string): WirePlan | undefined {
    return this.plans.get(slug);
  }

  orderByReference(reference: string): SimOrder | undefined {
    const id = this.orderByRef.get(reference);
    return id === undefined ? undefined : this.inventory.order(id);
  }

  reference(order: SimOrder): string | null {
    return this.refByOrder.get(order.id) ?? null;
  }

  remember(order: SimOrder, reference: string | null): void {
    if (reference === null) return;
    this.orderByRef.set(reference, order.id);
    this.refByOrder.set(order.id, reference);
  }

  /** References and idempotency keys (the inventory is saved on its own). */
  snapshot(): { references: [string, string][]; idempotency: unknown } {
    return { references: entriesOf(this.orderByRef), idempotency: this.idempotency.snapshot() };
  }

  restore(data: unknown): void {
    const saved = data as ReturnType<EsimTradeBook['snapshot']>;
    this.orderByRef.clear();
    this.refByOrder.clear();
    for (const [reference, orderId] of saved.references) {
      this.orderByRef.set(reference, orderId);
      this.refByOrder.set(orderId, reference);
    }
    this.idempotency.restore(saved.idempotency);
  }

  /** Whether the profile's state takes a top-up now (suspended or finished ones do not). */
  canTopUp(profile: SimProfile): boolean {
    return TOPUP_STATES.includes(profile.state);
  }

  /**
   * The refills of a profile's plan: every data plan (never unlimited) with exactly the coverage
   * of the profile's own plan, as `topup-<slug>` at a discount. None when its plan has `topup: false`.
   */
  topUpOptions(profile: SimProfile): WirePlan[] {
    const base = this.plans.get(profile.planCode);
    if (!base?.topup) return [];
    const coverage = countryKey(base);
    return this.catalog
      .filter((plan) => !('unlimited' in plan.data) && plan.type === base.type && countryKey(plan) === coverage)
      .map((plan) => ({
        ...plan,
        slug: `topup-${plan.slug}`,
        name: `${plan.name} Top-up`,
        price: { amount: roundToMinor(multiplyDecimal(plan.price.amount, TOPUP_PRICE_FACTOR), 'USD'), currency: 'USD' },
      }));
  }
}

/** What the inventory charges and grants for a plan or top-up option: the catalog price, exactly. */
export function termsOf(plan: WirePlan): SimPlanTerms {
  const { data } = plan;
  const dataBytes = 'unlimited' in data ? null : data.amount * (data.unit === 'GB' ? BYTES_PER_GB : BYTES_PER_MB);
  return { code: plan.slug, price: plan.price.amount, dataBytes, validityDays: plan.validity_days };
}

function countryKey(plan: WirePlan): string {
  return plan.countries
    .map((c) => c.code)
    .sort()
    .join(',');
}
