import type { DeviceReport, DeviceState } from '../../domain/device';
import { mbToBytes } from '../../domain/data-units';
import { isIccid } from '../../domain/order-input';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type { UpstreamOrder, UpstreamProfile, UpstreamTopUp, UpstreamUsage } from '../provider-adapter';
import { isRecord, skip, text, type MapOutcome, type MissingFieldNotes } from './comium.mapper';

/**
 * Comium's profile state is two words: `profile_status` (the eSIM itself: released, downloaded,
 * active, deleted; seed 002's enum) and the plan on it (`orders_balances[].status`: active,
 * depleted, expired). The eSIM word is the device side (`UpstreamProfile.device`); the plan state
 * takes from it only what the contract's states mean by installation (NOT_INSTALLED, INSTALLED,
 * ACTIVE before the plan ends). The plan word wins where it ends the service (depleted, expired).
 * A deleted eSIM is a device fact, not the plan's end: it maps to null here (the stored plan state
 * stays; `device` says DELETED). The raw status is "<profile_status>/<plan word>"; anything else is
 * null (logged).
 */
export const COMIUM_PROFILE_STATUS: Readonly<Record<string, ProfileStatus>> = {
  'RELEASED/PENDING': 'NOT_INSTALLED',
  'RELEASED/ACTIVE': 'NOT_INSTALLED',
  'RELEASED/DEPLETED': 'DEPLETED',
  'RELEASED/EXPIRED': 'EXPIRED',
  'DOWNLOADED/PENDING': 'INSTALLED',
  'DOWNLOADED/ACTIVE': 'INSTALLED',
  'DOWNLOADED/DEPLETED': 'DEPLETED',
  'DOWNLOADED/EXPIRED': 'EXPIRED',
  'ACTIVE/PENDING': 'ACTIVE',
  'ACTIVE/ACTIVE': 'ACTIVE',
  'ACTIVE/DEPLETED': 'DEPLETED',
  'ACTIVE/EXPIRED': 'EXPIRED',
  'DELETED/DEPLETED': 'DEPLETED',
  'DELETED/EXPIRED': 'EXPIRED',
};

/** seed 002's `profile_status` enum as the device dimension. */
export const COMIUM_DEVICE_STATE: Readonly<Record<string, DeviceState>> = {
  RELEASED: 'RELEASED',
  DOWNLOADED: 'DOWNLOADED',
  // "active": the eSIM is on the device and in use.
  ACTIVE: 'ENABLED',
  DELETED: 'DELETED',
};

/**
 * The state of a profile read from an order (the sale answer or a `/Orders` item): neither carries
 * `profile_status`, and a profile just assigned has not been installed yet. The consumption read
 * (the poller's) then tells the truth; the order word is kept as the raw status.
 */
const ASSIGNED: ProfileStatus = 'NOT_INSTALLED';

const BALANCE_WORDS = ['active', 'depleted', 'expired'];

/** "<profile_status>/<plan status>", with "?" for a missing word (which then maps to null). */
export function statusWord(profileStatus: unknown, planStatus: unknown): string {
  const word = (value: unknown) => text(value) ?? '?';
  return `${word(profileStatus)}/${word(planStatus)}`;
}

/**
 * The plan word of a profile from its balances: active while any bundle is, else depleted, else
 * expired. An undocumented balance word is passed through, so the whole status maps to null.
 */
export function planStatusOf(balances: unknown): string | null {
  if (!Array.isArray(balances) || balances.length === 0) return null;
  const words = balances.map((b) => (isRecord(b) ? text(b.status)?.toLowerCase() : undefined) ?? '?');
  const unknown = words.find((w) => !BALANCE_WORDS.includes(w));
  if (unknown !== undefined) return unknown;
  return BALANCE_WORDS.find((w) => words.includes(w))!;
}

/** `profile_status` as the device report; null when the answer has no such word. */
export function deviceOf(profileStatus: unknown): DeviceReport | null {
  const word = text(profileStatus);
  if (word === null) return null;
  return { state: COMIUM_DEVICE_STATE[word.toUpperCase()] ?? null, rawState: word };
}

/**
 * The documented `POST /Bundle` answer: a success envelope (`response_code` "1") naming the order
 * and the assigned ICCID. No activation details: Comium e-mails the eSIM to the customer, so the
 * order is COMPLETED with a profile whose activation is null. Without an ICCID (assignment still
 * pending), or with one that is not an ICCID (the document prints the placeholder `"iccid": "iccid"`),
 * it is PROCESSING and the order is read back from `/Orders`; anything else is unreadable.
 */
export function toOrderFromSale(raw: unknown): MapOutcome<UpstreamOrder> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  const id = text(raw.order_id);
  if (id === null) return skip(null, 'missing order_id');
  if (raw.response_code !== undefined && String(raw.response_code).trim() !== '1')
    return skip(id, `response_code ${String(raw.response_code)}`);
  const iccid = iccidOf(raw.iccid);
  if (iccid === null) return { ok: true, value: { providerOrderId: id, status: 'PROCESSING', profiles: [] } };
  return {
    ok: true,
    value: { providerOrderId: id, status: 'COMPLETED', profiles: [assignedProfile(raw, iccid, null)] },
  };
}

/** A documented `/Orders` item: `success` names the ICCID of a completed order, activation null. */
export function toOrderFromItem(raw: unknown, notes?: MissingFieldNotes): MapOutcome<UpstreamOrder> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  const id = text(raw.order_id);
  if (id === null) return skip(null, 'missing order_id');
  switch (text(raw.status)?.toLowerCase()) {
    case 'pending':
      return { ok: true, value: { providerOrderId: id, status: 'PROCESSING', profiles: [] } };
    case 'failed':
      if (text(raw.failure_reason) === null)
        notes?.missingField('failure_reason', 'a failed order says "refused by Comium" (the item documents no reason)');
      return {
        ok: true,
        value: { providerOrderId: id, status: 'FAILED', profiles: [], failureReason: failureOf(raw) },
      };
    case 'success': {
      const iccid = iccidOf(raw.iccid);
      if (iccid === null) return skip(id, 'a successful order without an iccid');
      return {
        ok: true,
        value: { providerOrderId: id, status: 'COMPLETED', profiles: [assignedProfile(raw, iccid, raw.expiry_date)] },
      };
    }
    default:
      return skip(id, `unknown order status ${String(raw.status)}`);
  }
}

/**
 * A `/Profile/Consumption` body → the profile. `asked` is the ICCID we asked with, used when the
 * body omits its own. No installation details are documented here: activation stays null.
 */
export function toProfileFromConsumption(raw: unknown, asked?: string): MapOutcome<UpstreamProfile> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  const iccid = text(raw.iccid) ?? asked ?? null;
  if (iccid === null) return skip(null, 'missing iccid');
  const rawStatus = statusWord(raw.profile_status, planStatusOf(raw.orders_balances));
  return {
    ok: true,
    value: {
      iccid,
      providerProfileId: iccid,
      rawStatus,
      status: mapStatusWord(COMIUM_PROFILE_STATUS, rawStatus),
      ...activationOf(raw),
      expiresAt: isoOrNull(raw.profile_expiry_date),
      device: deviceOf(raw.profile_status),
    },
  };
}

/**
 * A `/Profile/Consumption` body → usage: balances summed over every bundle (sale and top-ups),
 * MB → bytes (1 MB = 1024²). Voice minutes and SMS left ("if applicable") are summed over the
 * bundles not expired; null when no bundle reports them.
 */
export function toUpstreamUsage(raw: unknown, now: Date, notes?: MissingFieldNotes): MapOutcome<UpstreamUsage> {
  if (!isRecord(raw) || !Array.isArray(raw.orders_balances)) return skip(null, 'missing orders_balances');
  let used = 0;
  let total: number | null = 0;
  let calls: number | null = null;
  let sms: number | null = null;
  for (const balance of raw.orders_balances) {
    if (!isRecord(balance)) return skip(null, 'malformed balance');
    if (text(balance.status)?.toLowerCase() !== 'expired') {
      if (isWholeMb(balance.remaining_calls)) calls = (calls ?? 0) + balance.remaining_calls;
      if (isWholeMb(balance.remaining_sms)) sms = (sms ?? 0) + balance.remaining_sms;
    }
    // An unlimited bundle has no total: the profile's total is then unlimited too.
    if (balance.total_data === null || String(balance.total_data).toLowerCase() === 'unlimited') {
      total = null;
      continue;
    }
    if (!isWholeMb(balance.total_data)) return skip(null, 'malformed total_data');
    // Absent, the bundle counts as unused rather than failing the read; a malformed figure is refused.
    const absent = balance.remaining_data === undefined || balance.remaining_data === null;
    if (absent) notes?.missingField('orders_balances[].remaining_data', 'the bundle counted as unused');
    else if (!isWholeMb(balance.remaining_data)) return skip(null, 'malformed remaining_data');
    const remaining = absent ? balance.total_data : (balance.remaining_data as number);
    used += Math.max(0, balance.total_data - remaining);
    if (total !== null) total += balance.total_data;
  }
  return {
    ok: true,
    value: {
      usedBytes: mbToBytes(used),
      totalBytes: total === null ? null : mbToBytes(total),
      updatedAt: now.toISOString(),
      voiceMinutesRemaining: calls,
      smsRemaining: sms,
    },
  };
}

/** The answer of a top-up (or its `/Orders` item): a top-up is an order of its own at Comium. */
export function toUpstreamTopUp(raw: unknown): MapOutcome<UpstreamTopUp> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  const id = text(raw.order_id);
  if (id === null) return skip(null, 'missing order_id');
  const expiresAt = isoOrNull(raw.expiry_date);
  switch (text(raw.status)?.toLowerCase()) {
    case 'success':
      return { ok: true, value: { providerTopUpId: id, status: 'COMPLETED', expiresAt } };
    case 'pending':
      return { ok: true, value: { providerTopUpId: id, status: 'PROCESSING', expiresAt } };
    case 'failed':
      return {
        ok: true,
        value: { providerTopUpId: id, status: 'FAILED', failureReason: failureOf(raw), expiresAt: null },
      };
    default:
      return skip(id, `unknown order status ${String(raw.status)}`);
  }
}

/** What `/Orders` holds under one reference, for one kind of order (sale or top-up). */
export interface ReferenceMatch {
  /** A pending or successful entry: the reference is used. Preferred: the known order id. */
  readonly live: Record<string, unknown> | null;
  /** The latest failed attempt: nothing was sold, the reference may be sent again. */
  readonly failed: Record<string, unknown> | null;
  /** The reference was used by the other kind (a sale for a top-up, or the reverse). */
  readonly otherKind: boolean;
}

/** `order_type` is ASSUMED (README): an item without it is a sale. */
export function matchReference(
  items: readonly unknown[],
  reference: string,
  kind: 'new' | 'topup',
  orderId: string | null = null,
): ReferenceMatch {
  const mine = items.filter(isRecord).filter((item) => item.order_reference === reference);
  const ofKind = mine.filter((item) => (item.order_type === 'topup' ? 'topup' : 'new') === kind);
  const live = ofKind.filter((item) => text(item.status)?.toLowerCase() !== 'failed');
  return {
    live: live.find((item) => item.order_id === orderId) ?? live[0] ?? null,
    failed: ofKind.find((item) => text(item.status)?.toLowerCase() === 'failed') ?? null,
    otherKind: ofKind.length < mine.length,
  };
}

/** A profile just assigned by an order: NOT_INSTALLED until the consumption read says more. */
/** An ICCID (E.118: 18 to 22 digits) or null: a placeholder never becomes a profile we sell. */
function iccidOf(value: unknown): string | null {
  const iccid = text(value);
  return iccid !== null && isIccid(iccid) ? iccid : null;
}

function assignedProfile(raw: Record<string, unknown>, iccid: string, expiry: unknown): UpstreamProfile {
  return {
    iccid,
    providerProfileId: iccid,
    rawStatus: 'success',
    status: ASSIGNED,
    ...activationOf(raw),
    expiresAt: isoOrNull(expiry),
  };
}

/**
 * Activation details, should an answer carry the FAQ's fields ("Key Fields Returned After
 * Completion": smdp_address, matching_id, activation_code; no endpoint is said to return them):
 * read when present, else null. Comium gives no QR image URL.
 */
function activationOf(raw: Record<string, unknown>): Pick<UpstreamProfile, 'smdpAddress' | 'matchingId' | 'qrCodeUrl'> {
  const lpa = /^LPA:1\$([^$]+)\$([^$]+)$/.exec(text(raw.activation_code) ?? '');
  return {
    smdpAddress: text(raw.smdp_address) ?? lpa?.[1] ?? null,
    matchingId: text(raw.matching_id) ?? lpa?.[2] ?? null,
    qrCodeUrl: null,
  };
}

function failureOf(raw: Record<string, unknown>): string {
  return text(raw.failure_reason) ?? text(raw.message) ?? 'refused by Comium';
}

function isWholeMb(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isoOrNull(value: unknown): string | null {
  const date = typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}
