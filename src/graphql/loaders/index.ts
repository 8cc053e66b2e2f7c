import DataLoader from 'dataloader';
import type { Viewer } from '../../domain/account';
import type { Money } from '../../domain/money';
import type { CatalogPlan, PlanNetwork } from '../../domain/plan';
import type { OrderEntity, ProfileEntity, TopUpEntity } from '../../db/entities';
import type { PricedPlan } from '../../services/catalog/catalog-index';
import type { UsageReading } from '../../services/ordering/profile.service';
import type { Services } from '../services';

export interface Loaders {
  /** Plans by global id, priced for the caller; null for an unknown id. */
  readonly plan: DataLoader<string, PricedPlan | null>;
  /** Networks of a plan, from the catalog or the provider's networks endpoint. */
  readonly networks: DataLoader<CatalogPlan, PlanNetwork[], string>;
  /** Upstream balances (admin only), cached in keyv for BALANCE_TTL_MS. */
  readonly providerBalance: DataLoader<string, Money | null>;
  /** Orders by id (no visibility check: only reached from rows the viewer may see). */
  readonly order: DataLoader<string, OrderEntity | null>;
  readonly profilesOfOrder: DataLoader<string, ProfileEntity[]>;
  readonly topUpsOfProfile: DataLoader<string, TopUpEntity[]>;
  readonly profile: DataLoader<string, ProfileEntity | null>;
  /** Live usage, batched per provider (`batchLimits.usage`), each profile asked once per request. */
  readonly usage: DataLoader<ProfileEntity, UsageReading | null, string>;
}

/**
 * Per request: never shared, so nothing leaks between callers. A subscription lives long, so its
 * loaders are built with `cache: false`: they still batch the loads of one event (one tick), but
 * never answer a later event from an earlier one.
 */
export function createLoaders(services: Services, viewer: Viewer, { cache = true }: { cache?: boolean } = {}): Loaders {
  return {
    plan: new DataLoader((ids) => services.catalog.findPricedPlans(viewer, ids), { cache }),
    networks: new DataLoader((plans) => services.catalog.networksOf(plans), { cache, cacheKeyFn: (plan) => plan.id }),
    providerBalance: new DataLoader((ids) => services.providers.balances(viewer, ids), { cache }),
    order: new DataLoader((ids) => services.orderQueries.ordersByIds(ids), { cache }),
    profilesOfOrder: new DataLoader((ids) => services.orderQueries.profilesByOrderIds(ids), { cache }),
    topUpsOfProfile: new DataLoader((ids) => services.orderQueries.topUpsByProfileIds(ids), { cache }),
    profile: new DataLoader((ids) => services.orderQueries.profilesByIds(ids), { cache }),
    usage: new DataLoader((profiles) => services.profiles.usageOf(profiles), { cache, cacheKeyFn: (p) => p.id }),
  };
}
