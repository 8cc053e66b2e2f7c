import { isCurrencyCode, type Money } from '../../domain/money';
import type { ProviderNotes } from '../kit/notes';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type {
  UpstreamOrder,
  UpstreamOrderStatus,
  UpstreamProfile,
  UpstreamTopUp,
  UpstreamUsage,
} from '../provider-adapter';
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

/**
 * eSIMTrade's document lists paths only: every body field here is ASSUMED, hence optional to this
 * reader. An absent field falls back (to what we asked, else null) and is said once through
 * `EtNotes`; only what names the record (an ICCID, an order number we did not ask by) is required.
 */
export type EtNotes = Pick<ProviderNotes, 'missingField' | 'unknownWord' | 'skipped'>;
export const SILENT_NOTES: EtNotes = {
  missingField: () => undefined,
  unknownWord: () => undefined,
  skipped: () => undefined,
};

/** Order and top-up words → the port's; null for a word we do not know. */
const OPERATION_STATUS: Readonly<Record<string, UpstreamOrderStatus>> = {
  PROCESSING: 'PROCESSING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
};

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
 * `POST /portal/order` / `GET /portal/orders` data → the port's order, or null when it cannot be
 * named (no `order_number` and none asked by). `esims` absent reads as none yet; an eSIM without
 * an ICCID is left out (said); an unknown or absent status word reads as PROCESSING: it decides
 * nothing final and the caller polls again. `completed` with fewer eSIMs than ordered reads as
 * PROCESSING too, since the port promises every profile once COMPLETED.
 */
export function mapOrder(raw: unknown, notes: EtNotes = SILENT_NOTES, askedOrderNumber?: string): MappedOrder | null {
  if (!isRecord(raw)) return null;
  let orderNumber = nonEmpty(raw.order_number) ? raw.order_number : null;
  if (orderNumber === null && askedOrderNumber !== undefined) {
    notes.missingField('order.order_number', 'the order number we asked by');
    orderNumber = askedOrderNumber;
  }
  if (orderNumber === null) return null;
  if (!Array.isArray(raw.esims)) notes.missingField('order.esims', 'no eSIMs yet: the order reads PROCESSING');
  const profiles: UpstreamProfile[] = [];
  for (const esim of Array.isArray(raw.esims) ? raw.esims : []) {
    const profile = mapProfile(esim, notes);
    if (profile) profiles.push(profile);
    else notes.skipped('eSIM', orderNumber, 'no readable ICCID');
  }
  const known = mapOperationStatus(raw.status);
  if (raw.status === undefined || raw.status === null)
    notes.missingField('order.status', 'read as PROCESSING (polled again)');
  let quantity = profiles.length;
  if (Number.isSafeInteger(raw.quantity)) quantity = raw.quantity as number;
  else notes.missingField('order.quantity', 'the eSIMs listed');
  const status =
    known === 'COMPLETED' && (profiles.length < quantity || profiles.length === 0)
      ? 'PROCESSING'
      : (known ?? 'PROCESSING');
  const failureReason =
    status === 'FAILED' ? (nonEmpty(raw.failure_reason) ? raw.failure_reason : 'failed upstream') : undefined;
  return {
    order: { providerOrderId: orderNumber, status, profiles, ...(failureReason ? { failureReason } : {}) },
    reference: nonEmpty(raw.reference) ? raw.reference : null,
    unitPrice: mapMoney(raw.unit_price),
    unknownStatus: known === null && raw.status !== undefined && raw.status !== null ? String(raw.status) : null,
  };
}

/** A `GET /reseller/orders` entry → its order number and reference, or null when unreadable. */
export function mapOrderSummary(
  raw: unknown,
): { readonly orderNumber: string; readonly reference: string | null } | null {
  if (!isRecord(raw) || !nonEmpty(raw.order_number)) return null;
  return { orderNumber: raw.order_number, reference: nonEmpty(raw.reference) ? raw.reference : null };
}

/**
 * One eSIM → the port's profile (ICCID as the handle: eSIMTrade has no other), or null without an
 * ICCID (the body's, else the one we asked by). `status` absent → null with `rawStatus` "" (the
 * stored state is kept); `smdp_address`/`matching_id` absent → the halves of `activation_code`,
 * else null; `qr_code_url`, `expires_at` absent → null.
 */
export function mapProfile(raw: unknown, notes: EtNotes = SILENT_NOTES, askedIccid?: string): UpstreamProfile | null {
  if (!isRecord(raw)) return null;
  let iccid = nonEmpty(raw.iccid) && ICCID.test(raw.iccid) ? raw.iccid : null;
  if (iccid === null && askedIccid !== undefined && ICCID.test(askedIccid)) {
    notes.missingField('esim.iccid', 'the ICCID we asked by');
    iccid = askedIccid;
  }
  if (iccid === null) return null;
  const status = nonEmpty(raw.status) ? raw.status : null;
  if (status === null) notes.missingField('esim.status', 'status null: the stored state is kept');
  let smdp = nonEmpty(raw.smdp_address) ? raw.smdp_address : null;
  let matchingId = nonEmpty(raw.matching_id) ? raw.matching_id : null;
  if (smdp === null || matchingId === null) {
    const lpa =
      typeof raw.activation_code === 'string' ? /^LPA:1\$([^$]+)\$([^$]+)$/.exec(raw.activation_code.trim()) : null;
    notes.missingField(
      'esim.smdp_address/matching_id',
      lpa ? 'read from activation_code' : 'activation left null (or the QR code URL only)',
    );
    smdp ??= lpa?.[1] ?? null;
    matchingId ??= lpa?.[2] ?? null;
  }
  return {
    iccid,
    providerProfileId: iccid,
    rawStatus: status ?? '',
    status: mapStatusWord(ESIMTRADE_STATUS_TABLE, status),
    smdpAddress: smdp,
    matchingId,
    qrCodeUrl: nonEmpty(raw.qr_code_url) ? raw.qr_code_url : null,
    expiresAt: isoOrNull(raw.expires_at),
  };
}

/**
 * The eSIM's `usage` (bytes) → the port's usage. Without `usage.used_bytes` there is no reading
 * (null: usage left as stored); `total_bytes` absent → null; `updated_at` absent → when we read it.
 */
export function mapUsage(
  raw: unknown,
  notes: EtNotes = SILENT_NOTES,
  now: () => Date = () => new Date(),
): UpstreamUsage | null {
  const usage = isRecord(raw) && isRecord(raw.usage) ? raw.usage : null;
  if (usage === null || !isCount(usage.used_bytes)) {
    notes.missingField('esim.usage.used_bytes', 'no reading (usage left as stored)');
    return null;
  }
  const { used_bytes: used, total_bytes: total } = usage;
  if (total !== null && !isCount(total)) notes.missingField('esim.usage.total_bytes', 'total left null');
  let at = isoOrNull(usage.updated_at);
  if (at === null) {
    notes.missingField('esim.usage.updated_at', 'the time we read it');
    at = now().toISOString();
  }
  return { usedBytes: used, totalBytes: isCount(total) ? total : null, updatedAt: at };
}

/** `POST /portal/topups` data → the port's top-up plus an unknown status word (read as PROCESSING), or null. */
export function mapTopUp(
  raw: unknown,
  reference: string,
  notes: EtNotes = SILENT_NOTES,
): { readonly topUp: UpstreamTopUp; readonly price: Money | null; readonly unknownStatus: string | null } | null {
  if (!isRecord(raw)) return null;
  let id = nonEmpty(raw.topup_id) ? raw.topup_id : null;
  if (id === null) {
    notes.missingField('topup.topup_id', 'our top-up reference (its Idempotency-Key)');
    id = reference;
  }
  const known = mapOperationStatus(raw.status);
  const absent = raw.status === undefined || raw.status === null;
  // PROCESSING: the top-up is asked again under the same key, which replays the answer, never buys twice.
  if (absent) notes.missingField('topup.status', 'read as PROCESSING (asked again under the same key)');
  const status = known ?? 'PROCESSING';
  const failureReason =
    status === 'FAILED' ? (nonEmpty(raw.failure_reason) ? raw.failure_reason : 'failed upstream') : undefined;
  return {
    topUp: {
      providerTopUpId: id,
      status,
      expiresAt: isoOrNull(raw.expires_at),
      ...(failureReason ? { failureReason } : {}),
    },
    price: mapMoney(raw.price),
    unknownStatus: known === null && !absent ? String(raw.status) : null,
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

const ICCID = /^\d{18,22}$/;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
