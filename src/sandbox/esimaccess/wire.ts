/**
 * eSIM Access wire shapes as the simulator serves them (research §1.3–1.4). The simulator keeps
 * its own copy instead of importing the adapter's types, so it stays an independent model.
 */
export interface WireOperator {
  readonly operatorName: string;
  readonly networkType: string;
}

export interface WireLocationNetwork {
  readonly locationName: string;
  readonly locationLogo: string;
  readonly operatorList: readonly WireOperator[];
}

/**
 * The package object. The published example (ea.package.list) shows `packageCode`, `name`,
 * `price`, `currencyCode`, `volume`, `unusedValidTime`, `duration`, `durationUnit`, `location`,
 * `description`, `activeType`, `favorite`, `retailPrice`, `speed` and `locationNetworkList`; the
 * field table (research §1.4) adds `slug`, `dataType`, `smsStatus`, `supportTopUpType`,
 * `ipExport` and `fupPolicy`. Nothing else is sent. `dataType` is left out for total-data
 * packages, as in the published example (README).
 */
export interface WirePackage {
  readonly packageCode: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  /** USD × 10 000 */
  readonly price: number;
  readonly retailPrice: number;
  readonly currencyCode: 'USD';
  /** bytes */
  readonly volume: number;
  readonly duration: number;
  readonly durationUnit: 'DAY';
  readonly unusedValidTime: number;
  /** comma-separated ISO alpha-2 */
  readonly location: string;
  readonly locationNetworkList: readonly WireLocationNetwork[];
  readonly speed: string;
  readonly activeType: 1 | 2;
  /** Absent for 1 (total data), as in the published example; 2–4 are sent. */
  readonly dataType?: 2 | 3 | 4;
  readonly smsStatus: 0 | 1 | 2;
  readonly supportTopUpType: 1 | 2 | 3;
  readonly ipExport: string;
  readonly fupPolicy: string;
  readonly favorite: boolean;
}

/** A catalog entry plus the simulator-only facts its filters need (never serialized). */
export interface SimPackage {
  readonly wire: WirePackage;
  /** ISO2 for single-country packages, else the multi-country code (`EU-23`, `GL-64`). */
  readonly locationCode: string;
  readonly scope: 'COUNTRY' | 'REGION' | 'GLOBAL';
  /** 1 total data, 2 daily then throttled, 4 daily unlimited: what the package IS, sent or not. */
  readonly dataType: 1 | 2 | 3 | 4;
  /** For a top-up: the base package it extends. */
  readonly baseCode: string | null;
}

export interface WireSubLocation {
  readonly code: string;
  readonly name: string;
}

export interface WireLocation {
  readonly code: string;
  readonly name: string;
  /** 1 single country, 2 multi-country */
  readonly type: 1 | 2;
  readonly subLocationList: readonly WireSubLocation[] | null;
}

/** `esimStatus` words of the profile object (research §1.6); `REVOKE` is the query table's spelling. */
export type WireEsimStatus =
  'GOT_RESOURCE' | 'IN_USE' | 'USED_UP' | 'UNUSED_EXPIRED' | 'USED_EXPIRED' | 'CANCEL' | 'SUSPENDED' | 'REVOKE';
export type WireSmdpStatus = 'RELEASED' | 'DOWNLOAD' | 'INSTALLATION' | 'ENABLED' | 'DISABLED' | 'DELETED';

/** One entry of a profile's `packageList`: its base plan, then each top-up. */
export interface WireProfilePackage {
  readonly packageName: string;
  readonly packageCode: string;
  readonly slug: string;
  readonly duration: number;
  /** bytes */
  readonly volume: number;
  readonly locationCode: string;
  /** `yyyy-MM-ddTHH:mm:ss+0000` */
  readonly createTime: string;
}

/** `esim/query` → `esimList[]` (research §1.5). Times in the `…+0000` form, data in bytes. */
export interface WireProfile {
  readonly esimTranNo: string;
  readonly orderNo: string;
  readonly transactionId: string;
  readonly imsi: string;
  readonly msisdn: string;
  readonly iccid: string;
  /** Empty until a device downloaded the profile. */
  readonly eid: string;
  /** `LPA:1$<SM-DP+>$<matchingId>` */
  readonly ac: string;
  readonly qrCodeUrl: string;
  readonly shortUrl: string;
  readonly smdpStatus: WireSmdpStatus;
  readonly esimStatus: WireEsimStatus;
  readonly activeType: 1 | 2;
  readonly dataType: 1 | 2 | 3 | 4;
  readonly smsStatus: 0 | 1 | 2;
  readonly activateTime: string | null;
  readonly expiredTime: string;
  /** bytes; 0 for unlimited (dataType 4), as the catalog's `volume` */
  readonly totalVolume: number;
  readonly orderUsage: number;
  readonly totalDuration: number;
  readonly durationUnit: 'DAY';
  readonly pin: string;
  readonly puk: string;
  readonly apn: string;
  readonly packageList: readonly WireProfilePackage[];
}

/** `esim/usage/query` → `esimUsageList[]`. */
export interface WireUsage {
  readonly esimTranNo: string;
  readonly dataUsage: number;
  readonly totalData: number;
  readonly lastUpdateTime: string;
}
