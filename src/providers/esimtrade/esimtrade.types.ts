/**
 * Raw eSIMTrade wire types. Paths come from the docs (seed 004); every field name below is an
 * ASSUMPTION (see README.md) until the real payloads are confirmed. Values arrive as untrusted
 * JSON, so the mapper checks each field before use.
 */

/** `type` of a plan: single country, a region, or worldwide. */
export type EsimTradePlanType = 'local' | 'regional' | 'global';

export type EsimTradeDataUnit = 'GB' | 'MB';

export interface EsimTradeCountry {
  /** ISO 3166-1 alpha-2 */
  readonly code: string;
  readonly name: string;
}

/** Allowance: an amount in GB or MB (1 GB = 1024 MB), or unlimited. */
export type EsimTradeData =
  | { readonly amount: number; readonly unit: EsimTradeDataUnit }
  | { readonly unlimited: true };

/** Decimal string in the reseller currency, e.g. "4.99". */
export interface EsimTradePrice {
  readonly amount: string;
  readonly currency: string;
}

export interface EsimTradeOperator {
  /** ISO alpha-2 */
  readonly country: string;
  readonly name: string;
  /** Radio, e.g. "4G" or "5G". */
  readonly network: string;
}

/** One entry of `GET /portal/plans`, also the `data` of `GET /portal/plans?slug=`. */
export interface EsimTradePlan {
  readonly slug: string;
  readonly name: string;
  readonly type: EsimTradePlanType;
  readonly countries: readonly EsimTradeCountry[];
  readonly region: string | null;
  readonly data: EsimTradeData;
  readonly validity_days: number;
  readonly price: EsimTradePrice;
  readonly operators: readonly EsimTradeOperator[];
  /** Whether top-ups can later be bought for an eSIM of this plan. */
  readonly topup: boolean;
}

export interface EsimTradePageMeta {
  readonly page: number;
  readonly limit: number;
  readonly total: number;
  readonly pages: number;
}

/** Success envelope of every endpoint. */
export interface EsimTradeEnvelope<T, M = undefined> {
  readonly data: T;
  readonly meta?: M;
}

/** `GET /portal/balance` → `data`. */
export interface EsimTradeBalance {
  /** Decimal string, e.g. "123.45". */
  readonly balance: string;
  readonly currency: string;
  readonly updated_at: string;
}

/** Failure envelope, sent with a 4xx/5xx status. */
export interface EsimTradeErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** Error codes we expect from eSIMTrade (assumed; unknown codes fall back to the HTTP status). */
export type EsimTradeErrorCode =
  | 'UNAUTHORIZED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_ERROR'
  | 'PLAN_NOT_FOUND'
  | 'NOT_FOUND'
  | 'INVALID_PARAMETER'
  | 'INVALID_JSON'
  | 'INSUFFICIENT_BALANCE'
  | 'IDEMPOTENCY_CONFLICT';
