import type { SimInventory, SimProfile } from '../shared/inventory';
import type { SimCatalog } from './catalog';
import type { SimPackage, WireEsimStatus, WireProfile, WireProfilePackage, WireSmdpStatus, WireUsage } from './wire';

/** The SM-DP+ the provider's profiles download from (research §1.10). */
export const ESIMACCESS_SMDP = 'rsp-eu.redteamobile.com';

/** Query results print times as `2023-03-03T06:20:00+0000` (research §1.1). */
export function wireTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+0000`;
}

/** `yyMMddHHmmss` in UTC, the prefix of order numbers (`B23051616050537`) and `esimTranNo`s. */
export function idStamp(date = new Date()): string {
  return date.toISOString().replace(/\D/g, '').slice(2, 14);
}

/**
 * The (esimStatus, smdpStatus) pair of a simulated state, after the documented combinations
 * (research §1.6): New = GOT_RESOURCE+RELEASED, installed = GOT_RESOURCE+ENABLED, in use =
 * IN_USE+ENABLED, CANCEL+RELEASED, UNUSED_EXPIRED+RELEASED, USED_EXPIRED+DISABLED. Suspended and
 * revoked pairs are ASSUMED (README).
 */
export function wireStatus(profile: SimProfile): [WireEsimStatus, WireSmdpStatus] {
  switch (profile.state) {
    case 'RELEASED':
      return ['GOT_RESOURCE', 'RELEASED'];
    case 'INSTALLED':
      return ['GOT_RESOURCE', 'ENABLED'];
    case 'IN_USE':
      return ['IN_USE', 'ENABLED'];
    case 'DEPLETED':
      return ['USED_UP', 'ENABLED'];
    case 'EXPIRED':
      return profile.activatedAt === null ? ['UNUSED_EXPIRED', 'RELEASED'] : ['USED_EXPIRED', 'DISABLED'];
    case 'SUSPENDED':
      return ['SUSPENDED', profile.suspendedFrom === 'RELEASED' ? 'RELEASED' : 'ENABLED'];
    case 'REVOKED':
      return ['REVOKE', 'DELETED'];
    case 'CANCELLED':
      return ['CANCEL', 'RELEASED'];
    default: {
      const never: never = profile.state;
      throw new Error(`unhandled profile state ${String(never)}`);
    }
  }
}

/** The 32-digit EID of the (simulated) device the profile was downloaded to. */
export function eidOf(profile: SimProfile): string {
  return `89049032${profile.iccid.slice(-19).padStart(24, '0')}`;
}

export function findPackage(catalog: SimCatalog, code: string): SimPackage | undefined {
  return (
    catalog.base.find((p) => p.wire.packageCode === code) ?? catalog.topUps.find((p) => p.wire.packageCode === code)
  );
}

/** A profile as `esim/query` lists it (research §1.5). */
export function renderProfile(profile: SimProfile, inventory: SimInventory, catalog: SimCatalog): WireProfile {
  const base = findPackage(catalog, profile.planCode);
  const [esimStatus, smdpStatus] = wireStatus(profile);
  const digits = profile.iccid.slice(-10);
  return {
    esimTranNo: profile.handle,
    orderNo: profile.orderId,
    transactionId: inventory.order(profile.orderId)?.key ?? '',
    imsi: `45400${digits}`,
    msisdn: '',
    iccid: profile.iccid,
    eid: smdpStatus === 'RELEASED' ? '' : eidOf(profile),
    ac: `LPA:1$${profile.smdpAddress}$${profile.matchingId}`,
    qrCodeUrl: `https://p.qrsim.net/${profile.matchingId}.png`,
    shortUrl: `https://p.qrsim.net/s/${profile.handle}`,
    smdpStatus,
    esimStatus,
    activeType: base?.wire.activeType ?? 2,
    dataType: base?.dataType ?? 1,
    smsStatus: base?.wire.smsStatus ?? 0,
    activateTime: profile.activatedAt ? wireTime(profile.activatedAt) : null,
    expiredTime: wireTime(profile.expiresAt),
    totalVolume: profile.totalBytes ?? 0,
    orderUsage: profile.usedBytes,
    totalDuration: profile.validityDays,
    durationUnit: 'DAY',
    pin: digits.slice(-4),
    puk: digits.slice(-8),
    apn: 'redteago',
    packageList: [
      packageEntry(base, profile.planCode, profile.createdAt),
      ...profile.topUps.map((t) => packageEntry(findPackage(catalog, t.plan.code), t.plan.code, t.createdAt)),
    ],
  };
}

function packageEntry(pkg: SimPackage | undefined, code: string, createdAt: Date): WireProfilePackage {
  return {
    packageName: pkg?.wire.name ?? code,
    packageCode: code,
    slug: pkg?.wire.slug ?? code,
    duration: pkg?.wire.duration ?? 0,
    volume: pkg?.wire.volume ?? 0,
    locationCode: pkg?.locationCode ?? '',
    createTime: wireTime(createdAt),
  };
}

/** `esim/usage/query` entry: live values here, where the real provider lags 2–3 h (ASSUMED, README). */
export function renderUsage(profile: SimProfile): WireUsage {
  return {
    esimTranNo: profile.handle,
    dataUsage: profile.usedBytes,
    totalData: profile.totalBytes ?? 0,
    lastUpdateTime: wireTime(profile.updatedAt),
  };
}
