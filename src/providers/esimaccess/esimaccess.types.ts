/**
 * Raw eSIM Access wire types (research §1.1–1.6, seed 001). Numbers the provider documents as
 * enumerations are literal unions, so the mapper's switches fail type-checking on a new value.
 * Payloads are validated at runtime by the mapper: these types say what is documented, not what
 * is guaranteed.
 */

/** `success` is documented as "true"/"false" but examples send booleans; `errorMessage` is the table's name for `errorMsg`. */
export interface EsimAccessEnvelope<T> {
  readonly success: boolean | 'true' | 'false';
  readonly errorCode: string | number | null;
  readonly errorMsg?: string | null;
  readonly errorMessage?: string | null;
  readonly obj: T | null;
}

export type EsimAccessPackageType = 'BASE' | 'TOPUP';
/** 1 total data, 2 daily limit then throttled (day pass), 3 daily limit then cut off, 4 daily unlimited. */
export type EsimAccessDataType = 1 | 2 | 3 | 4;
/** Only `DAY` is documented. */
export type EsimAccessDurationUnit = 'DAY';
/** 1 starts at first installation, 2 at first network attach. */
export type EsimAccessActiveType = 1 | 2;
/** 0 no SMS, 1 from phones and the API, 2 API-sent only. */
export type EsimAccessSmsStatus = 0 | 1 | 2;
/** 1 no top-up, 2 top-up, 3 top-up with `periodNum` (day passes). */
export type EsimAccessTopUpType = 1 | 2 | 3;
/** location/list `type`: 1 single country, 2 multi-country. */
export type EsimAccessLocationType = 1 | 2;

export type EsimAccessEsimStatus =
  | 'CREATE'
  | 'PAYING'
  | 'PAID'
  | 'GETTING_RESOURCE'
  | 'GOT_RESOURCE'
  | 'IN_USE'
  | 'USED_UP'
  | 'UNUSED_EXPIRED'
  | 'USED_EXPIRED'
  | 'CANCEL'
  | 'SUSPENDED'
  | 'REVOKE'
  | 'REVOKED';
export type EsimAccessSmdpStatus = 'RELEASED' | 'DOWNLOAD' | 'INSTALLATION' | 'ENABLED' | 'DISABLED' | 'DELETED';

export interface EsimAccessOperator {
  readonly operatorName: string;
  readonly networkType: string;
}

/** Operators of one covered country; the country is given by NAME (and a logo), not by code. */
export interface EsimAccessLocationNetwork {
  readonly locationName: string;
  readonly locationLogo?: string | null;
  readonly operatorList: readonly EsimAccessOperator[];
}

/**
 * The package object. The published `package/list` example carries no `slug`, `dataType`,
 * `smsStatus`, `supportTopUpType`, `ipExport` or `fupPolicy` (they are in the field table only),
 * so those are optional here and the mapper reads the package without them.
 */
export interface EsimAccessPackage {
  readonly packageCode: string;
  readonly slug?: string;
  readonly name: string;
  readonly description?: string;
  /** USD × 10 000 */
  readonly price: number;
  /** USD × 10 000 */
  readonly retailPrice?: number;
  readonly currencyCode: string;
  /** bytes (1 GB = 1024^3) */
  readonly volume: number;
  readonly duration: number;
  readonly durationUnit: EsimAccessDurationUnit;
  readonly unusedValidTime?: number;
  /** Comma-separated ISO alpha-2 codes. */
  readonly location: string;
  readonly locationNetworkList?: readonly EsimAccessLocationNetwork[] | null;
  readonly speed?: string | null;
  readonly activeType?: EsimAccessActiveType;
  readonly dataType?: EsimAccessDataType;
  readonly smsStatus?: EsimAccessSmsStatus;
  /** Documented as "Boolean" but sent as 1/2/3. */
  readonly supportTopUpType?: EsimAccessTopUpType | boolean;
  readonly ipExport?: string | null;
  readonly fupPolicy?: string | null;
  readonly favorite?: boolean;
}

/** `package/list` request: every filter optional. `locationCode` takes ISO2, `!RG`, `!GL` or an area code such as `NA-3`. */
export interface EsimAccessPackageListRequest {
  readonly locationCode?: string;
  readonly type?: EsimAccessPackageType;
  readonly packageCode?: string;
  readonly slug?: string;
  readonly iccid?: string;
  readonly dataType?: EsimAccessDataType;
}

export interface EsimAccessPackageListResult {
  readonly packageList: readonly EsimAccessPackage[];
}

export interface EsimAccessBalanceResult {
  /** USD × 10 000 */
  readonly balance: number | string;
}

export interface EsimAccessSubLocation {
  readonly code: string;
  readonly name: string;
}

export interface EsimAccessLocation {
  readonly code: string;
  readonly name: string;
  readonly type: EsimAccessLocationType;
  /** The parameter table and the example disagree on the key name; accept both. */
  readonly subLocationList?: readonly EsimAccessSubLocation[] | null;
  readonly subLocation?: readonly EsimAccessSubLocation[] | null;
}

export interface EsimAccessLocationListResult {
  readonly locationList: readonly EsimAccessLocation[];
}

/** One line of `esim/order` `packageInfoList`: `packageCode` or `slug`, count, optional unit price. */
export interface EsimAccessPackageInfo {
  readonly packageCode: string;
  readonly count: number;
  /** USD × 10 000 per unit, checked by the provider (200005). */
  readonly price?: number;
  /** Days of a day pass, 1–365. */
  readonly periodNum?: number;
}

/** `esim/order`: `transactionId` (≤ 50 chars) is the idempotency key; `amount` total checked (200006). */
export interface EsimAccessOrderRequest {
  readonly transactionId: string;
  readonly amount?: number;
  readonly packageInfoList: readonly EsimAccessPackageInfo[];
}

export interface EsimAccessOrderResult {
  readonly orderNo: string;
  readonly transactionId?: string;
}

export interface EsimAccessPager {
  readonly pageNum: number;
  /** 5–500 */
  readonly pageSize: number;
}

/** `esim/query`: one of `orderNo` / `iccid` / `esimTranNo` / `startTime`+`endTime`, plus a mandatory pager. */
export interface EsimAccessQueryRequest {
  readonly orderNo?: string;
  readonly iccid?: string;
  readonly esimTranNo?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly pager: EsimAccessPager;
}

/** The profile object of `esim/query` (research §1.5); only what the adapter reads is typed strictly. */
export interface EsimAccessProfile {
  readonly esimTranNo: string;
  readonly orderNo?: string;
  readonly transactionId?: string;
  readonly iccid: string;
  readonly eid?: string;
  /** `LPA:1$<SM-DP+>$<matchingId>` */
  readonly ac: string;
  readonly qrCodeUrl?: string | null;
  readonly shortUrl?: string | null;
  readonly esimStatus: EsimAccessEsimStatus | string;
  readonly smdpStatus: EsimAccessSmdpStatus | string;
  readonly activateTime?: string | null;
  /** `2023-03-03T06:20:00+0000` */
  readonly expiredTime?: string | null;
  readonly totalVolume?: number;
  readonly orderUsage?: number;
  readonly totalDuration?: number;
  readonly durationUnit?: EsimAccessDurationUnit;
  readonly dataType?: EsimAccessDataType;
}

export interface EsimAccessQueryResult {
  readonly esimList: readonly EsimAccessProfile[];
  readonly pager?: { readonly pageNum: number; readonly pageSize: number; readonly total: number };
}

/** `esim/usage/query` entry; data in bytes, lagging 2–3 h upstream. */
export interface EsimAccessUsage {
  readonly esimTranNo: string;
  readonly dataUsage: number;
  readonly totalData: number;
  readonly lastUpdateTime: string;
}

export interface EsimAccessUsageResult {
  readonly esimUsageList: readonly EsimAccessUsage[];
}

/** `esim/topup`: `amount` and `periodNum` are Strings here, unlike in `esim/order` (research §1.3). */
export interface EsimAccessTopUpRequest {
  readonly esimTranNo: string;
  readonly packageCode: string;
  readonly transactionId: string;
  readonly amount?: string;
  readonly periodNum?: string;
}

export interface EsimAccessTopUpResult {
  readonly transactionId: string;
  readonly iccid?: string;
  readonly expiredTime?: string | null;
  readonly totalVolume?: number;
  readonly totalDuration?: number;
  readonly orderUsage?: number;
  readonly topUpEsimTranNo?: string;
}

/** Profile actions name the profile by `esimTranNo` (recommended; ICCIDs are recycled). */
export interface EsimAccessProfileAction {
  readonly esimTranNo: string;
}
