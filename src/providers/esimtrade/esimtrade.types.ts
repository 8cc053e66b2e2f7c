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
  { readonly amount: number; readonly unit: EsimTradeDataUnit } | { readonly unlimited: true };

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
  | 'IDEMPOTENCY_CONFLICT'
  | 'OUT_OF_STOCK'
  | 'OPERATION_NOT_ALLOWED'
  | 'DUPLICATE_REFERENCE'
  | 'ORDER_NOT_FOUND'
  | 'ESIM_NOT_FOUND'
  | 'TOPUP_NOT_FOUND';

/** `status` of an order. */
export type EsimTradeOrderStatus = 'processing' | 'completed' | 'failed';

/** `status` of an eSIM: every word the adapter's table knows (assumed list). */
export type EsimTradeEsimStatus =
  'ready' | 'installed' | 'active' | 'suspended' | 'depleted' | 'expired' | 'revoked' | 'cancelled';

/** Body of `POST /portal/order`, sent with `Idempotency-Key: <reference>`. The price is resolved server-side. */
export interface EsimTradeOrderBody {
  readonly slug: string;
  /** 1..10 */
  readonly quantity: number;
  /** Our reference, unique per reseller (a second order under it is 409 DUPLICATE_REFERENCE). */
  readonly reference: string;
  readonly customer?: { readonly email: string | null; readonly name: string | null };
}

/** One eSIM in an order, and each entry of `GET /reseller/esims`. */
export interface EsimTradeEsim {
  readonly iccid: string;
  readonly order_number: string;
  readonly plan_slug: string;
  readonly status: EsimTradeEsimStatus;
  readonly smdp_address: string;
  readonly matching_id: string;
  /** `LPA:1$<smdp>$<matching id>` */
  readonly activation_code: string;
  readonly qr_code_url: string | null;
  /** Bytes (assumed unit); `total_bytes` null when unlimited. */
  readonly usage: { readonly used_bytes: number; readonly total_bytes: number | null; readonly updated_at: string };
  readonly activated_at: string | null;
  readonly expires_at: string | null;
  readonly created_at: string;
}

/** `GET /reseller/orders` entry: an order without its eSIMs. */
export interface EsimTradeOrderSummary {
  readonly order_number: string;
  readonly reference: string | null;
  readonly status: EsimTradeOrderStatus;
  readonly slug: string;
  readonly quantity: number;
  readonly unit_price: EsimTradePrice;
  readonly total: EsimTradePrice;
  readonly created_at: string;
  readonly completed_at: string | null;
  readonly esim_count: number;
  /** Only when `failed`. */
  readonly failure_reason?: string;
}

/** `POST /portal/order` and `GET /portal/orders` → `data`. */
export interface EsimTradeOrder extends Omit<EsimTradeOrderSummary, 'esim_count'> {
  readonly esims: readonly EsimTradeEsim[];
}

/** `POST /portal/topups` `{ iccid, slug }` (with `Idempotency-Key`) → `data`. Options of `GET /portal/topups` have the plan shape. */
export interface EsimTradeTopUp {
  readonly topup_id: string;
  readonly iccid: string;
  readonly slug: string;
  readonly status: 'completed' | 'processing' | 'failed';
  readonly price: EsimTradePrice;
  readonly data_bytes: number | null;
  readonly validity_days: number;
  readonly expires_at: string | null;
  readonly created_at: string;
  readonly failure_reason?: string;
}

/** Event types of eSIMTrade's deliveries (ASSUMED list); `webhook.test` is the ping sent after a settings change. */
export const ESIMTRADE_WEBHOOK_EVENTS = [
  'order.completed',
  'order.failed',
  'esim.status_changed',
  'esim.usage_updated',
  'topup.completed',
] as const;
export type EsimTradeWebhookEventType = (typeof ESIMTRADE_WEBHOOK_EVENTS)[number];

/** Body of `PATCH /reseller/webhook` (ASSUMED): `url: null` switches deliveries off; omitted fields keep their value. */
export interface EsimTradeWebhookSettingsBody {
  readonly url: string | null;
  readonly events?: readonly EsimTradeWebhookEventType[];
  /** The HMAC-SHA256 key eSIMTrade signs deliveries with (16..256 printable characters). */
  readonly secret?: string;
}

/** `GET|PATCH /reseller/webhook` → `data`; `secret` only when eSIMTrade generated one (no secret was ever set). */
export interface EsimTradeWebhookSettings {
  readonly url: string | null;
  readonly events: readonly EsimTradeWebhookEventType[];
  readonly secret_set: boolean;
  readonly updated_at: string | null;
  readonly secret?: string;
}

/**
 * One delivery (ASSUMED): `data` is the order (`order.*`, as `GET /portal/orders`), the eSIM
 * (`esim.*`, as `/reseller/esims`, plus `previous_status` on status changes) or the top-up
 * (`topup.completed`, as `POST /portal/topups` answers it).
 */
export interface EsimTradeWebhookPayload {
  readonly id: string;
  readonly type: EsimTradeWebhookEventType | 'webhook.test';
  readonly created_at: string;
  readonly data: unknown;
}
