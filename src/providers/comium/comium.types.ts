/**
 * Comium's raw wire types (seed 002: "Comium reseller API", flattened Swagger page).
 * Fields marked ASSUMED are not in the document; see README.md.
 */

export type ComiumBundleCategory = 'global' | 'region' | 'country' | 'cruise';
export type ComiumProfileType = 'STANDARD' | 'GLOBAL_ESIM';

/** `POST /Agent/login` response. */
export interface ComiumLoginResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: string;
  /** seconds */
  readonly expires_in: number;
  /** seconds */
  readonly refresh_expires_in: number;
  readonly reseller_id: string | number;
  readonly role: string;
  readonly show_global_esim_bundles: boolean;
}

/** `POST /Token/Refresh` response; the refresh token is rotated (single use). */
export interface ComiumRefreshResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
}

/**
 * One item of `GET /Bundles` (seed 002, "Response (per bundle item)"): exactly the 13 documented
 * fields. Coverage is NOT an item field: `bundle_category`, `country_code` and `region_code` are
 * request filters, so the adapter reads the catalog once per `bundle_category` and takes the
 * coverage from what it asked (README).
 */
export interface ComiumBundle {
  readonly bundle_code: string;
  readonly bundle_name: string;
  readonly bundle_marketing_name: string;
  /** The covered country's name for a country bundle (the adapter reads the country from it). */
  readonly country_name: string;
  readonly region_name: string;
  /** days */
  readonly validity: number;
  /** MB (1 GB = 1024 MB), or "unlimited" (the document: "Volume in MB or unlimited flag"). */
  readonly data_quota: number | string;
  /** The reseller's price (our wholesale), decimal USD (currency ASSUMED). */
  readonly bundle_price_final: number | string;
  readonly subscriber_price: number | string;
  readonly reseller_retail_price: number | string;
  readonly support_topup: boolean;
  readonly supports_calls_sms: boolean;
  readonly profile_type: ComiumProfileType;
}

/**
 * Fields the adapter reads when a bundle item happens to carry them (none is documented on an
 * item): the filters echoed back, and the voice/SMS allowances. Absent, the adapter falls back.
 */
export interface ComiumBundleExtras {
  readonly bundle_category?: ComiumBundleCategory;
  /** ISO alpha-3 of a single-country bundle. */
  readonly country_code?: string | null;
  /** ISO alpha-3 codes covered. */
  readonly countries?: readonly string[];
  readonly calls_quota?: number | null;
  readonly sms_quota?: number | null;
}

/** ASSUMED envelope of `GET /Bundles` (the document shows only the item fields). */
export interface ComiumBundlePage {
  readonly data: readonly unknown[];
  readonly page_number: number;
  readonly page_size: number;
  readonly total_count: number;
}

/** One item of `GET /Bundles/Networks`; `country_code` ASSUMED alpha-3 like the rest of the API. */
export interface ComiumNetwork {
  readonly country_code: string;
  readonly country_name: string;
  readonly network_name: string;
  readonly network_speed: string;
}

/** The envelope Comium answers with, on success (POST /Bundle) and, ASSUMED, on failure. */
export interface ComiumErrorBody {
  readonly title?: string;
  readonly message?: string;
  readonly developer_message?: string;
  readonly response_code?: string | number;
}

export interface ComiumBundleQuery {
  readonly page_number: number;
  readonly page_size: number;
  readonly profile_type?: ComiumProfileType;
  readonly country_code?: string;
  readonly region_code?: string;
  readonly bundle_category?: ComiumBundleCategory;
}

/** `POST /Bundle` body (seed 002). `email` and `name` are required by the document. */
export interface ComiumSaleRequest {
  readonly bundle_code: string;
  readonly email: string;
  readonly name: string;
  /** "Your unique reference": a repeated one is refused (ASSUMED 409), never sold twice. */
  readonly order_reference: string;
  readonly whatsapp_number?: string;
}

/** ASSUMED `POST /v2/Bundle/Topup` body: the sale's fields for an existing ICCID. */
export interface ComiumTopUpRequest {
  readonly iccid: string;
  readonly bundle_code: string;
  readonly order_reference: string;
}

/** `GET /Orders` query (seed 002); dates are UTC days `YYYY-MM-DD`. */
export interface ComiumOrderQuery {
  readonly order_reference?: string;
  readonly from_date?: string;
  readonly to_date?: string;
  readonly search?: string;
  readonly global_esim?: boolean;
  readonly page_size: number;
  readonly page_number: number;
}

/** Sale status of a `/Orders` item. */
export type ComiumSaleStatus = 'success' | 'failed' | 'pending';

/**
 * `POST /Bundle` 200 answer (seed 002, "Assign a Bundle" step 2, verbatim fields). It names the
 * assigned ICCID but no activation details: Comium e-mails the eSIM to the customer.
 */
export interface ComiumSaleAnswer {
  readonly title: string;
  readonly message: string;
  readonly developer_message: string;
  /** "1" on success */
  readonly response_code: string;
  readonly order_id: string;
  /** null while the assignment is pending (ASSUMED; the document shows only an assigned sale). */
  readonly iccid: string | null;
  readonly reseller_id: string;
  readonly remaining_wallet_balance: number;
  readonly remaining_wallet_balance_in_additional_currency: number | null;
  readonly additional_currency_code: string | null;
}

/** One `GET /Orders` item (seed 002, "Response (per order item)" + changelog `global_esim`). */
export interface ComiumOrderItem {
  readonly order_id: string;
  readonly order_reference: string;
  /** ASSUMED (the document is silent): "topup" for a top-up on an existing ICCID, else a sale. */
  readonly order_type?: 'new' | 'topup';
  readonly bundle_code: string;
  readonly bundle_marketing_name: string;
  /** null while pending (ASSUMED) */
  readonly iccid: string | null;
  readonly status: ComiumSaleStatus;
  readonly created_at: string;
  readonly expiry_date: string | null;
  readonly amount_charged: number | string;
  readonly global_esim: boolean;
  /** ASSUMED: why a `failed` sale failed (else the adapter says "refused by Comium"). */
  readonly failure_reason?: string | null;
}

/** ASSUMED envelope of `GET /Orders`, as `/Bundles`. */
export interface ComiumOrderPage {
  readonly data: readonly unknown[];
  readonly page_number: number;
  readonly page_size: number;
  readonly total_count: number;
}

/** One `orders_balances[]` item of `GET /Profile/Consumption`. */
export interface ComiumBalance {
  readonly order_id: string;
  readonly bundle_code: string;
  /** MB */
  readonly remaining_data: number | null;
  /** MB */
  readonly total_data: number | null;
  readonly remaining_calls?: number | null;
  readonly remaining_sms?: number | null;
  readonly expiry_date: string;
  /** active | expired | depleted */
  readonly status: string;
}

/** `GET /Profile/Consumption?iccid=|order_id=` (seed 002): exactly the documented fields. */
export interface ComiumConsumption {
  readonly iccid: string;
  /** The eSIM's state: active | released | downloaded | deleted (the device side, README). */
  readonly profile_status: string;
  readonly profile_expiry_date: string | null;
  readonly orders_balances: readonly ComiumBalance[];
}
