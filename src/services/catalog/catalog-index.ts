import { countryByAlpha2 } from '../../domain/countries';
import { perGigabyte, toScaledInteger, type Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import { priceWith, type Pricing } from '../../domain/price-rule';

/** A plan as one caller sees it: its price after the caller's markup, in the wallet currency. */
export interface PricedPlan {
  readonly plan: CatalogPlan;
  readonly price: Money;
  /** null when unlimited */
  readonly pricePerGb: Money | null;
  /** price in 1/10 000 units: exact integers for fast sorting and comparison */
  readonly priceUnits: number;
  readonly pricePerGbUnits: number | null;
}

/**
 * One provider's catalog, normalized once per refresh and indexed: by id, by country, and a
 * lower-cased search text per plan. Prices per markup are computed lazily and memoized, so a
 * search over thousands of plans does no decimal arithmetic after the first request.
 */
export class CatalogIndex {
  readonly byId: ReadonlyMap<string, CatalogPlan>;
  readonly byCountry: ReadonlyMap<string, readonly CatalogPlan[]>;
  readonly searchText: ReadonlyMap<string, string>;
  private readonly priced = new Map<string, Map<string, PricedPlan>>();
  /** Plans at a rule's fixed price, by "<planId>|<price>": few per account, so one flat bounded map. */
  private readonly fixed = new Map<string, PricedPlan>();

  constructor(
    readonly providerId: string,
    readonly plans: readonly CatalogPlan[],
    readonly fetchedAt: number,
  ) {
    this.byId = new Map(plans.map((p) => [p.id, p]));
    const byCountry = new Map<string, CatalogPlan[]>();
    for (const plan of plans) {
      for (const code of plan.countries) {
        const list = byCountry.get(code) ?? [];
        list.push(plan);
        byCountry.set(code, list);
      }
    }
    this.byCountry = byCountry;
    this.searchText = new Map(plans.map((p) => [p.id, searchTextOf(p)]));
  }

  /** The plan under a resolved pricing (price-rule.ts), memoized like the markups. */
  priceBy(plan: CatalogPlan, pricing: Pricing): PricedPlan {
    if (pricing.fixedPrice === null) return this.price(plan, pricing.markupPercent ?? '0');
    const key = `${plan.id}|${pricing.fixedPrice}`;
    let priced = this.fixed.get(key);
    if (!priced) {
      if (this.fixed.size > 10_000) this.fixed.clear();
      priced = pricedAt(plan, priceWith(plan.wholesalePrice, pricing));
      this.fixed.set(key, priced);
    }
    return priced;
  }

  price(plan: CatalogPlan, markupPercent: string): PricedPlan {
    let memo = this.priced.get(markupPercent);
    if (!memo) {
      if (this.priced.size > 64) this.priced.clear();
      memo = new Map();
      this.priced.set(markupPercent, memo);
    }
    let priced = memo.get(plan.id);
    if (!priced) {
      priced = pricePlan(plan, markupPercent);
      memo.set(plan.id, priced);
    }
    return priced;
  }
}

/** A plan as one caller pays for it: wholesale × (1 + markup), rounded half-up; per GB from that. */
export function pricePlan(plan: CatalogPlan, markupPercent: string): PricedPlan {
  return pricedAt(plan, priceWith(plan.wholesalePrice, { markupPercent, fixedPrice: null }));
}

/** A plan at a given price, e.g. what an order actually charged for it. */
export function pricedAt(plan: CatalogPlan, price: Money): PricedPlan {
  const pricePerGb = plan.dataBytes === null ? null : perGigabyte(price, plan.dataBytes);
  return {
    plan,
    price,
    pricePerGb,
    priceUnits: toScaledInteger(price.amount, 10_000),
    pricePerGbUnits: pricePerGb === null ? null : toScaledInteger(pricePerGb.amount, 10_000),
  };
}

function searchTextOf(plan: CatalogPlan): string {
  const countries =
    plan.countries.length > 12 ? [] : plan.countries.map((c) => `${countryByAlpha2(c)?.name ?? ''} ${c}`);
  return [plan.name, plan.regionName ?? '', plan.code, ...countries].join(' ').toLowerCase();
}
