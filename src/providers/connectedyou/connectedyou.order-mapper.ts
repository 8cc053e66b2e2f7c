import { mbToBytes } from '../../domain/data-units';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type { UpstreamOrder, UpstreamOrderStatus, UpstreamProfile, UpstreamTopUp, UpstreamUsage } from '../provider-adapter';
import { describe, includes, isObject } from './connectedyou.mapper';
import type { CyEsimStatus, CyOrderPage, CyOrderStatus } from './connectedyou.types';

/**
 * Every eSIM status word ConnectedYou is known (or assumed) to answer, and the contract state it
 * means. The device words DOWNLOADED/INSTALLED/ENABLED/DISABLED (PROFILE_LIFECYCLE) all mean "on a
 * device, no data used yet": usage turns the eSIM ACTIVE. DELETED means the device removed the
 * profile, which cannot be downloaded again, so the profile is gone for good (REVOKED). A word
 * missing here maps to null and is logged by the adapter; it is never guessed.
 */
export const ESIM_STATUS_TABLE: Readonly<Record<CyEsimStatus, ProfileStatus>> = {
  RELEASED: 'NOT_INSTALLED',
  DOWNLOADED: 'INSTALLED',
  INSTALLED: 'INSTALLED',
  ENABLED: 'INSTALLED',
  DISABLED: 'INSTALLED',
  ACTIVE: 'ACTIVE',
  DEPLETED: 'DEPLETED',
  EXPIRED: 'EXPIRED',
  SUSPENDED: 'SUSPENDED',
  DELETED: 'REVOKED',
  CANCELLED: 'CANCELLED',
};

const ORDER_STATUSES: Readonly<Record<CyOrderStatus, UpstreamOrderStatus>> = { PROCESSING: 'PROCESSING', COMPLETED: 'COMPLETED', FAILED: 'FAILED' };

export type Mapped<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: string };

/** One eSIM; `status` is null (and `rawStatus` kept) for a word the table does not know. */
export function mapEsim(raw: unknown): Mapped<UpstreamProfile> {
  if (!isObject(raw)) return bad('eSIM is not an object');
  const { iccid, status, smdp_address: smdpAddress, matching_id: matchingId } = raw;
  if (typeof iccid !== 'string' || !/^\d{18,22}$/.test(iccid)) return bad('iccid is missing or not digits');
  if (typeof status !== 'string' || !status.trim()) return bad(`status of ${iccid} is missing`);
  if (typeof smdpAddress !== 'string' || !smdpAddress || typeof matchingId !== 'string' || !matchingId) return bad(`smdp_address or matching_id of ${iccid} is missing`);
  const expiresAt = isoOf(raw.expires_at);
  if (expiresAt === undefined) return bad(`expires_at of ${iccid} is not a timestamp`);
  return {
    ok: true,
    value: {
      iccid,
      // ConnectedYou names eSIMs by ICCID only.
      providerProfileId: iccid,
      rawStatus: status,
      status: mapStatusWord(ESIM_STATUS_TABLE, status),
      smdpAddress,
      matchingId,
      // The provider answers the LPA activation code, not an image; the gateway renders QR codes itself.
      qrCodeUrl: null,
      expiresAt,
    },
  };
}

/** An order and the words it could not map (`unknownStatus` for the order's own word, which then reads PROCESSING). */
export interface OrderMapping {
  readonly order: UpstreamOrder;
  readonly reference: string | null;
  readonly unknownStatus: string | null;
}

export function mapOrder(raw: unknown): Mapped<OrderMapping> {
  if (!isObject(raw)) return bad('order is not an object');
  const { order_id: orderId, status, esims } = raw;
  if (typeof orderId !== 'string' || !orderId) return bad('order_id is missing');
  if (typeof status !== 'string') return bad(`status of ${orderId} is missing`);
  if (!Array.isArray(esims)) return bad(`esims of ${orderId} is not a list`);
  const profiles: UpstreamProfile[] = [];
  for (const esim of esims) {
    const mapped = mapEsim(esim);
    if (!mapped.ok) return bad(`order ${orderId}: ${mapped.issue}`);
    profiles.push(mapped.value);
  }
  // An unknown order word must not read as done or failed: PROCESSING makes the caller look again.
  const known = includes(Object.keys(ORDER_STATUSES) as CyOrderStatus[], status) ? ORDER_STATUSES[status] : null;
  const failureReason = typeof raw.failure_reason === 'string' && raw.failure_reason ? raw.failure_reason : undefined;
  const order: UpstreamOrder = { providerOrderId: orderId, status: known ?? 'PROCESSING', profiles, ...(known === 'FAILED' ? { failureReason: failureReason ?? 'FAILED' } : {}) };
  return { ok: true, value: { order, reference: typeof raw.reference === 'string' ? raw.reference : null, unknownStatus: known ? null : status } };
}

/** The list envelope `{ orders, limit, offset, total }`, or null when the shape is not it. */
export function readOrderPage(raw: unknown): CyOrderPage | null {
  if (!isObject(raw) || !Array.isArray(raw.orders)) return null;
  const { limit, offset, total } = raw;
  if (![limit, offset, total].every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return null;
  return { orders: raw.orders, limit: limit as number, offset: offset as number, total: total as number };
}

/** Usage in MB (1 GB = 1024 MB, two decimals) to bytes. */
export function mapUsage(raw: unknown): Mapped<UpstreamUsage> {
  if (!isObject(raw)) return bad('usage is not an object');
  const used = megabytes(raw.data_consumed);
  // data_total is null for unlimited products; anything else must be a number of MB.
  const total = raw.data_total === null ? null : megabytes(raw.data_total);
  if (used === null || (total === null && raw.data_total !== null)) return bad('data_consumed or data_total is not a non-negative number of MB');
  const updatedAt = isoOf(raw.updated_at);
  if (!updatedAt) return bad('updated_at is not a timestamp');
  return { ok: true, value: { usedBytes: mbToBytes(used), totalBytes: total === null ? null : mbToBytes(total), updatedAt } };
}

export function mapTopUp(raw: unknown): Mapped<UpstreamTopUp> {
  if (!isObject(raw)) return bad('top-up is not an object');
  const { topup_id: id, status } = raw;
  if (typeof id !== 'string' || !id) return bad('topup_id is missing');
  if (!includes(Object.keys(ORDER_STATUSES) as CyOrderStatus[], status)) return bad(`unknown top-up status ${describe(status)}`);
  const expiresAt = isoOf(raw.expires_at);
  if (expiresAt === undefined) return bad(`expires_at of ${id} is not a timestamp`);
  const failureReason = typeof raw.failure_reason === 'string' && raw.failure_reason ? raw.failure_reason : 'FAILED';
  return {
    ok: true,
    value: {
      providerTopUpId: id,
      status: ORDER_STATUSES[status],
      ...(status === 'FAILED' ? { failureReason } : {}),
      expiresAt,
    },
  };
}

/**
 * ConnectedYou's microsecond UTC timestamps (`2025-06-01T02:21:56.608000Z`) as ISO-8601 with
 * milliseconds; null for null, undefined when malformed.
 */
export function isoOf(raw: unknown): string | null | undefined {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') return undefined;
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(raw);
  if (!match) return undefined;
  const millis = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  const date = new Date(`${match[1]}.${millis}${match[3]}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A non-negative MB count, null when it is not one (also read by the webhook mapper). */
export function megabytes(raw: unknown): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : null;
}

function bad<T>(issue: string): Mapped<T> {
  return { ok: false, issue };
}
