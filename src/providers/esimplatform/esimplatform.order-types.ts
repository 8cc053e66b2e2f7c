/**
 * Raw wire types of the platform's ordering and eSIM endpoints ("eSIM API Documentation",
 * seed 003). Documented fields are marked; the rest is ASSUMED (see README.md).
 */

/** `POST /orders` body. Documented: plan_id, quantity, end_customer_email, customer_name (+ optional provider/profile ids). */
export interface RawOrderRequest {
  readonly plan_id: string;
  readonly quantity: number;
  readonly end_customer_email: string;
  readonly customer_name: string;
  /** ASSUMED: our reference, unique per account; `GET /orders?reference=` finds it. */
  readonly reference: string;
}

/** One eSIM. Documented in "Get Profile Information": iccid, status, data_remaining, validity_days. */
export interface RawEsim {
  readonly iccid: string;
  /** ASSUMED field name; "esimTranNo" is documented as an identifier. */
  readonly esim_tran_no: string;
  readonly order_id?: string;
  readonly plan_id?: string;
  /** The platform's own word, e.g. "active" (documented); see ESIM_STATUS_TABLE. */
  readonly status: string;
  readonly smdp_address?: string | null;
  readonly matching_id?: string | null;
  /** "LPA:1$<smdp>$<matching id>" */
  readonly activation_code?: string | null;
  readonly qr_code_url?: string | null;
  /** MB */
  readonly data_used?: number;
  readonly data_limit?: number | null;
  readonly data_remaining?: number | null;
  readonly validity_days?: number;
  readonly activated_at?: string | null;
  readonly expires_at?: string | null;
  readonly updated_at?: string;
}

/** An order. Documented in "Create New eSIM Order"; `reference`, `esims` and `created_at` ASSUMED. */
export interface RawOrder {
  readonly id: string;
  readonly reference?: string | null;
  readonly plan_id: string;
  readonly plan_name?: string;
  readonly quantity: number;
  readonly unit_price: number;
  readonly total_amount: number;
  readonly currency: string;
  /** Documented words: pending, active, completed, cancelled, expired. */
  readonly status: string;
  /** The first eSIM (documented single-eSIM fields); null until allocated. */
  readonly iccid: string | null;
  readonly qr_code_url: string | null;
  /** Every allocated eSIM; empty while pending. */
  readonly esims?: readonly RawEsim[];
  readonly created_at?: string;
}

export interface RawOrderResponse {
  readonly success: true;
  readonly message?: string;
  readonly order: RawOrder;
}

export interface RawOrderPage {
  readonly success: true;
  readonly data: readonly RawOrder[];
  readonly pagination?: { readonly page: number; readonly limit: number; readonly total: number; readonly total_pages: number };
}

export interface RawProfileResponse {
  readonly success: true;
  readonly profile: RawEsim;
}

/** One entry of "Check Usage for eSIMs" (request documented; answer ASSUMED, bytes as eSIM Access counts). */
export interface RawUsage {
  readonly esimTranNo: string;
  readonly iccid?: string;
  readonly dataUsage: number;
  /** null when unlimited */
  readonly totalData: number | null;
  readonly lastUpdateTime?: string;
}

export interface RawUsageResponse {
  readonly success: true;
  readonly usage: readonly RawUsage[];
}

/** "Get Available Topup Plans" entry (documented; `name` and `currency` ASSUMED). */
export interface RawTopUpPackage {
  readonly package_code: string;
  readonly name?: string;
  readonly data_volume_mb: number | null;
  readonly price: number;
  readonly currency?: string;
  readonly validity_days: number;
}

export interface RawTopUpOptions {
  readonly success: true;
  readonly iccid?: string;
  /** ASSUMED: the base plan the packages top up (gives their coverage). */
  readonly plan_id: string;
  readonly plans: readonly RawTopUpPackage[];
}

/** `topup_details` of "Top Up Profile" (documented as `{}`; fields ASSUMED). */
export interface RawTopUpDetails {
  readonly id: string;
  readonly iccid?: string;
  readonly package_code?: string;
  readonly price?: number;
  readonly currency?: string;
  readonly status: string;
  readonly expires_at?: string | null;
}

export interface RawTopUpResponse {
  readonly success: true;
  readonly message?: string;
  readonly topup_details: RawTopUpDetails;
}
