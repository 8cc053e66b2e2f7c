import type { EsimPlatformConfig } from '../../config/provider-config';
import type { AdapterDeps } from '../adapter-deps';
import type { ProviderAdapter } from '../provider-adapter';
import { EsimPlatformAdapter } from './esimplatform.adapter';
import { EsimPlatformClient } from './esimplatform.client';

export { EsimPlatformAdapter } from './esimplatform.adapter';

/** Builds the eSIM platform adapter from its config slice (email/password login, JWT Bearer). */
export function createEsimPlatformAdapter(config: EsimPlatformConfig, deps: AdapterDeps): ProviderAdapter {
  return new EsimPlatformAdapter(new EsimPlatformClient(config, deps), deps.logger);
}
