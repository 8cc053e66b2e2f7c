import type { ProvidersConfig } from '../config/provider-config';
import { NotFoundError, NotSupportedError } from '../domain/errors';
import { PROVIDER_IDS, type ProviderId } from '../domain/provider';
import type { AdapterDeps } from './adapter-deps';
import { createComiumAdapter } from './comium';
import { createConnectedYouAdapter } from './connectedyou';
import { createEsimAccessAdapter } from './esimaccess';
import { createEsimPlatformAdapter } from './esimplatform';
import { createEsimTradeAdapter } from './esimtrade';
import type { SharedLimits } from './http/rate-limiter';
import { createRedisLimits } from './http/shared-rate-limiter';
import type { CapabilityGroup, CapabilityGroups, ProviderAdapter } from './provider-adapter';

/** The adapters of this process, by contract slug, in the contract's order. */
export class ProviderRegistry {
  private readonly byId: ReadonlyMap<string, ProviderAdapter>;

  constructor(
    adapters: readonly ProviderAdapter[],
    /** Opened by `createRegistry` for the adapters, so closed with them. */
    private readonly sharedLimits?: SharedLimits,
  ) {
    this.byId = new Map(adapters.map((a) => [a.id, a]));
  }

  all(): ProviderAdapter[] {
    return [...this.byId.values()];
  }

  /** The adapter; or, given a capability, its group. Undefined for an unknown id or an absent group. */
  find(id: string): ProviderAdapter | undefined;
  find<K extends CapabilityGroup>(id: string, capability: K): CapabilityGroups[K] | undefined;
  find(id: string, capability?: CapabilityGroup): ProviderAdapter | CapabilityGroups[CapabilityGroup] | undefined {
    const adapter = this.byId.get(id);
    return capability === undefined ? adapter : adapter?.supports[capability];
  }

  /** The adapter, or NOT_FOUND for an id we do not federate. */
  get(id: string): ProviderAdapter {
    const adapter = this.byId.get(id);
    if (!adapter) throw new NotFoundError(`Provider "${id}"`);
    return adapter;
  }

  /** The provider's group for `capability`: NOT_FOUND for an unknown id, NOT_SUPPORTED (before any upstream call) when absent. */
  require<K extends CapabilityGroup>(id: string, capability: K): CapabilityGroups[K] {
    const adapter = this.get(id);
    const group = adapter.supports[capability];
    if (group === undefined)
      throw new NotSupportedError(`${adapter.name} does not support ${capability.toLowerCase().replace('_', ' ')}.`);
    return group;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.all().map((a) => a.dispose()));
    await this.sharedLimits?.dispose();
  }
}

const FACTORIES: { readonly [K in ProviderId]: (config: ProvidersConfig[K], deps: AdapterDeps) => ProviderAdapter } = {
  esimaccess: createEsimAccessAdapter,
  connectedyou: createConnectedYouAdapter,
  comium: createComiumAdapter,
  esimplatform: createEsimPlatformAdapter,
  esimtrade: createEsimTradeAdapter,
};

/** Where outbound rate limits are counted: Redis (REDIS_URL, keys under CACHE_NAMESPACE), or null for this process alone. */
export interface SharedLimitsOptions {
  readonly redisUrl: string | null;
  readonly namespace: string;
}

export function createRegistry(
  config: ProvidersConfig,
  deps: AdapterDeps,
  shared: SharedLimitsOptions = { redisUrl: null, namespace: '' },
): ProviderRegistry {
  const sharedLimits = shared.redisUrl ? createRedisLimits(shared.redisUrl, shared.namespace, deps.logger) : undefined;
  const adapterDeps: AdapterDeps = sharedLimits ? { ...deps, policy: { ...deps.policy, sharedLimits } } : deps;
  return new ProviderRegistry(
    PROVIDER_IDS.map((id) =>
      (FACTORIES[id] as (c: ProvidersConfig[ProviderId], d: AdapterDeps) => ProviderAdapter)(config[id], adapterDeps),
    ),
    sharedLimits,
  );
}
