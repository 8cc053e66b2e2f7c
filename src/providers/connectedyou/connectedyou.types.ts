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

// ---- Ordering (all field names ASSUMED; MB usage fields and lifecycle words follow the outbound events) ----

export type CyOrderStatus = 'PROCESSING' | 'COMPLETED' | 'FAILED';

/** The plan word of the REST eSIM read (ASSUMED; see connectedyou.status.ts). */
export type CyPlanWord = 'NOT_ACTIVATED' | 'ACTIVE' | 'DEPLETED' | 'EXPIRED' | 'SUSPENDED' | 'REVOKED' | 'CANCELLED';

/** The device word: the documented PROFILE_LIFECYCLE words, plus RELEASED (no device yet, ASSUMED). */
export type CyDeviceWord = 'RELEASED' | 'DOWNLOADED' | 'INSTALLED' | 'ENABLED' | 'DISABLED' | 'DELETED';

/** `POST …/orders` body; the `idempotent_key` header carries our reference too. */
export interface CyOrderRequest {
  readonly product_id: string;
  readonly quantity: number;
  readonly reference: string;
  readonly customer?: { readonly email?: string; readonly name?: string };
}

/** An eSIM of the REST reads (ASSUMED): the plan (`status`) and the device (`profile_status`, `eid`) apart. */
export interface CyEsim {
  readonly iccid: string;
  readonly order_id: string;
  readonly product_id: string;
  readonly status: CyPlanWord;
  /** Named after the PROFILE_LIFECYCLE event whose words it carries. */
  readonly profile_status: CyDeviceWord;
  readonly eid: string | null;
  readonly smdp_address: string;
  readonly matching_id: string;
  /** `LPA:1$<smdp_address>$<matching_id>` */
  readonly activation_code: string;
  readonly activated_at: string | null;
  /** null until first use: validity starts at the first attach. */
  readonly expires_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface CyOrder {
  readonly order_id: string;
  /** The portal's number, e.g. "CY10001" (seed environment). */
  readonly order_number: string;
  readonly reference: string | null;
  readonly status: CyOrderStatus;
  readonly failure_reason?: string | null;
  readonly product_id: string;
  readonly quantity: number;
  readonly unit_price: string;
  readonly total_price: string;
  readonly currency: string;
  readonly esims: readonly CyEsim[];
  readonly created_at: string;
  readonly completed_at: string | null;
}

/** `GET …/orders` list envelope. */
export interface CyOrderPage {
  readonly orders: readonly unknown[];
  readonly limit: number;
  readonly offset: number;
  readonly total: number;
}

/** `GET …/esims/{iccid}/usage`, in MB (1 GB = 1024 MB) with two decimals. */
export interface CyUsage {
  readonly iccid: string;
  readonly data_consumed: number;
  /** null when unlimited */
  readonly data_total: number | null;
  readonly percentage_consumed: number | null;
  readonly updated_at: string;
}

/** `POST …/esims/{iccid}/topups` answer. */
export interface CyTopUp {
  readonly topup_id: string;
  readonly iccid: string;
  readonly product_id: string;
  readonly status: CyOrderStatus;
  readonly failure_reason?: string | null;
  readonly price: string;
  readonly currency: string;
  readonly expires_at: string | null;
  readonly created_at: string;
}

// ---- Outbound events (DOCUMENTED: GitBook, published examples): flat JSON, discriminator `event_type`, no event id ----

export type CyEventType = 'USAGE_ALERT' | 'PROFILE_LIFECYCLE' | 'PRODUCT_STATUS_CHANGE';

/** Fields every outbound event carries; `event_timestamp` is microsecond UTC (`…56.608000Z`). */
interface CyEventBase {
  readonly iccid: string;
  readonly event_type: CyEventType;
  readonly event_timestamp: string;
}

/** Sent at 50 % and 80 % of the current package's data; MB; `percentage_consumed` is the percent used. */
export interface CyUsageAlertEvent extends CyEventBase {
  readonly event_type: 'USAGE_ALERT';
  readonly data_consumed: number;
  readonly data_total: number;
  readonly percentage_consumed: number;
}

/** Device-side changes: `status` DOWNLOADED, INSTALLED, ENABLED, DISABLED or DELETED, with the device's EID. */
export interface CyProfileLifecycleEvent extends CyEventBase {
  readonly event_type: 'PROFILE_LIFECYCLE';
  readonly eid: string;
  readonly status: 'DOWNLOADED' | 'INSTALLED' | 'ENABLED' | 'DISABLED' | 'DELETED';
}

/** The eSIM's plan started (first attach) or ended (data used up or validity over). */
export interface CyProductStatusEvent extends CyEventBase {
  readonly event_type: 'PRODUCT_STATUS_CHANGE';
  readonly product_status: 'ACTIVATED' | 'TERMINATED';
  readonly product_name: string;
  readonly product_id: string;
}

export type CyOutboundEvent = CyUsageAlertEvent | CyProfileLifecycleEvent | CyProductStatusEvent;

/** The sandbox's stand-in for the portal's Outbound Events settings (`PUT /_portal/webhook`). */
export interface CyPortalWebhookSettings {
  readonly url: string;
  readonly header_name: string;
  readonly header_value: string;
  /** Defaults to every event type. */
  readonly events?: readonly CyEventType[];
}
