import DataLoader from 'dataloader';
import type { Viewer } from '../../domain/account';
import type { Money } from '../../domain/money';
import type { CatalogPlan, PlanNetwork } from '../../domain/plan';
import type { PricedPlan } from '../../services/catalog/catalog-index';
import type { Services } from '../services';

export interface Loaders {
  /** Plans by global id, priced for the caller; null for an unknown id. */
  readonly plan: DataLoader<string, PricedPlan | null>;
  /** Networks of a plan, from the catalog or the provider's networks endpoint. */
  readonly networks: DataLoader<CatalogPlan, PlanNetwork[], string>;
  /** Upstream balances (admin only), cached in keyv for BALANCE_TTL_MS. */
  readonly providerBalance: DataLoader<string, Money | null>;
}

/** Per request (and per subscription event): never shared, so nothing leaks between callers. */
export function createLoaders(services: Services, viewer: Viewer): Loaders {
  return {
    plan: new DataLoader((ids) => services.catalog.findPricedPlans(viewer, ids)),
    networks: new DataLoader((plans) => services.catalog.networksOf(plans), { cacheKeyFn: (plan) => plan.id }),
    providerBalance: new DataLoader((ids) => services.providers.balances(viewer, ids)),
  };
}
