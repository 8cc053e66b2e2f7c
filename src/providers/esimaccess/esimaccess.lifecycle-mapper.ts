import type { DeviceReport, DeviceState } from '../../domain/device';
import { toScaledInteger, type Money } from '../../domain/money';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type { UpstreamOrder, UpstreamProfile, UpstreamTopUp, UpstreamUsage } from '../provider-adapter';
import { MONEY_SCALE } from './esimaccess.mapper';
import type { EsimAccessProfile, EsimAccessTopUpResult, EsimAccessUsage } from './esimaccess.types';

/**
 * Every documented `esimStatus` (research §1.6, both REVOKE spellings) → ProfileStatus. Only
 * GOT_RESOURCE (allocated, no data used) depends on the SM-DP+ state, so it is keyed as a pair:
 * RELEASED = never downloaded; DOWNLOAD/INSTALLATION/ENABLED/DISABLED/DELETED = downloaded at
 * least once, still unused. CREATE/PAYING/PAID/GETTING_RESOURCE come before allocation: such an
 * entry is not a usable profile yet (its order stays PROCESSING) and would read NOT_INSTALLED.
 */
export const ESIMACCESS_STATUS_TABLE: Readonly<Record<string, ProfileStatus>> = {
  CREATE: 'NOT_INSTALLED',
  PAYING: 'NOT_INSTALLED',
  PAID: 'NOT_INSTALLED',
  GETTING_RESOURCE: 'NOT_INSTALLED',
  'GOT_RESOURCE/RELEASED': 'NOT_INSTALLED',
  'GOT_RESOURCE/DOWNLOAD': 'INSTALLED',
  'GOT_RESOURCE/INSTALLATION': 'INSTALLED',
  'GOT_RESOURCE/ENABLED': 'INSTALLED',
  'GOT_RESOURCE/DISABLED': 'INSTALLED',
  'GOT_RESOURCE/DELETED': 'INSTALLED',
  IN_USE: 'ACTIVE',
  USED_UP: 'DEPLETED',
  SUSPENDED: 'SUSPENDED',
  UNUSED_EXPIRED: 'EXPIRED',
  USED_EXPIRED: 'EXPIRED',
  REVOKE: 'REVOKED',
  REVOKED: 'REVOKED',
  CANCEL: 'CANCELLED',
};

const PRE_ALLOCATION = new Set(['CREATE', 'PAYING', 'PAID', 'GETTING_RESOURCE']);

/** The pair as one raw word ("GOT_RESOURCE/RELEASED") and its status; null for a word the table lacks. */
export function mapProfileStatus(
  esimStatus: unknown,
  smdpStatus: unknown,
): { rawStatus: string; status: ProfileStatus | null } {
  const esim = typeof esimStatus === 'string' ? esimStatus.trim().toUpperCase() : '';
  const smdp = typeof smdpStatus === 'string' ? smdpStatus.trim().toUpperCase() : '';
  const rawStatus = `${esim}/${smdp}`;
  return { rawStatus, status: mapStatusWord(ESIMACCESS_STATUS_TABLE, esim === 'GOT_RESOURCE' ? rawStatus : esim) };
}

/**
 * Every documented `smdpStatus` (research §1.6) → the device state. It is the SM-DP+ server's
 * view of the device (downloaded, installed, enabled…), kept apart from the plan status: a
 * phone deleting the profile does not end the plan upstream.
 */
export const ESIMACCESS_DEVICE_TABLE: Readonly<Record<string, DeviceState>> = {
  RELEASED: 'RELEASED',
  DOWNLOAD: 'DOWNLOADED',
  INSTALLATION: 'INSTALLED',
  ENABLED: 'ENABLED',
  DISABLED: 'DISABLED',
  DELETED: 'DELETED',
};

/**
 * `smdpStatus` (+ `eid` where the answer carries one) → DeviceReport; null when there is no
 * word at all. An unknown word keeps its raw text with `state: null`. `eid` is left out when
 * the caller passes undefined (the answer has no such field); "" (not installed yet) is null.
 */
export function mapDevice(smdpStatus: unknown, eid?: unknown): DeviceReport | null {
  const rawState = typeof smdpStatus === 'string' ? smdpStatus.trim() : '';
  if (rawState === '') return null;
  const key = rawState.toUpperCase();
  const state = Object.prototype.hasOwnProperty.call(ESIMACCESS_DEVICE_TABLE, key)
    ? ESIMACCESS_DEVICE_TABLE[key]
    : null;
  return eid === undefined ? { state, rawState } : { state, rawState, eid: nonEmpty(eid) };
}

/** `2023-03-03T06:20:00+0000`, `…Z` or `…+00:00` → ISO-8601 UTC; null when absent or unreadable. */
export function parseProviderTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
    value.trim(),
  );
  if (!match) return null;
  // No offset at all: the docs state every time is UTC.
  const zone = (match[3] ?? 'Z').replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Query input in the documented form `2010-06-30T01:20+00:00` (minutes, UTC). */
export function providerQueryTime(date: Date): string {
  return `${date.toISOString().slice(0, 16)}+00:00`;
}

/** `LPA:1$<SM-DP+>$<matchingId>` → its parts; null when it is not that shape. */
export function parseActivationCode(ac: unknown): { smdpAddress: string; matchingId: string } | null {
  const match = typeof ac === 'string' ? /^LPA:1\$([^$\s]+)\$([^$\s]+)$/.exec(ac.trim()) : null;
  return match ? { smdpAddress: match[1], matchingId: match[2] } : null;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function bytes(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** Whether an `esimList` entry is an allocated profile (not one still being created or paid). */
export function isAllocated(raw: unknown): boolean {
  const p = (raw ?? {}) as Partial<Record<keyof EsimAccessProfile, unknown>>;
  const esim = typeof p.esimStatus === 'string' ? p.esimStatus.trim().toUpperCase() : '';
  return !PRE_ALLOCATION.has(esim) && nonEmpty(p.iccid) !== null && nonEmpty(p.ac) !== null;
}

/**
 * One `esimList` entry → UpstreamProfile; null when an identifier or the activation code is
 * unreadable. `status` is the plan (the pair table above), `device` the SM-DP+ side alone.
 */
export function mapProfile(raw: unknown): UpstreamProfile | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const p = raw as Partial<Record<keyof EsimAccessProfile, unknown>>;
  const iccid = nonEmpty(p.iccid);
  const esimTranNo = nonEmpty(p.esimTranNo);
  const activation = parseActivationCode(p.ac);
  if (!iccid || !esimTranNo || !activation) return null;
  return {
    iccid,
    providerProfileId: esimTranNo,
    ...mapProfileStatus(p.esimStatus, p.smdpStatus),
    ...activation,
    qrCodeUrl: nonEmpty(p.qrCodeUrl),
    expiresAt: parseProviderTime(p.expiredTime),
    // esim/query documents `eid` (empty until a device downloaded the profile).
    device: mapDevice(p.smdpStatus, p.eid ?? null),
  };
}

/**
 * An `esim/query` answer for one order → UpstreamOrder. The provider answers 200010 until the
 * order is allocated (handled by the caller); a list that is empty or still holds entries
 * before allocation is PROCESSING too. Null when an allocated entry is unreadable.
 */
export function mapOrder(orderNo: string, esimList: readonly unknown[]): UpstreamOrder | null {
  if (esimList.length === 0 || !esimList.every(isAllocated))
    return { providerOrderId: orderNo, status: 'PROCESSING', profiles: [] };
  const profiles = esimList.map(mapProfile);
  if (profiles.some((p) => p === null)) return null;
  return { providerOrderId: orderNo, status: 'COMPLETED', profiles: profiles as UpstreamProfile[] };
}

/** The unallocated answer of a just-placed order (allocation takes up to ~30 s, research §1.9). */
export function placedOrder(orderNo: string): UpstreamOrder {
  return { providerOrderId: orderNo, status: 'PROCESSING', profiles: [] };
}

/** One `esimUsageList` entry; `totalData` 0 is an unlimited plan, as `volume` 0 in the catalog (ASSUMED). */
export function mapUsage(raw: unknown): (UpstreamUsage & { esimTranNo: string }) | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Partial<Record<keyof EsimAccessUsage, unknown>>;
  const esimTranNo = nonEmpty(u.esimTranNo);
  const usedBytes = bytes(u.dataUsage);
  const total = bytes(u.totalData);
  const updatedAt = parseProviderTime(u.lastUpdateTime);
  if (!esimTranNo || usedBytes === null || total === null || !updatedAt) return null;
  return { esimTranNo, usedBytes, totalBytes: total === 0 ? null : total, updatedAt };
}

/** `esim/topup` answers synchronously: the plan is on the profile once it says success. */
export function mapTopUp(raw: EsimAccessTopUpResult | null, reference: string): UpstreamTopUp {
  return {
    providerTopUpId: nonEmpty(raw?.topUpEsimTranNo) ?? nonEmpty(raw?.transactionId) ?? reference,
    status: 'COMPLETED',
    expiresAt: parseProviderTime(raw?.expiredTime),
  };
}

/** Money as the provider's integer USD × 10 000; null for another currency or a finer amount. */
export function toProviderPrice(price: Money): number | null {
  if (price.currency !== 'USD') return null;
  try {
    return toScaledInteger(price.amount, MONEY_SCALE);
  } catch {
    return null;
  }
}
