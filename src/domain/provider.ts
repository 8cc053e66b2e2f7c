/** The contract's provider slugs. */
export const PROVIDER_IDS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export const PROVIDER_CAPABILITIES = [
  'TOP_UP', 'CANCEL', 'SUSPEND', 'RESUME', 'REVOKE', 'SMS', 'USAGE', 'WEBHOOKS', 'DAY_PASS', 'GLOBAL_ESIM',
] as const;
export type ProviderCapability = (typeof PROVIDER_CAPABILITIES)[number];

export type ProviderStatus = 'UP' | 'DEGRADED' | 'DOWN';

export interface ProviderHealth {
  readonly status: ProviderStatus;
  readonly circuitOpen: boolean;
  readonly lastError: string | null;
}
