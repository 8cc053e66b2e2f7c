import { mbToBytes } from '../../domain/data-units';
import type { DeviceReport } from '../../domain/device';
import type { ProviderNotes } from '../kit/notes';
import type {
  UpstreamOrder,
  UpstreamOrderStatus,
  UpstreamProfile,
  UpstreamTopUp,
  UpstreamUsage,
} from '../provider-adapter';
import { includes, isObject } from './connectedyou.mapper';
import { CY_DEVICE_TABLE, lookUp, planStatusOf } from './connectedyou.status';
import type { CyOrderPage, CyOrderStatus } from './connectedyou.types';

/**
 * The REST reads (orders, eSIMs, usage, top-ups). No REST body of ConnectedYou is documented, so
 * every field here is ASSUMED and, by the "provider truth" rule, optional to this reader: an
 * absent field falls back (to what we asked, else null) and is said once through `CyNotes`;
 * only a field that names the record itself (ICCID, order id) is required.
 */

const ORDER_STATUSES: Readonly<Record<CyOrderStatus, UpstreamOrderStatus>> = {
  PROCESSING: 'PROCESSING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
};
const ICCID = /^\d{18,22}$/;

/** Where the mappers say what they did without (the adapter's `ProviderNotes`). */
export type CyNotes = Pick<ProviderNotes, 'missingField' | 'unknownWord'>;
const SILENT: CyNotes = { missingField: () => undefined, unknownWord: () => undefined };

export type Mapped<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: string };

/**
 * One eSIM, with its two dimensions apart: the plan word (`status`) gives `status`/`rawStatus`, the
 * device word (`profile_status`) and `eid` give `device`. `askedIccid` is the ICCID we read it by,
 * the fallback when the body does not repeat it. A word a table does not know is kept raw (state
 * null) and said once.
 */
export function mapEsim(raw: unknown, notes: CyNotes = SILENT, askedIccid?: string): Mapped<UpstreamProfile> {
  if (!isObject(raw)) return bad('eSIM is not an object');
  const iccid = iccidOf(raw.iccid, askedIccid, notes);
  if (iccid === null) return bad('iccid is missing or not digits');
  const device = deviceOf(raw, notes);
  const planWord = text(raw.status);
  if (planWord === null)
    notes.missingField('esim.status', 'plan status left null: the stored state is kept', { iccid });
  const status = planStatusOf(planWord, device?.state ?? null);
  if (planWord !== null && status === null)
    notes.unknownWord('eSIM plan status', planWord, 'null (stored state kept)', { iccid });
  const { smdpAddress, matchingId } = activationOf(raw, notes, iccid);
  let expiresAt = isoOf(raw.expires_at);
  if (expiresAt === undefined) {
    notes.missingField('esim.expires_at', 'read as not known (null)', { iccid });
    expiresAt = null;
  }
  return {
    ok: true,
    value: {
      iccid,
      // ConnectedYou names eSIMs by ICCID only.
      providerProfileId: iccid,
      rawStatus: planWord ?? '',
      status,
      smdpAddress,
      matchingId,
      // The provider answers the LPA activation code, not an image; the gateway renders QR codes itself.
      qrCodeUrl: null,
      expiresAt,
      device,
    },
  };
}

function iccidOf(raw: unknown, asked: string | undefined, notes: CyNotes): string | null {
  if (typeof raw === 'string' && ICCID.test(raw)) return raw;
  if (asked === undefined || !ICCID.test(asked)) return null;
  notes.missingField('esim.iccid', 'the ICCID we asked for', { iccid: asked });
  return asked;
}

/** `profile_status` + `eid`; null (nothing known of the device) without a device word. */
function deviceOf(raw: Record<string, unknown>, notes: CyNotes): DeviceReport | null {
  const word = text(raw.profile_status);
  if (word === null) {
    notes.missingField('esim.profile_status', 'device left unknown (null)');
    return null;
  }
  const state = lookUp(CY_DEVICE_TABLE, word);
  if (state === null) notes.unknownWord('eSIM device status', word, 'null (raw word kept)');
  return { state, rawState: word, eid: text(raw.eid) };
}

/** `smdp_address` + `matching_id`, else the two halves of `activation_code` (`LPA:1$<smdp>$<matching id>`), else null. */
function activationOf(
  raw: Record<string, unknown>,
  notes: CyNotes,
  iccid: string,
): { smdpAddress: string | null; matchingId: string | null } {
  const smdpAddress = text(raw.smdp_address);
  const matchingId = text(raw.matching_id);
  if (smdpAddress !== null && matchingId !== null) return { smdpAddress, matchingId };
  const lpa =
    typeof raw.activation_code === 'string' ? /^LPA:1\$([^$]+)\$([^$]+)$/.exec(raw.activation_code.trim()) : null;
  notes.missingField('esim.smdp_address/matching_id', lpa ? 'read from activation_code' : 'activation left null', {
    iccid,
  });
  return { smdpAddress: smdpAddress ?? lpa?.[1] ?? null, matchingId: matchingId ?? lpa?.[2] ?? null };
}

function text(raw: unknown): string | null {
  return typeof raw === 'string' && raw.trim() ? raw.trim() : null;
}

/** An order and the words it could not map (`unknownStatus` for the order's own word, which then reads PROCESSING). */
export interface OrderMapping {
  readonly order: UpstreamOrder;
  readonly reference: string | null;
  readonly unknownStatus: string | null;
}

/**
 * An order. `order_id` names it and is required; `esims` absent reads as none yet (the order then
 * cannot read COMPLETED), `status` absent or unknown as PROCESSING (the caller looks again),
 * `reference` absent as null (the adapter then trusts what it asked).
 */
export function mapOrder(raw: unknown, notes: CyNotes = SILENT): Mapped<OrderMapping> {
  if (!isObject(raw)) return bad('order is not an object');
  const { order_id: orderId, status } = raw;
  if (typeof orderId !== 'string' || !orderId) return bad('order_id is missing');
  let esims: readonly unknown[] = [];
  if (Array.isArray(raw.esims)) esims = raw.esims;
  else notes.missingField('order.esims', 'no eSIMs yet: the order reads PROCESSING until they are listed', { orderId });
  const profiles: UpstreamProfile[] = [];
  for (const esim of esims) {
    const mapped = mapEsim(esim, notes);
    if (!mapped.ok) return bad(`order ${orderId}: ${mapped.issue}`);
    profiles.push(mapped.value);
  }
  if (typeof status !== 'string')
    notes.missingField('order.status', 'read as PROCESSING (looked at again)', { orderId });
  // An unknown order word must not read as done or failed: PROCESSING makes the caller look again.
  const known = includes(Object.keys(ORDER_STATUSES) as CyOrderStatus[], status) ? ORDER_STATUSES[status] : null;
  // COMPLETED without the eSIMs listed is not done for us: the port promises every profile once COMPLETED.
  const effective = known === 'COMPLETED' && profiles.length === 0 ? 'PROCESSING' : (known ?? 'PROCESSING');
  const failureReason = typeof raw.failure_reason === 'string' && raw.failure_reason ? raw.failure_reason : undefined;
  const order: UpstreamOrder = {
    providerOrderId: orderId,
    status: effective,
    profiles,
    ...(known === 'FAILED' ? { failureReason: failureReason ?? 'FAILED' } : {}),
  };
  const unknownStatus = known || typeof status !== 'string' ? null : status;
  return {
    ok: true,
    value: {
      order,
      reference: typeof raw.reference === 'string' && raw.reference ? raw.reference : null,
      unknownStatus,
    },
  };
}

/** The list envelope `{ orders, limit, offset, total }`, or null when the shape is not it. */
export function readOrderPage(raw: unknown): CyOrderPage | null {
  if (!isObject(raw) || !Array.isArray(raw.orders)) return null;
  const { limit, offset, total } = raw;
  if (![limit, offset, total].every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return null;
  return { orders: raw.orders, limit: limit as number, offset: offset as number, total: total as number };
}

/**
 * Usage in MB (1 GB = 1024 MB, two decimals) to bytes. `data_consumed` is the reading itself:
 * without it there is no reading (null, "not known"). `data_total` absent reads as not known
 * (null); `updated_at` absent as the time we read it.
 */
export function mapUsage(
  raw: unknown,
  notes: CyNotes = SILENT,
  now: () => Date = () => new Date(),
): Mapped<UpstreamUsage | null> {
  if (!isObject(raw)) return bad('usage is not an object');
  const used = megabytes(raw.data_consumed);
  if (used === null) {
    notes.missingField('usage.data_consumed', 'no reading (usage left as stored)');
    return { ok: true, value: null };
  }
  // data_total is null for unlimited products.
  const total = megabytes(raw.data_total);
  if (total === null && raw.data_total !== null) notes.missingField('usage.data_total', 'total left null');
  let updatedAt = isoOf(raw.updated_at);
  if (!updatedAt) {
    notes.missingField('usage.updated_at', 'the time we read it');
    updatedAt = now().toISOString();
  }
  return {
    ok: true,
    value: { usedBytes: mbToBytes(used), totalBytes: total === null ? null : mbToBytes(total), updatedAt },
  };
}

/**
 * A top-up answer. `topup_id` absent: our own reference (the `idempotent_key` it was bought
 * under) names it. `status` absent or unknown: PROCESSING, so the top-up is asked again under the
 * same key, which replays the answer and never buys twice.
 */
export function mapTopUp(raw: unknown, reference: string, notes: CyNotes = SILENT): Mapped<UpstreamTopUp> {
  if (!isObject(raw)) return bad('top-up is not an object');
  const { status } = raw;
  let id = typeof raw.topup_id === 'string' && raw.topup_id ? raw.topup_id : null;
  if (id === null) {
    notes.missingField('topup.topup_id', 'our top-up reference (its idempotent_key)');
    id = reference;
  }
  const known = includes(Object.keys(ORDER_STATUSES) as CyOrderStatus[], status) ? ORDER_STATUSES[status] : null;
  if (typeof status !== 'string')
    notes.missingField('topup.status', 'read as PROCESSING (asked again under the same key)');
  else if (known === null) notes.unknownWord('top-up status', status, 'PROCESSING');
  let expiresAt = isoOf(raw.expires_at);
  if (expiresAt === undefined) {
    notes.missingField('topup.expires_at', 'expiry not known (null)', { topUpId: id });
    expiresAt = null;
  }
  const failureReason = typeof raw.failure_reason === 'string' && raw.failure_reason ? raw.failure_reason : 'FAILED';
  return {
    ok: true,
    value: {
      providerTopUpId: id,
      status: known ?? 'PROCESSING',
      ...(known === 'FAILED' ? { failureReason } : {}),
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
