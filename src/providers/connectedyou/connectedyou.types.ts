/**
 * ConnectedYou's raw wire types. Only the envelope of list responses (`products`, `limit`,
 * `offset`, `total`), numeric-string product ids and microsecond UTC timestamps come from the
 * provider's documents; every other field name here is ASSUMED (see README.md).
 */

/** `POST /oauth/token` (client credentials). */
export interface CyTokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  /** Seconds */
  readonly expires_in: number;
}

export type CyProductType = 'fixed' | 'unlimited';
export type CyCoverage = 'local' | 'regional' | 'global';
export type CyProductStatus = 'ACTIVE' | 'INACTIVE';
export type CyBillingMode = 'credit_limit' | 'pay_per_order';

export interface CyNetwork {
  /** ISO alpha-2 */
  readonly country: string;
  readonly operator: string;
  /** "5G", "4G", … */
  readonly technology: string | null;
}

export interface CyProduct {
  /** Numeric string such as "636". */
  readonly product_id: string;
  readonly name: string;
  readonly type: CyProductType;
  readonly coverage: CyCoverage;
  /** MB with 1 GB = 1024 MB; null for unlimited products. */
  readonly data_mb: number | null;
  readonly validity_days: number;
  /** ISO alpha-2 */
  readonly countries: readonly string[];
  readonly region: string | null;
  /** Decimal string, e.g. "4.37". */
  readonly price: string;
  readonly currency: string;
  readonly networks: readonly CyNetwork[];
  readonly topup_available: boolean;
  readonly status: CyProductStatus;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Paginated list envelope, as the seed shows it. */
export interface CyProductPage {
  readonly products: readonly unknown[];
  readonly limit: number;
  readonly offset: number;
  readonly total: number;
}

/** `GET /reseller-accounts/{reseller_account_id}` */
export interface CyResellerAccount {
  readonly account_number: string;
  readonly name: string;
  readonly billing_mode: CyBillingMode;
  /** Decimal strings; null under pay-per-order billing. */
  readonly credit_limit: string | null;
  readonly available_credit: string | null;
  readonly currency: string;
}

/** Error body, e.g. `{ "error": { "code": "token_expired", "message": "…" } }`. */
export interface CyErrorBody {
  readonly error: { readonly code: string; readonly message?: string };
}
