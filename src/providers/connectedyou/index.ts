import type { ConnectedYouConfig } from '../../config/provider-config';
import type { AdapterDeps } from '../adapter-deps';
import { DEFAULT_UPSTREAM_POLICY } from '../http/upstream-client';
import type { ProviderAdapter } from '../provider-adapter';
import { ConnectedYouAdapter } from './connectedyou.adapter';
import { ConnectedYouClient } from './connectedyou.client';

/** 20 requests per second per auth client: ASSUMED (the seed only says excess traffic gets 429). */
export const CONNECTEDYOU_RATE_LIMIT = { limit: 20, windowMs: 1000 } as const;

export function createConnectedYouAdapter(config: ConnectedYouConfig, deps: AdapterDeps): ProviderAdapter {
  const policy = { ...DEFAULT_UPSTREAM_POLICY, rateLimit: CONNECTEDYOU_RATE_LIMIT, ...deps.policy };
  return new ConnectedYouAdapter(new ConnectedYouClient(config, policy, deps.logger, deps.observe), deps.logger);
}
