import type { ProvidersConfig } from '../config/provider-config';
import { NotFoundError, NotSupportedError } from '../domain/errors';
import { PROVIDER_IDS, type ProviderCapability, type ProviderId } from '../domain/provider';
import type { AdapterDeps } from './adapter-deps';
import { createComiumAdapter } from './comium';
import { createConnectedYouAdapter } from './connectedyou';
import { createEsimAccessAdapter } from './esimaccess';
import { createEsimPlatformAdapter } from './esimplatform';
import { createEsimTradeAdapter } from './esimtrade';
import type { SharedLimits } from './http/rate-limiter';
import { createRedisLimits } from './http/shared-rate-limiter';
import type { ProviderAdapter } from './provider-adapter';

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

  find(id: string): ProviderAdapter | undefined {
    return this.byId.get(id);
  }

  /** The adapter, or NOT_FOUND for an id we do not federate. */
  get(id: string): ProviderAdapter {
    const adapter = this.byId.get(id);
    if (!adapter) throw new NotFoundError(`Provider "${id}"`);
    return adapter;
  }

  /** The adapter, or NOT_SUPPORTED before any upstream call when it lacks the capability. */
  require(id: string, capability: ProviderCapability): ProviderAdapter {
    const adapter = this.get(id);
    if (!adapter.capabilities.has(capability)) throw new NotSupportedError(`${adapter.name} does not support ${capability.toLowerCase().replace('_', ' ')}.`);
    return adapter;
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

export function createRegistry(config: ProvidersConfig, deps: AdapterDeps, shared: SharedLimitsOptions = { redisUrl: null, namespace: '' }): ProviderRegistry {
  const sharedLimits = shared.redisUrl ? createRedisLimits(shared.redisUrl, shared.namespace, deps.logger) : undefined;
  const adapterDeps: AdapterDeps = sharedLimits ? { ...deps, policy: { ...deps.policy, sharedLimits } } : deps;
  return new ProviderRegistry(PROVIDER_IDS.map((id) => (FACTORIES[id] as (c: ProvidersConfig[ProviderId], d: AdapterDeps) => ProviderAdapter)(config[id], adapterDeps)), sharedLimits);
}
