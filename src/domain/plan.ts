import type { Money } from './money';
import type { ProviderId } from './provider';

export const COVERAGES = ['COUNTRY', 'REGION', 'GLOBAL', 'CRUISE'] as const;
export type Coverage = (typeof COVERAGES)[number];
export const PROFILE_TYPES = ['STANDARD', 'GLOBAL_ESIM'] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

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
