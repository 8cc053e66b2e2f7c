import type { ConnectedYouConfig } from '../../config/provider-config';
import type { AdapterDeps } from '../adapter-deps';
import { DEFAULT_UPSTREAM_POLICY } from '../http/upstream-client';
import type { ProviderAdapter } from '../provider-adapter';
import { ConnectedYouAdapter } from './connectedyou.adapter';
import { CONNECTEDYOU_ID, ConnectedYouClient } from './connectedyou.client';
import { ProviderNotes } from '../kit/notes';
import { createCyWebhooks, CySandboxPortal, sandboxRootOf } from './connectedyou.webhooks';

/** 20 requests per second per auth client: ASSUMED (the seed only says excess traffic gets 429). */
export const CONNECTEDYOU_RATE_LIMIT = { limit: 20, windowMs: 1000 } as const;

export function createConnectedYouAdapter(config: ConnectedYouConfig, deps: AdapterDeps): ProviderAdapter {
  const policy = { ...DEFAULT_UPSTREAM_POLICY, rateLimit: CONNECTEDYOU_RATE_LIMIT, ...deps.policy };
  // Outbound events are set up in the portal; only the sandbox emulates it behind an endpoint.
  const portal = config.sandbox ? new CySandboxPortal(sandboxRootOf(config.baseUrl), policy.timeoutMs) : null;
  // One notes kit for REST reads and events: each missing field or unknown word is said once.
  const notes = new ProviderNotes(deps.logger, CONNECTEDYOU_ID);
  return new ConnectedYouAdapter(
    new ConnectedYouClient(config, policy, deps.logger, deps.observe),
    deps.logger,
    createCyWebhooks(portal, notes),
    notes,
  );
}
