import { applyMarkup, type Money } from './money';

/**
 * What a price rule targets. A plan rule names one plan; a country rule covers plans whose only
 * country is that one (regional and global plans are priced by plan or provider rules, so a rule
 * for "FR" never silently reprices a 40-country Europe plan); a provider rule covers its plans;
 * provider + country narrows a country rule to one provider.
 */
export interface PriceRuleScope {
  readonly providerId: string | null;
  readonly country: string | null;
  readonly planId: string | null;
}

/** Exactly one of the two is set: a markup on wholesale, or a fixed price in the wallet currency. */
export interface Pricing {
  readonly markupPercent: string | null;
  readonly fixedPrice: string | null;
}

export interface PricedRule extends PriceRuleScope, Pricing {}

/** The fields of a plan the resolution reads. */
export interface RuledPlan {
  readonly id: string;
  readonly providerId: string;
  readonly countries: readonly string[];
  readonly wholesalePrice: Money;
}

/** One string per scope: the unique key per account, so setting the same scope replaces the rule. */
export function scopeKey(scope: PriceRuleScope): string {
  if (scope.planId !== null) return `plan:${scope.planId}`;
  const parts = [];
  if (scope.providerId !== null) parts.push(`provider:${scope.providerId}`);
  if (scope.country !== null) parts.push(`country:${scope.country}`);
  return parts.join('|');
}

/**
 * An account's rules indexed for map lookups, built once per request: resolving a plan costs at
 * most four Map reads and allocates nothing. Most specific wins: plan, provider + country,
 * country, provider, then the account's markup.
 */
export class PriceBook {
  private readonly byPlan = new Map<string, Pricing>();
  private readonly byProviderCountry = new Map<string, Pricing>();
  private readonly byCountry = new Map<string, Pricing>();
  private readonly byProvider = new Map<string, Pricing>();
  private readonly fallback: Pricing;

  constructor(accountMarkupPercent: string, rules: readonly PricedRule[] = []) {
    this.fallback = { markupPercent: accountMarkupPercent, fixedPrice: null };
    for (const rule of rules) {
      const pricing = { markupPercent: rule.markupPercent, fixedPrice: rule.fixedPrice };
      if (rule.planId !== null) this.byPlan.set(rule.planId, pricing);
      else if (rule.providerId !== null && rule.country !== null)
        this.byProviderCountry.set(`${rule.providerId}|${rule.country}`, pricing);
      else if (rule.country !== null) this.byCountry.set(rule.country, pricing);
      else if (rule.providerId !== null) this.byProvider.set(rule.providerId, pricing);
    }
  }

  /** The pricing that applies to a plan (always one: the account's markup when no rule matches). */
  pricingOf(plan: Omit<RuledPlan, 'wholesalePrice'>): Pricing {
    const planRule = this.byPlan.get(plan.id);
    if (planRule) return planRule;
    if (plan.countries.length === 1) {
      const country = plan.countries[0];
      // The joined key is built only when such rules exist: a search allocates nothing per plan.
      const found =
        (this.byProviderCountry.size > 0 ? this.byProviderCountry.get(`${plan.providerId}|${country}`) : undefined) ??
        this.byCountry.get(country);
      if (found) return found;
    }
    return this.byProvider.get(plan.providerId) ?? this.fallback;
  }
}

/**
 * The price of one plan under a pricing: wholesale × (1 + markup/100) rounded half-up to the
 * currency's minor unit, or the fixed price. The catalog and placeOrder both charge through this.
 */
export function priceWith(wholesale: Money, pricing: Pricing): Money {
  if (pricing.fixedPrice !== null) return { amount: pricing.fixedPrice, currency: wholesale.currency };
  return applyMarkup(wholesale, pricing.markupPercent ?? '0');
}

/** The price of a plan for the account whose book this is. */
export function priceOf(plan: RuledPlan, book: PriceBook): Money {
  return priceWith(plan.wholesalePrice, book.pricingOf(plan));
}
