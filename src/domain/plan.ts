import type { Money } from './money';
import type { ProviderId } from './provider';

export const Coverage = { COUNTRY: 'COUNTRY', REGION: 'REGION', GLOBAL: 'GLOBAL', CRUISE: 'CRUISE' } as const;
export type Coverage = (typeof Coverage)[keyof typeof Coverage];
export const ProfileType = { STANDARD: 'STANDARD', GLOBAL_ESIM: 'GLOBAL_ESIM' } as const;
export type ProfileType = (typeof ProfileType)[keyof typeof ProfileType];

/** How a plan search is ordered. */
export const PlanSort = {
  PRICE_ASC: 'PRICE_ASC',
  PRICE_DESC: 'PRICE_DESC',
  PRICE_PER_GB_ASC: 'PRICE_PER_GB_ASC',
  DATA_DESC: 'DATA_DESC',
  VALIDITY_DESC: 'VALIDITY_DESC',
} as const;
export type PlanSort = (typeof PlanSort)[keyof typeof PlanSort];

export interface PlanNetwork {
  /** ISO alpha-2 */
  readonly country: string;
  readonly operator: string;
  readonly speed: string | null;
}

/**
 * A provider's plan normalized to the gateway's units: bytes, whole days, ISO alpha-2 countries,
 * exact decimal wholesale money in the provider's own currency.
 */
export interface CatalogPlan {
  /** "<providerId>:<code>" */
  readonly id: string;
  readonly providerId: ProviderId;
  /** The provider's own plan code or slug, as it must be sent back when ordering. */
  readonly code: string;
  readonly name: string;
  readonly coverage: Coverage;
  /** ISO alpha-2 codes, sorted, unique. */
  readonly countries: readonly string[];
  readonly regionName: string | null;
  /** null when unlimited */
  readonly dataBytes: number | null;
  readonly validityDays: number;
  readonly wholesalePrice: Money;
  readonly topUpSupported: boolean;
  readonly profileType: ProfileType;
  readonly voiceMinutes: number | null;
  readonly smsCount: number | null;
  /** Day-pass plans: the allowance renews every day for `validityDays` days. */
  readonly dayPass: boolean;
  /**
   * Operators per country when the catalog carries them; null when the provider serves them from
   * a separate endpoint (read through `ProviderAdapter.getNetworks`).
   */
  readonly networks: readonly PlanNetwork[] | null;
}
