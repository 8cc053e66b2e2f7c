import type { Viewer } from '../../domain/account';
import type { CustomerField } from '../../domain/device';
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
import type { FailoverRouter } from './failover-router';
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
    private readonly router: FailoverRouter,
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

  /** The best equivalent in the catalog cache (failover-router.ts), priced as an order there would be. */
  private async routeFor(
    viewer: Viewer,
    chosen: CatalogPlan,
    unitPrice: Money,
    book: PriceBook,
    quantity: number,
  ): Promise<QuotedLine | null> {
    const [best] = await this.router.equivalents(viewer, chosen, unitPrice);
    return best ? lineOf(best.plan, book, quantity) : null;
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
