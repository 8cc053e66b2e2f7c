import type { Logger } from 'pino';
import type { Viewer } from '../../domain/account';
import { countryByAlpha2 } from '../../domain/countries';
import {
  isEquivalent,
  rankEquivalents,
  withinPriceCeiling,
  type EquivalenceTerms,
  type FallbackCandidate,
} from '../../domain/equivalent-plan';
import { ProviderError } from '../../domain/errors';
import type { Money } from '../../domain/money';
import { missingCustomerFields, type PlaceOrderCommand } from '../../domain/order-input';
import { orderPrice } from '../../domain/order-price';
import type { CatalogPlan } from '../../domain/plan';
import type { PriceBook } from '../../domain/price-rule';
import type { ProviderRegistry } from '../../providers/registry';
import { WALLET_CURRENCY, type CatalogService } from '../catalog/catalog.service';

/** One page of candidates: sorted by price, so a page past the ceiling ends the walk. */
const CANDIDATE_PAGE = 100;
/** Equivalents an order re-prices at their providers before it gives up: bounds the upstream reads. */
const MAX_CONFIRMED = 3;

/** What an order going elsewhere must keep: the plan asked for and the price quoted for it. */
export interface RouteRequest {
  readonly chosen: CatalogPlan;
  /** The chosen plan's price for the account, per unit: the ceiling is measured from it. */
  readonly unitPrice: Money;
  readonly customer: PlaceOrderCommand['customer'];
}

/**
 * Finds where an order (or a quote) with `fallback: EQUIVALENT` goes: the best plan at another
 * provider by equivalent-plan.ts, for the calling account's prices, within
 * FAILOVER_TOLERANCE_PERCENT of the chosen plan's price.
 */
export class FailoverRouter {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly catalog: CatalogService,
    private readonly tolerancePercent: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Every equivalent in the shared catalog cache, best first: no upstream call when the cache is
   * warm, at most one listing per provider when cold. Read through the catalog search: plans in the
   * chosen plan's first country, at least its validity, cheapest first, stopping at the ceiling.
   */
  async equivalents(viewer: Viewer, chosen: CatalogPlan, unitPrice: Money): Promise<FallbackCandidate<CatalogPlan>[]> {
    const others = this.registry
      .all()
      .map((a) => a.id)
      .filter((id) => id !== chosen.providerId && this.healthy(id));
    if (others.length === 0) return [];
    const terms = this.terms(unitPrice);
    const first = chosen.countries.find((code) => countryByAlpha2(code) !== undefined) ?? null;
    const candidates: FallbackCandidate<CatalogPlan>[] = [];
    for (let after: string | null = null; ;) {
      const page = await this.catalog.search(viewer, {
        filter: { providerIds: others, country: first, minValidityDays: chosen.validityDays },
        sort: 'PRICE_ASC',
        first: CANDIDATE_PAGE,
        after,
      });
      const affordable = page.edges.filter(({ node }) => withinPriceCeiling(node.price, terms));
      for (const { node } of affordable)
        candidates.push({ plan: node.plan, price: node.price, healthy: this.healthy(node.plan.providerId) });
      if (!page.hasNextPage || affordable.length < page.edges.length) break;
      after = page.endCursor;
    }
    return rankEquivalents(chosen, candidates, terms);
  }

  /**
   * The plan an order goes to: the best equivalent whose provider still offers it when asked now,
   * re-priced there (as placeOrder re-prices every plan, never trusting the cache with money), still
   * within the ceiling at that price, and whose customer fields the order carries. At most
   * MAX_CONFIRMED providers are read; null when none holds.
   */
  async confirmedRoute(viewer: Viewer, book: PriceBook, request: RouteRequest): Promise<CatalogPlan | null> {
    const terms = this.terms(request.unitPrice);
    let asked = 0;
    for (const candidate of await this.equivalents(viewer, request.chosen, request.unitPrice)) {
      const adapter = this.registry.get(candidate.plan.providerId);
      if (missingCustomerFields(request.customer, adapter.customerFields).length) continue;
      if (asked++ === MAX_CONFIRMED) break;
      try {
        const [fresh] = await adapter.getPlans([candidate.plan.code]);
        if (!fresh || fresh.wholesalePrice.currency !== WALLET_CURRENCY) continue;
        const price = { amount: orderPrice(fresh, book, 1).unitPrice, currency: WALLET_CURRENCY };
        if (isEquivalent(request.chosen, { plan: fresh, price, healthy: this.healthy(fresh.providerId) }, terms))
          return fresh;
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        this.logger.warn({ planId: candidate.plan.id, err: error.message }, 'failover candidate could not be priced');
      }
    }
    return null;
  }

  private healthy(providerId: string): boolean {
    return !this.registry.get(providerId).health().circuitOpen;
  }

  private terms(unitPrice: Money): EquivalenceTerms {
    return { unitPrice, tolerancePercent: this.tolerancePercent };
  }
}
