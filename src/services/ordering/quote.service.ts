import type { Viewer } from '../../domain/account';
import { countryByAlpha2 } from '../../domain/countries';
import type { CustomerField } from '../../domain/device';
import { bestEquivalent, withinPriceCeiling, type EquivalenceTerms } from '../../domain/equivalent-plan';
import { PlanUnavailableError } from '../../domain/errors';
import { isNegative, subtractDecimal, type Money } from '../../domain/money';
import { OrderFallback } from '../../domain/order-fallback';
import { orderPrice } from '../../domain/order-price';
import type { CatalogPlan } from '../../domain/plan';
import type { PriceBook } from '../../domain/price-rule';
import type { ProviderHealth } from '../../domain/provider';
import { parseQuoteOrder, type RawQuoteOrder } from '../../domain/quote-input';
import type { ProviderRegistry } from '../../providers/registry';
import { pricedAt, type PricedPlan } from '../catalog/catalog-index';
import type { CatalogService } from '../catalog/catalog.service';
import type { PriceBooks } from '../pricing/price-books';
import type { WalletService } from '../wallets/wallet.service';

/** Contract error codes an order of the quoted plan would fail with right now. */
export type QuoteRefusal = 'PLAN_UNAVAILABLE' | 'PROVIDER_UNAVAILABLE';

/** A plan at its price for the caller, per unit and for the quoted quantity. */
export interface QuotedLine {
  readonly plan: PricedPlan;
  readonly unitPrice: Money;
  readonly total: Money;
}

export interface OrderQuote extends QuotedLine {
  readonly quantity: number;
  readonly available: boolean;
  readonly reason: QuoteRefusal | null;
  readonly providerHealth: ProviderHealth;
  /** No provider exposes stock through its port yet: null means "not reported", not "none left". */
  readonly stock: number | null;
  readonly balance: Money;
  readonly balanceAfter: Money;
  readonly sufficientFunds: boolean;
  readonly customerFields: readonly CustomerField[];
  readonly fallback: OrderFallback;
  readonly routesTo: QuotedLine | null;
}

/** One page of candidates: sorted by price, so a page past the ceiling ends the walk. */
const CANDIDATE_PAGE = 100;

/**
 * quoteOrder: what placeOrder would charge and whether it could be served now, with no writes and
 * no upstream calls of its own. Plans come from the shared catalog cache (at most one listPlans per
 * provider when cold, none when warm), health from the breakers in memory, the balance from one read.
 */
export class QuoteService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly catalog: CatalogService,
    private readonly books: PriceBooks,
    private readonly wallets: WalletService,
    /** FAILOVER_TOLERANCE_PERCENT */
    private readonly tolerancePercent: string,
  ) {}

  async quote(viewer: Viewer, raw: RawQuoteOrder): Promise<OrderQuote> {
    const request = parseQuoteOrder(raw);
    // Unknown or disabled provider: NOT_FOUND, as placeOrder answers.
    const adapter = this.registry.get(request.providerId);
    const [[found], book, wallet] = await Promise.all([
      this.catalog.findPricedPlans(viewer, [request.planId]),
      this.books.bookFor(viewer),
      this.wallets.walletOf(viewer),
    ]);
    if (found instanceof Error) throw found;
    // placeOrder refuses a plan its provider no longer offers (or not in the wallet currency) alike.
    if (!found) throw new PlanUnavailableError(request.planId);
    const line = lineOf(found.plan, book, request.quantity);
    const providerHealth = adapter.health();
    const reason: QuoteRefusal | null = providerHealth.circuitOpen ? 'PROVIDER_UNAVAILABLE' : null;
    const after = subtractDecimal(wallet.balance, line.total.amount);
    return {
      ...line,
      quantity: request.quantity,
      available: reason === null,
      reason,
      providerHealth,
      stock: null,
      balance: { amount: wallet.balance, currency: wallet.currency },
      balanceAfter: { amount: after, currency: wallet.currency },
      sufficientFunds: !isNegative(after),
      customerFields: [...adapter.customerFields],
      fallback: request.fallback,
      // Reported even while the chosen plan is available: it is where an order would go on failure.
      routesTo:
        request.fallback === OrderFallback.EQUIVALENT
          ? await this.routeFor(viewer, found.plan, line.unitPrice, book, request.quantity)
          : null,
    };
  }

  /**
   * The best equivalent at another provider whose circuit is not open (equivalent-plan.ts), read
   * through the catalog search: only plans in the chosen plan's first country, at least its
   * validity, cheapest first, stopping at the price ceiling.
   */
  private async routeFor(
    viewer: Viewer,
    chosen: CatalogPlan,
    unitPrice: Money,
    book: PriceBook,
    quantity: number,
  ): Promise<QuotedLine | null> {
    const healthy = (providerId: string) => !this.registry.get(providerId).health().circuitOpen;
    const others = this.registry
      .all()
      .map((a) => a.id)
      .filter((id) => id !== chosen.providerId && healthy(id));
    if (others.length === 0) return null;
    const terms: EquivalenceTerms = { unitPrice, tolerancePercent: this.tolerancePercent };
    const first = chosen.countries.find((code) => countryByAlpha2(code) !== undefined) ?? null;
    const candidates: { plan: CatalogPlan; price: Money; healthy: boolean }[] = [];
    for (let after: string | null = null; ;) {
      const page = await this.catalog.search(viewer, {
        filter: { providerIds: others, country: first, minValidityDays: chosen.validityDays },
        sort: 'PRICE_ASC',
        first: CANDIDATE_PAGE,
        after,
      });
      const affordable = page.edges.filter(({ node }) => withinPriceCeiling(node.price, terms));
      for (const { node } of affordable)
        candidates.push({ plan: node.plan, price: node.price, healthy: healthy(node.plan.providerId) });
      if (!page.hasNextPage || affordable.length < page.edges.length) break;
      after = page.endCursor;
    }
    const best = bestEquivalent(chosen, candidates, terms);
    return best && lineOf(best.plan, book, quantity);
  }
}

/** The plan priced exactly as placeOrder charges it (order-price.ts), Plan.price included. */
function lineOf(plan: CatalogPlan, book: PriceBook, quantity: number): QuotedLine {
  const { unitPrice, total } = orderPrice(plan, book, quantity);
  const currency = plan.wholesalePrice.currency;
  return {
    plan: pricedAt(plan, { amount: unitPrice, currency }),
    unitPrice: { amount: unitPrice, currency },
    total: { amount: total, currency },
  };
}
