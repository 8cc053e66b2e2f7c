import DataLoader from 'dataloader';
import type { Viewer } from '../../domain/account';
import type { Money } from '../../domain/money';
import type { CatalogPlan, PlanNetwork } from '../../domain/plan';
import type { AccountEntity, ApiKeyEntity, OrderEntity, ProfileEntity, TopUpEntity } from '../../db/entities';
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
  /** Top-ups by id (no visibility check, as `order`). */
  readonly topUp: DataLoader<string, TopUpEntity | null>;
  /** Accounts by id (no visibility check: only reached from rows the viewer may see). */
  readonly account: DataLoader<string, AccountEntity | null>;
  /** API keys (metadata only) of an account, oldest first. */
  readonly apiKeysOfAccount: DataLoader<string, ApiKeyEntity[]>;
  /** Live usage, batched per provider (`batchLimits.usage`), each profile asked once per request. */
  readonly usage: DataLoader<ProfileEntity, UsageReading | null, string>;
}

/**
 * Per request: never shared, so nothing leaks between callers. A subscription lives long, so its
 * loaders are built with `cache: false`: they still batch the loads of one event (one tick), but
 * never answer a later event from an earlier one. Each loader is built on first use: most
 * operations touch one or two of them, and every request pays for what it builds.
 */
export function createLoaders(services: Services, viewer: Viewer, { cache = true }: { cache?: boolean } = {}): Loaders {
  return new RequestLoaders(services, viewer, cache);
}

class RequestLoaders implements Loaders {
  private made: Partial<Record<keyof Loaders, unknown>> = {};

  constructor(
    private readonly services: Services,
    private readonly viewer: Viewer,
    private readonly cache: boolean,
  ) {}

  get plan() {
    return this.once(
      'plan',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.catalog.findPricedPlans(this.viewer, ids), {
          cache: this.cache,
        }),
    );
  }
  get networks() {
    return this.once(
      'networks',
      () =>
        new DataLoader((plans: readonly CatalogPlan[]) => this.services.catalog.networksOf(plans), {
          cache: this.cache,
          cacheKeyFn: (plan) => plan.id,
        }),
    );
  }
  get providerBalance() {
    return this.once(
      'providerBalance',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.providers.balances(this.viewer, ids), {
          cache: this.cache,
        }),
    );
  }
  get order() {
    return this.once(
      'order',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.orderQueries.ordersByIds(ids), { cache: this.cache }),
    );
  }
  get profilesOfOrder() {
    return this.once(
      'profilesOfOrder',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.orderQueries.profilesByOrderIds(ids), {
          cache: this.cache,
        }),
    );
  }
  get topUpsOfProfile() {
    return this.once(
      'topUpsOfProfile',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.orderQueries.topUpsByProfileIds(ids), {
          cache: this.cache,
        }),
    );
  }
  get profile() {
    return this.once(
      'profile',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.orderQueries.profilesByIds(ids), {
          cache: this.cache,
        }),
    );
  }
  get topUp() {
    return this.once(
      'topUp',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.orderQueries.topUpsByIds(ids), { cache: this.cache }),
    );
  }
  get account() {
    return this.once(
      'account',
      () =>
        new DataLoader((ids: readonly string[]) => this.services.accounts.accountsByIds(ids), { cache: this.cache }),
    );
  }
  get apiKeysOfAccount() {
    return this.once(
      'apiKeysOfAccount',
      () => new DataLoader((ids: readonly string[]) => this.services.accounts.apiKeysOf(ids), { cache: this.cache }),
    );
  }
  get usage() {
    return this.once(
      'usage',
      () =>
        new DataLoader((profiles: readonly ProfileEntity[]) => this.services.profiles.usageOf(profiles), {
          cache: this.cache,
          cacheKeyFn: (p) => p.id,
        }),
    );
  }

  private once<K extends keyof Loaders>(name: K, make: () => Loaders[K]): Loaders[K] {
    return (this.made[name] ??= make()) as Loaders[K];
  }
}
