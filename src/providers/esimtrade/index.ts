import type { EsimTradeConfig } from '../../config/provider-config';
import type { AdapterDeps } from '../adapter-deps';
import { DEFAULT_UPSTREAM_POLICY } from '../http/upstream-client';
import type { ProviderAdapter } from '../provider-adapter';
import { EsimTradeAdapter } from './esimtrade.adapter';
import { EsimTradeClient } from './esimtrade.client';

/** eSIMTrade's rate limit (assumed 10 requests/second per access code; undocumented). */
export const ESIMTRADE_RATE_LIMIT = { limit: 10, windowMs: 1000 } as const;

/**
 * Builds the eSIMTrade adapter. Throws at construction, naming the field but never its value,
 * when the config slice is unusable.
 */
export function createEsimTradeAdapter(config: EsimTradeConfig, deps: AdapterDeps): ProviderAdapter {
  const missing = (['baseUrl', 'accessCode', 'secretKey'] as const).filter((key) => !config[key]?.trim());
  if (missing.length > 0) throw new Error(`eSIMTrade config is missing: ${missing.join(', ')}`);
  if (!URL.canParse(config.baseUrl)) throw new Error('eSIMTrade config has an invalid baseUrl');
  const policy = { ...DEFAULT_UPSTREAM_POLICY, rateLimit: ESIMTRADE_RATE_LIMIT, ...deps.policy };
  const logger = deps.logger.child({ provider: 'esimtrade' });
  return new EsimTradeAdapter(new EsimTradeClient(config, policy, logger, deps.observe), logger);
}

export { EsimTradeAdapter } from './esimtrade.adapter';
