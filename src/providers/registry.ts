import type { ProvidersConfig } from '../config/provider-config';
import { NotFoundError, NotSupportedError } from '../domain/errors';
import { PROVIDER_IDS, type ProviderCapability, type ProviderId } from '../domain/provider';
import type { AdapterDeps } from './adapter-deps';
import { createComiumAdapter } from './comium';
import { createConnectedYouAdapter } from './connectedyou';
import { createEsimAccessAdapter } from './esimaccess';
import { createEsimPlatformAdapter } from './esimplatform';
import { createEsimTradeAdapter } from './esimtrade';
import type { ProviderAdapter } from './provider-adapter';

/** The adapters of this process, by contract slug, in the contract's order. */
export class ProviderRegistry {
  private readonly byId: ReadonlyMap<string, ProviderAdapter>;

  constructor(adapters: readonly ProviderAdapter[]) {
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
  }
}

const FACTORIES: { readonly [K in ProviderId]: (config: ProvidersConfig[K], deps: AdapterDeps) => ProviderAdapter } = {
  esimaccess: createEsimAccessAdapter,
  connectedyou: createConnectedYouAdapter,
  comium: createComiumAdapter,
  esimplatform: createEsimPlatformAdapter,
  esimtrade: createEsimTradeAdapter,
};

export function createRegistry(config: ProvidersConfig, deps: AdapterDeps): ProviderRegistry {
  return new ProviderRegistry(PROVIDER_IDS.map((id) => (FACTORIES[id] as (c: ProvidersConfig[ProviderId], d: AdapterDeps) => ProviderAdapter)(config[id], deps)));
}
