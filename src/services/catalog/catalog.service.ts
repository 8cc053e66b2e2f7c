import type Keyv from 'keyv';
import type { Logger } from 'pino';
import type { Viewer } from '../../domain/account';
import { BadUserInputError, DomainError, ProviderUnavailableError } from '../../domain/errors';
import { parsePlanGlobalId } from '../../domain/ids';
import type { CatalogPlan, PlanNetwork, PlanSort } from '../../domain/plan';
import { PriceBook, type PriceRuleScope } from '../../domain/price-rule';
import type { ProviderRegistry } from '../../providers/registry';
import { CatalogIndex, type PricedPlan } from './catalog-index';
import { CatalogStore } from './catalog-store';
import type { PriceBooks } from '../pricing/price-books';
import { compileFilter, paginate, type PlanFilter, type PlanPage } from './plan-search';

/** The gateway's wallets are in USD; plans in another currency are left out (no FX source yet). */
export const WALLET_CURRENCY = 'USD';

export interface ProviderOutage {
  readonly providerId: string;
  /** PROVIDER_UNAVAILABLE, TIMEOUT, RATE_LIMITED, PROVIDER_ERROR or INTERNAL_SERVER_ERROR */
  readonly code: string;
  readonly message: string;
}

export interface PlanSearchResult extends PlanPage {
  readonly unavailableProviders: readonly ProviderOutage[];
}

export interface PlanSearchArgs {
  readonly filter?: PlanFilter | null;
  readonly sort?: PlanSort | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** The merged catalog: fan-out to every provider in parallel, filter, price for the caller, sort, page. */
export class CatalogService {
  private readonly store: CatalogStore;

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly cache: Keyv,
    private readonly logger: Logger,
    private readonly ttlMs: number,
    /** The caller's price rules; without it every plan is priced at the account markup. */
    private readonly books?: PriceBooks,
  ) {
    this.store = new CatalogStore(cache, logger, ttlMs);
  }

  async search(viewer: Viewer, args: PlanSearchArgs): Promise<PlanSearchResult> {
    const compiled = compileFilter(args.filter);
    const providerIds = args.filter?.providerIds ?? null;
    for (const id of providerIds ?? [])
      if (!this.registry.find(id)) throw new BadUserInputError(`Unknown provider "${id}".`, 'filter.providerIds');
    const adapters = this.registry.all().filter((a) => providerIds === null || providerIds.includes(a.id));
    const [book, settled] = await Promise.all([
      this.bookFor(viewer),
      Promise.allSettled(adapters.map((a) => this.store.get(a))),
    ]);
    const items: PricedPlan[] = [];
    const unavailableProviders: ProviderOutage[] = [];
    settled.forEach((result, i) => {
      if (result.status === 'rejected') {
        unavailableProviders.push(this.outage(adapters[i].id, result.reason));
        return;
      }
      const index = result.value;
      const candidates = compiled.country === null ? index.plans : (index.byCountry.get(compiled.country) ?? []);
      for (const plan of candidates) {
        if (plan.wholesalePrice.currency !== WALLET_CURRENCY) continue;
        const priced = index.priceBy(plan, book.pricingOf(plan));
        if (compiled.test(priced, index.searchText.get(plan.id) ?? '')) items.push(priced);
      }
    });
    return { ...paginate(items, args.sort ?? 'PRICE_ASC', args.first, args.after), unavailableProviders };
  }

  /** Plans by global id priced for the caller, for DataLoader: same order; null for an unknown id; an Error where the provider failed. */
  async findPricedPlans(viewer: Viewer, ids: readonly string[]): Promise<(PricedPlan | null | Error)[]> {
    const byProvider = new Map<string, Promise<unknown>>();
    for (const id of ids) {
      const parsed = parsePlanGlobalId(id);
      const adapter = parsed && this.registry.find(parsed.providerId);
      if (adapter && !byProvider.has(adapter.id))
        byProvider.set(
          adapter.id,
          this.store.get(adapter).catch((e: unknown) => e),
        );
    }
    const resolved = new Map<string, unknown>();
    const [book] = await Promise.all([
      this.bookFor(viewer),
      ...[...byProvider].map(async ([id, p]) => resolved.set(id, await p)),
    ]);
    return ids.map((id) => {
      const parsed = parsePlanGlobalId(id);
      if (!parsed) return null;
      const index = resolved.get(parsed.providerId);
      if (index instanceof Error) return index;
      if (!(index instanceof CatalogIndex)) return null;
      const plan = index.byId.get(id);
      return plan && plan.wholesalePrice.currency === WALLET_CURRENCY
        ? index.priceBy(plan, book.pricingOf(plan))
        : null;
    });
  }

  servesProvider(providerId: string): boolean {
    return this.registry.find(providerId) !== undefined;
  }

  /**
   * Wallet-currency plans a price rule scope covers in the current catalog (price-rule.ts: a
   * country rule covers single-country plans only). A provider that cannot be read fails a plan
   * rule and is skipped for a wider one.
   */
  async plansCoveredBy(scope: PriceRuleScope): Promise<CatalogPlan[]> {
    const adapters = this.registry.all().filter((a) => scope.providerId === null || a.id === scope.providerId);
    const settled = await Promise.allSettled(adapters.map((a) => this.store.get(a)));
    const plans: CatalogPlan[] = [];
    for (const result of settled) {
      if (result.status === 'rejected') {
        if (scope.planId !== null) throw result.reason;
        continue;
      }
      const index = result.value;
      const candidates =
        scope.planId !== null
          ? [index.byId.get(scope.planId)].filter((p) => p !== undefined)
          : scope.country !== null
            ? (index.byCountry.get(scope.country) ?? []).filter((p) => p.countries.length === 1)
            : index.plans;
      for (const plan of candidates) if (plan.wholesalePrice.currency === WALLET_CURRENCY) plans.push(plan);
    }
    return plans;
  }

  private bookFor(viewer: Viewer): Promise<PriceBook> {
    return this.books ? this.books.bookFor(viewer) : Promise.resolve(new PriceBook(viewer.markupPercent));
  }

  /**
   * Networks of plans (same order), from the catalog or, where the provider lists them apart, from
   * its networks endpoint. `Plan.networks` is non-null in the contract, so a provider failure here
   * yields an empty list (logged) instead of nulling the whole response.
   */
  async networksOf(plans: readonly CatalogPlan[]): Promise<PlanNetwork[][]> {
    const fetched = new Map<string, PlanNetwork[]>();
    const listedApart = plans.filter((p) => p.networks === null);
    const cached = listedApart.length
      ? await this.cache.getMany<PlanNetwork[]>(listedApart.map((p) => `networks:${p.id}`)).catch(() => [])
      : [];
    const missing = new Map<string, CatalogPlan[]>();
    listedApart.forEach((plan, i) => {
      const hit = cached[i];
      if (hit) fetched.set(plan.id, hit);
      else missing.set(plan.providerId, [...(missing.get(plan.providerId) ?? []), plan]);
    });
    await Promise.all(
      [...missing].map(async ([providerId, list]) => {
        const adapter = this.registry.get(providerId);
        try {
          if (!adapter.getNetworks)
            throw new ProviderUnavailableError(providerId, 'SERVER_ERROR', `${adapter.name} lists no networks.`);
          const result = await adapter.getNetworks(list.map((p) => p.code));
          list.forEach((p, i) => fetched.set(p.id, result[i]));
          await Promise.all(list.map((p, i) => this.cache.set(`networks:${p.id}`, result[i], this.ttlMs))).catch(
            () => undefined,
          );
        } catch (error) {
          this.logger.warn(
            { provider: providerId, code: (error as { code?: string }).code },
            'networks unavailable; answering an empty list',
          );
          list.forEach((p) => fetched.set(p.id, []));
        }
      }),
    );
    return plans.map((p) => (p.networks ? [...p.networks] : (fetched.get(p.id) ?? [])));
  }

  private outage(providerId: string, error: unknown): ProviderOutage {
    if (error instanceof ProviderUnavailableError && error.reason === 'TIMEOUT')
      return { providerId, code: 'TIMEOUT', message: error.message };
    if (error instanceof DomainError) return { providerId, code: error.code, message: error.message };
    this.logger.error({ provider: providerId, err: error }, 'catalog fetch failed unexpectedly');
    return { providerId, code: 'INTERNAL_SERVER_ERROR', message: `The catalog of ${providerId} could not be read.` };
  }
}
