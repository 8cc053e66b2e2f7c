/**
 * Raw wire types of the eSIM platform API ("eSIM API Documentation", seed 003, first part).
 * Fields marked ASSUMED are not in the document; see README.md.
 */

/** Region codes; "EU", "NA", "ASIA" are documented examples, the rest ASSUMED. */
export const ESIMPLATFORM_REGION_CODES = ['EU', 'ASIA', 'NA', 'LATAM', 'ME', 'AF', 'OC', 'CARIB', 'GLOBAL'] as const;
export type EsimPlatformRegionCode = (typeof ESIMPLATFORM_REGION_CODES)[number];

/** Documented in "Get Current Credit Balance": the response differs by billing mode. */
export type EsimPlatformBillingMode = 'prepaid' | 'postpaid';

/** Error codes in `error.code` (ASSUMED: the document shows only `success: false`). */
export type EsimPlatformErrorCode =
  | 'VALIDATION_ERROR'
  | 'INVALID_CREDENTIALS'
  | 'UNAUTHORIZED'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'FORBIDDEN'
  | 'PLAN_NOT_FOUND'
  | 'NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'ESIM_NOT_FOUND'
  | 'PACKAGE_NOT_FOUND'
  | 'INSUFFICIENT_CREDITS'
  | 'OUT_OF_STOCK'
  | 'INVALID_STATE'
  | 'DUPLICATE_REFERENCE'
  | 'IDEMPOTENCY_CONFLICT'
  | 'RATE_LIMIT_EXCEEDED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export interface RawErrorEnvelope {
  readonly success: false;
  readonly error?: { readonly code?: string; readonly message?: string };
}

/** `POST /auth/login` (documented). */
export interface RawLoginResponse {
  readonly success: true;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly user: { readonly id: string; readonly email: string; readonly role: string };
  /** Seconds. */
  readonly token_expires_in: number;
}

/** `POST /auth/refresh` (documented). */
export interface RawRefreshResponse {
  readonly success: true;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_expires_in: number;
}

/** A network of a plan (ASSUMED). */
export interface RawNetwork {
  /** ISO alpha-2 */
  readonly country: string;
  readonly operator: string;
  /** Radio, e.g. "4G", "5G". */
  readonly type?: string | null;
}

/** A plan of `GET /plans` and `GET /plans/:id` (all fields ASSUMED; the document lists none). */
export interface RawPlan {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** ISO alpha-2 for single-country plans, null for multi-country ones. */
  readonly country_code: string | null;
  /** ISO alpha-2 of every covered country. */
  readonly countries: readonly string[];
  readonly region_code: EsimPlatformRegionCode | null;
  readonly provider_id?: string;
  /** MB with 1 GB = 1024 MB (the top-up example pairs PKG_5GB with 5120); null when unlimited. */
  readonly data_volume_mb: number | null;
  readonly is_unlimited: boolean;
  readonly validity_days: number;
  /** Wholesale USD for us: the reseller's own markup is already applied (documented). */
  readonly price: number;
  readonly currency: string;
  readonly networks?: readonly RawNetwork[];
  readonly topup_available?: boolean;
}

/** `GET /plans` (envelope ASSUMED). */
export interface RawPlanPage {
  readonly success: true;
  readonly data: readonly RawPlan[];
  readonly pagination: {
    readonly page: number;
    readonly limit: number;
    readonly total: number;
    readonly total_pages: number;
  };
}

/** `GET /plans/:id` (envelope ASSUMED). */
export interface RawPlanResponse {
  readonly success: true;
  readonly data: RawPlan;
}

/** `GET /credits/balance` (documented; prepaid shows `balance`, postpaid `credit_limit`/`available_credit`). */
export interface RawBalance {
  readonly success: true;
  readonly balance?: number;
  readonly currency: string;
  readonly billing_mode: EsimPlatformBillingMode;
  readonly soft_limit_threshold?: number;
  readonly credit_limit?: number;
  readonly current_usage?: number;
  readonly available_credit?: number;
}
