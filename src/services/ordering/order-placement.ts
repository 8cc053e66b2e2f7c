import type { Viewer } from '../../domain/account';
import { PlanUnavailableError, ProviderUnavailableError } from '../../domain/errors';
import { FailoverReason, OrderFallback } from '../../domain/order-fallback';
import type { PlaceOrderCommand } from '../../domain/order-input';
import { orderPrice } from '../../domain/order-price';
import type { CatalogPlan } from '../../domain/plan';
import type { PriceBook } from '../../domain/price-rule';
import type { ProviderAdapter } from '../../providers/provider-adapter';
import type { ProviderRegistry } from '../../providers/registry';
import { WALLET_CURRENCY, type CatalogService } from '../catalog/catalog.service';
import type { PriceBooks } from '../pricing/price-books';
import type { FailoverRouter } from './failover-router';

/** Where a new order goes and what it costs per unit; `requested` once it goes elsewhere than asked. */
export interface Placement {
  readonly plan: CatalogPlan;
  readonly unitPrice: string;
  readonly book: PriceBook;
  readonly requested: { readonly plan: CatalogPlan; readonly reason: FailoverReason } | null;
}

/**
 * Prices a new order before any money moves. The chosen plan is re-priced by its provider, never
 * from the catalog cache. With `fallback: EQUIVALENT`, a provider that cannot be reached (nothing
 * was sent: this is a read) or that no longer offers the plan sends the order to an equivalent
 * plan, at the price the caller was quoted: the plan's listing in the shared catalog, through the
 * same price book. Without a fallback, or with no equivalent, the refusal stands.
 */
export class PlacementPlanner {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly catalog: CatalogService,
    private readonly books: PriceBooks,
    private readonly router: FailoverRouter,
  ) {}

  async place(viewer: Viewer, request: PlaceOrderCommand): Promise<Placement> {
    const adapter = this.registry.get(request.providerId);
    // Read afresh: what is charged never rests on a memo (price-books.ts).
    const book = await this.books.freshBookFor(viewer);
    const asked = await this.priceNow(adapter, request);
    if (!(asked instanceof Error))
      return { plan: asked, unitPrice: orderPrice(asked, book, 1).unitPrice, book, requested: null };
    if (request.fallback !== OrderFallback.EQUIVALENT) throw asked;
    const [listed] = await this.catalog.findPricedPlans(viewer, [request.planId]);
    if (!listed || listed instanceof Error) throw asked;
    const unitPrice = orderPrice(listed.plan, book, 1).unitPrice;
    const route = await this.router.confirmedRoute(viewer, book, {
      chosen: listed.plan,
      unitPrice: { amount: unitPrice, currency: WALLET_CURRENCY },
      customer: request.customer,
    });
    if (!route) throw asked;
    const reason =
      asked instanceof PlanUnavailableError ? FailoverReason.PLAN_UNAVAILABLE : FailoverReason.PROVIDER_UNAVAILABLE;
    return { plan: route, unitPrice, book, requested: { plan: listed.plan, reason } };
  }

  /**
   * The chosen plan as its provider prices it now; the refusal, returned, when the provider cannot
   * be reached or no longer offers it in the wallet currency. Any other error is thrown.
   */
  private async priceNow(
    adapter: ProviderAdapter,
    request: PlaceOrderCommand,
  ): Promise<CatalogPlan | ProviderUnavailableError | PlanUnavailableError> {
    if (adapter.health().circuitOpen) return new ProviderUnavailableError(adapter.id, 'CIRCUIT_OPEN');
    try {
      const [plan] = await adapter.getPlans([request.planCode]);
      if (!plan || plan.wholesalePrice.currency !== WALLET_CURRENCY) return new PlanUnavailableError(request.planId);
      return plan;
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return error;
      throw error;
    }
  }
}
