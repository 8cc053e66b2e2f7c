/** The contract's provider slugs. */
export const PROVIDER_IDS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export const ProviderCapability = {
  TOP_UP: 'TOP_UP',
  CANCEL: 'CANCEL',
  SUSPEND: 'SUSPEND',
  RESUME: 'RESUME',
  REVOKE: 'REVOKE',
  SMS: 'SMS',
  USAGE: 'USAGE',
  WEBHOOKS: 'WEBHOOKS',
  DAY_PASS: 'DAY_PASS',
  GLOBAL_ESIM: 'GLOBAL_ESIM',
} as const;
export type ProviderCapability = (typeof ProviderCapability)[keyof typeof ProviderCapability];

/** Every capability, in the contract's order. */
export const PROVIDER_CAPABILITIES: readonly ProviderCapability[] = Object.values(ProviderCapability);

export const ProviderStatus = { UP: 'UP', DEGRADED: 'DEGRADED', DOWN: 'DOWN' } as const;
export type ProviderStatus = (typeof ProviderStatus)[keyof typeof ProviderStatus];

export interface ProviderHealth {
  readonly status: ProviderStatus;
  readonly circuitOpen: boolean;
  readonly lastError: string | null;
}
