import type { ComiumConfig } from '../../config/provider-config';
import type { AdapterDeps } from '../adapter-deps';
import { DEFAULT_UPSTREAM_POLICY } from '../http/upstream-client';
import type { ProviderAdapter } from '../provider-adapter';
import { ComiumAdapter } from './comium.adapter';
import { ComiumClient } from './comium.client';

/**
 * Builds the Comium adapter. Comium documents no rate limit: 10 requests/second is ASSUMED
 * (README.md), overridable through `deps.policy`.
 */
export function createComiumAdapter(config: ComiumConfig, deps: AdapterDeps): ProviderAdapter {
  const policy = { ...DEFAULT_UPSTREAM_POLICY, rateLimit: { limit: 10, windowMs: 1000 }, ...deps.policy };
  return new ComiumAdapter(new ComiumClient(config, policy, deps.logger, deps.observe), deps.logger);
}
