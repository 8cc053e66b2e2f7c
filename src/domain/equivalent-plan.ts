import { addDecimal, compareDecimal, multiplyDecimal, type Money } from './money';
import type { CatalogPlan } from './plan';

/** The fields of a plan equivalence reads. */
export type EquivalencePlan = Pick<CatalogPlan, 'id' | 'providerId' | 'countries' | 'dataBytes' | 'validityDays'>;

/** A plan another provider offers, as the calling account would pay for it. */
export interface FallbackCandidate<P extends EquivalencePlan = EquivalencePlan> {
  readonly plan: P;
  /** Its price for the calling account (price-rule.ts), per unit. */
  readonly price: Money;
  /** false while its provider's circuit is open: a route there would fail just the same. */
  readonly healthy: boolean;
}

export interface EquivalenceTerms {
  /** The chosen plan's price for the calling account, per unit. */
  readonly unitPrice: Money;
  /** How much dearer than `unitPrice` an equivalent may be, in percent (FAILOVER_TOLERANCE_PERCENT). */
  readonly tolerancePercent: string;
}

/**
 * Whether `candidate` can stand in for `chosen`: at ANOTHER provider, covering at least all the
 * chosen plan's countries, at least its data (unlimited beats any amount; an unlimited plan needs
 * an unlimited one), at least its validity days, in the same currency, at most
 * unitPrice × (1 + tolerance/100) (compared exactly, never rounded in the candidate's favour), and
 * at a provider whose circuit is not open.
 */
export function isEquivalent(chosen: EquivalencePlan, candidate: FallbackCandidate, terms: EquivalenceTerms): boolean {
  const { plan, price } = candidate;
  if (plan.providerId === chosen.providerId || !candidate.healthy) return false;
  if (price.currency !== terms.unitPrice.currency) return false;
  if (!covers(plan.countries, chosen.countries)) return false;
  if (!hasAtLeastData(plan.dataBytes, chosen.dataBytes) || plan.validityDays < chosen.validityDays) return false;
  return withinPriceCeiling(price, terms);
}

/** price ≤ unitPrice × (1 + tolerance/100), multiplied out (× 100 on both sides) so nothing rounds. */
export function withinPriceCeiling(price: Money, terms: EquivalenceTerms): boolean {
  const ceiling = multiplyDecimal(terms.unitPrice.amount, addDecimal('100', terms.tolerancePercent));
  return compareDecimal(multiplyDecimal(price.amount, 100), ceiling) <= 0;
}

/**
 * Every equivalent among `candidates`, best first: the cheapest for the account, then the one
 * with more data, then the longer validity, then the lower plan id, so the same catalog always
 * gives the same order. A fallback routes to the head, or, re-priced, to the first that holds.
 */
export function rankEquivalents<P extends EquivalencePlan>(
  chosen: EquivalencePlan,
  candidates: readonly FallbackCandidate<P>[],
  terms: EquivalenceTerms,
): FallbackCandidate<P>[] {
  return candidates.filter((candidate) => isEquivalent(chosen, candidate, terms)).sort(preferred);
}

function preferred(a: FallbackCandidate, b: FallbackCandidate): number {
  return (
    compareDecimal(a.price.amount, b.price.amount) ||
    compareData(b.plan.dataBytes, a.plan.dataBytes) ||
    b.plan.validityDays - a.plan.validityDays ||
    (a.plan.id < b.plan.id ? -1 : a.plan.id > b.plan.id ? 1 : 0)
  );
}

function covers(offered: readonly string[], needed: readonly string[]): boolean {
  const set = new Set(offered);
  return needed.every((code) => set.has(code));
}

/** null is unlimited: more than any amount, and the only thing that matches unlimited. */
function hasAtLeastData(offered: number | null, needed: number | null): boolean {
  if (offered === null) return true;
  return needed !== null && offered >= needed;
}

/** Ascending by data, unlimited last. */
function compareData(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}
