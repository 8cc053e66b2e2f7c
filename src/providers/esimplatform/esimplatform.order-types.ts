/**
 * Raw wire types of the platform's ordering and eSIM endpoints ("eSIM API Documentation",
 * seed 003). Every field the document does not print is optional here and marked ASSUMED; the
 * readers never require one (README.md, "Documented, assumed, fallback").
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

/**
 * An order, as "Create New eSIM Order" answers it (201): every field below but `reference` is
 * documented. The document names ONE eSIM per order (`iccid`, `qr_code_url`).
 */
export interface RawOrder {
  readonly id: string;
  readonly user_id?: string;
  readonly plan_id?: string;
  readonly plan_name?: string;
  readonly quantity?: number;
  readonly unit_price?: number;
  readonly total_amount?: number;
  readonly currency?: string;
  /** Documented words: pending, active, completed, cancelled, expired. */
  readonly status: string;
  /** null/absent while pending (ASSUMED: the document only shows a done order). */
  readonly iccid?: string | null;
  readonly qr_code_url?: string | null;
  /** ASSUMED: echoed on the reads (`GET /orders/:id`, `GET /orders?reference=`), not on the 201. */
  readonly reference?: string | null;
}

export interface RawOrderResponse {
  readonly success: true;
  readonly message?: string;
  readonly order: RawOrder;
}

/** `GET /orders?reference=` (ASSUMED envelope: "List User's Orders" prints no answer). */
export interface RawOrderPage {
  readonly success: true;
  readonly data: readonly RawOrder[];
  readonly pagination?: {
    readonly page: number;
    readonly limit: number;
    readonly total: number;
    readonly total_pages: number;
  };
}

/** "Get Profile Information" `profile` (documented, all four fields). */
export interface RawProfile {
  readonly iccid: string;
  /** The platform's own word, e.g. "active" (documented); see ESIM_STATUS_TABLE. */
  readonly status: string;
  /** MB (unit not stated; see README "Usage unit"). Not read: "Get Profile Usage" gives the reading. */
  readonly data_remaining?: number | null;
  /** Not read: whether it counts remaining or total days is not stated. */
  readonly validity_days?: number;
}

export interface RawProfileResponse {
  readonly success: true;
  readonly profile: RawProfile;
}

/** "Get Profile Usage" `usage` (documented fields; unit not stated, read as MB; null limit ASSUMED = unlimited). */
export interface RawProfileUsage {
  readonly data_used: number;
  readonly data_limit: number | null;
  readonly percent_used?: number | null;
}

export interface RawProfileUsageResponse {
  readonly success: true;
  readonly usage: RawProfileUsage;
}

/** "Get Available Topup Plans" entry (documented: package_code, data_volume_mb, price, validity_days). */
export interface RawTopUpPackage {
  readonly package_code: string;
  /** null ASSUMED = unlimited. */
  readonly data_volume_mb: number | null;
  readonly price: number;
  readonly validity_days: number;
  /** ASSUMED, optional: USD (the document's only currency) when absent. */
  readonly currency?: string;
  /** ASSUMED, optional: the package code when absent. */
  readonly name?: string;
}

export interface RawTopUpOptions {
  readonly success: true;
  readonly plans: readonly RawTopUpPackage[];
  /** ASSUMED, optional: the base plan the packages top up (gives their coverage). */
  readonly plan_id?: string;
}

/** `topup_details` of "Top Up Profile": documented as `{}`, so every field is optional (ASSUMED). */
export interface RawTopUpDetails {
  readonly id?: string;
  readonly status?: string;
  readonly expires_at?: string | null;
}

export interface RawTopUpResponse {
  readonly success: true;
  readonly message?: string;
  readonly topup_details?: RawTopUpDetails;
}
