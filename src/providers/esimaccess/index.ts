import type { EsimAccessConfig } from '../../config/provider-config';
import type { AdapterDeps } from '../adapter-deps';
import type { ProviderAdapter } from '../provider-adapter';
import { EsimAccessAdapter } from './esimaccess.adapter';
import { EsimAccessClient } from './esimaccess.client';

/** Builds the eSIM Access adapter; fails at boot (naming the fields, never their values) when credentials are missing. */
export function createEsimAccessAdapter(config: EsimAccessConfig, deps: AdapterDeps): ProviderAdapter {
  const missing = (['baseUrl', 'accessCode', 'secretKey'] as const).filter((key) => !config[key]);
  if (missing.length) throw new Error(`esimaccess configuration is missing: ${missing.join(', ')}`);
  return new EsimAccessAdapter(new EsimAccessClient(config, deps), deps.logger);
}

export { EsimAccessAdapter } from './esimaccess.adapter';
export { ESIMACCESS_RATE_LIMIT, signEsimAccessRequest } from './esimaccess.client';
export { classifyEsimAccessResponse, isUnknownPackageError } from './esimaccess.errors';
