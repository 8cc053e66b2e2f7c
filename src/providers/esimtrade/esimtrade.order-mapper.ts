import { isCurrencyCode, type Money } from '../../domain/money';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type { UpstreamOrder, UpstreamOrderStatus, UpstreamProfile, UpstreamTopUp, UpstreamUsage } from '../provider-adapter';
import { isRecord, toDecimal } from './esimtrade.mapper';
import type { EsimTradeEsimStatus } from './esimtrade.types';

/**
 * Every eSIM status word eSIMTrade uses (assumed list, README.md) → the contract's state. Keys are
 * upper case because `mapStatusWord` matches case-insensitively; a word missing here maps to null.
 */
export const ESIMTRADE_STATUS_TABLE: Readonly<Record<Uppercase<EsimTradeEsimStatus>, ProfileStatus>> = {
  READY: 'NOT_INSTALLED',
  INSTALLED: 'INSTALLED',
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  DEPLETED: 'DEPLETED',
  EXPIRED: 'EXPIRED',
  REVOKED: 'REVOKED',
  CANCELLED: 'CANCELLED',
};

/** Order and top-up words → the port's; null for a word we do not know. */
const OPERATION_STATUS: Readonly<Record<string, UpstreamOrderStatus>> = { PROCESSING: 'PROCESSING', COMPLETED: 'COMPLETED', FAILED: 'FAILED' };

export function mapOperationStatus(word: unknown): UpstreamOrderStatus | null {
  if (typeof word !== 'string') return null;
  const key = word.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(OPERATION_STATUS, key) ? OPERATION_STATUS[key] : null;
}

/** An order plus what the adapter checks and logs: our reference, the charged unit price, an unknown status word. */
export interface MappedOrder {
  readonly order: UpstreamOrder;
  readonly reference: string | null;
  readonly unitPrice: Money | null;
  /** The raw word when eSIMTrade sent an order status we do not know; the order then reads as PROCESSING. */
  readonly unknownStatus: string | null;
}

/**
 * `POST /portal/order` / `GET /portal/orders` data → the port's order, or null when unreadable
 * (no order number, an unreadable eSIM). An unknown status word reads as PROCESSING: it decides
 * nothing final and the caller polls again. `completed` with fewer eSIMs than ordered reads as
 * PROCESSING too, since the port promises every profile once COMPLETED.
 */
export function mapOrder(raw: unknown): MappedOrder | null {
  if (!isRecord(raw) || !nonEmpty(raw.order_number) || !Array.isArray(raw.esims)) return null;
  const profiles = raw.esims.map(mapProfile);
  if (profiles.some((p) => p === null)) return null;
  const known = mapOperationStatus(raw.status);
  const quantity = Number.isSafeInteger(raw.quantity) ? (raw.quantity as number) : profiles.length;
  const status = known === 'COMPLETED' && profiles.length < quantity ? 'PROCESSING' : known ?? 'PROCESSING';
  const failureReason = status === 'FAILED' ? (nonEmpty(raw.failure_reason) ? raw.failure_reason : 'failed upstream') : undefined;
  return {
    order: { providerOrderId: raw.order_number, status, profiles: profiles as UpstreamProfile[], ...(failureReason ? { failureReason } : {}) },
    reference: nonEmpty(raw.reference) ? raw.reference : null,
    unitPrice: mapMoney(raw.unit_price),
    unknownStatus: known === null ? String(raw.status) : null,
  };
}

/** A `GET /reseller/orders` entry → its order number and reference, or null when unreadable. */
export function mapOrderSummary(raw: unknown): { readonly orderNumber: string; readonly reference: string | null } | null {
  if (!isRecord(raw) || !nonEmpty(raw.order_number)) return null;
  return { orderNumber: raw.order_number, reference: nonEmpty(raw.reference) ? raw.reference : null };
}

/** One eSIM → the port's profile (ICCID as the handle: eSIMTrade has no other), or null when unreadable. */
export function mapProfile(raw: unknown): UpstreamProfile | null {
  if (!isRecord(raw)) return null;
  const { iccid, status, smdp_address: smdp, matching_id: matchingId } = raw;
  if (!nonEmpty(iccid) || !/^\d{18,22}$/.test(iccid) || !nonEmpty(status) || !nonEmpty(smdp) || !nonEmpty(matchingId)) return null;
  return {
    iccid,
    providerProfileId: iccid,
    rawStatus: status,
    status: mapStatusWord(ESIMTRADE_STATUS_TABLE, status),
    smdpAddress: smdp,
    matchingId,
    qrCodeUrl: nonEmpty(raw.qr_code_url) ? raw.qr_code_url : null,
    expiresAt: isoOrNull(raw.expires_at),
  };
}

/** The eSIM's `usage` (bytes) → the port's usage, or null when unreadable. */
export function mapUsage(raw: unknown): UpstreamUsage | null {
  if (!isRecord(raw) || !isRecord(raw.usage)) return null;
  const { used_bytes: used, total_bytes: total, updated_at: updatedAt } = raw.usage;
  if (!isCount(used) || (total !== null && !isCount(total))) return null;
  const at = isoOrNull(updatedAt);
  return at === null ? null : { usedBytes: used, totalBytes: total, updatedAt: at };
}

/** `POST /portal/topups` data → the port's top-up plus an unknown status word (read as PROCESSING), or null. */
export function mapTopUp(raw: unknown): { readonly topUp: UpstreamTopUp; readonly price: Money | null; readonly unknownStatus: string | null } | null {
  if (!isRecord(raw) || !nonEmpty(raw.topup_id)) return null;
  const known = mapOperationStatus(raw.status);
  const status = known ?? 'PROCESSING';
  const failureReason = status === 'FAILED' ? (nonEmpty(raw.failure_reason) ? raw.failure_reason : 'failed upstream') : undefined;
  return {
    topUp: { providerTopUpId: raw.topup_id, status, expiresAt: isoOrNull(raw.expires_at), ...(failureReason ? { failureReason } : {}) },
    price: mapMoney(raw.price),
    unknownStatus: known === null ? String(raw.status) : null,
  };
}

function mapMoney(raw: unknown): Money | null {
  if (!isRecord(raw) || typeof raw.currency !== 'string' || !isCurrencyCode(raw.currency)) return null;
  const amount = toDecimal(raw.amount);
  return amount === null ? null : { amount, currency: raw.currency };
}

/** ISO-8601 UTC, or null when absent or not a date. */
export function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

