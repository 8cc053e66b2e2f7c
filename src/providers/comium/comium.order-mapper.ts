import { mbToBytes } from '../../domain/data-units';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type { UpstreamOrder, UpstreamProfile, UpstreamTopUp, UpstreamUsage } from '../provider-adapter';
import { isRecord, skip, text, type MapOutcome } from './comium.mapper';

/**
 * Comium's profile state is two words: `profile_status` (the eSIM on the SM-DP+/device: released,
 * downloaded, active, deleted) and the plan on it (active, pending, depleted, expired; for
 * `/Profile/Consumption` the aggregate of `orders_balances[].status`). The raw status is
 * "<profile_status>/<plan status>", mapped through this exhaustive table; anything else is null.
 * The plan word wins where it ends the service (depleted, expired); `deleted` is final.
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
  'DELETED/PENDING': 'REVOKED',
  'DELETED/ACTIVE': 'REVOKED',
  'DELETED/DEPLETED': 'REVOKED',
  'DELETED/EXPIRED': 'REVOKED',
};

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

/** A `/Orders` item, or the body of a sale: the order, with its profile once assigned. */
export function toUpstreamOrder(raw: unknown): MapOutcome<UpstreamOrder> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  const id = text(raw.order_id);
  if (id === null) return skip(null, 'missing order_id');
  switch (text(raw.status)?.toLowerCase()) {
    case 'pending':
      return { ok: true, value: { providerOrderId: id, status: 'PROCESSING', profiles: [] } };
    case 'failed':
      return { ok: true, value: { providerOrderId: id, status: 'FAILED', profiles: [], failureReason: failureOf(raw) } };
    case 'success': {
      const profile = toUpstreamProfile(raw, raw.plan_status, raw.expiry_date);
      return profile.ok ? { ok: true, value: { providerOrderId: id, status: 'COMPLETED', profiles: [profile.value] } } : skip(id, profile.reason);
    }
    default:
      return skip(id, `unknown order status ${String(raw.status)}`);
  }
}

/** A `/Profile/Consumption` body → the profile; the plan word comes from its balances. */
export function toProfileFromConsumption(raw: unknown): MapOutcome<UpstreamProfile> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  return toUpstreamProfile(raw, planStatusOf(raw.orders_balances), raw.profile_expiry_date);
}

/** A `/Profile/Consumption` body → usage: balances summed over every bundle (sale and top-ups), MB → bytes. */
export function toUpstreamUsage(raw: unknown, now: Date): MapOutcome<UpstreamUsage> {
  if (!isRecord(raw) || !Array.isArray(raw.orders_balances)) return skip(null, 'missing orders_balances');
  let used = 0;
  let total: number | null = 0;
  for (const balance of raw.orders_balances) {
    if (!isRecord(balance)) return skip(null, 'malformed balance');
    // An unlimited bundle has no total: the profile's total is then unlimited too.
    if (balance.total_data === null || String(balance.total_data).toLowerCase() === 'unlimited') {
      total = null;
      continue;
    }
    if (!isWholeMb(balance.total_data) || !isWholeMb(balance.remaining_data)) return skip(null, 'malformed remaining_data/total_data');
    used += Math.max(0, balance.total_data - balance.remaining_data);
    if (total !== null) total += balance.total_data;
  }
  return { ok: true, value: { usedBytes: mbToBytes(used), totalBytes: total === null ? null : mbToBytes(total), updatedAt: now.toISOString() } };
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
      return { ok: true, value: { providerTopUpId: id, status: 'FAILED', failureReason: failureOf(raw), expiresAt: null } };
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

export function matchReference(items: readonly unknown[], reference: string, kind: 'new' | 'topup', orderId: string | null = null): ReferenceMatch {
  const mine = items.filter(isRecord).filter((item) => item.order_reference === reference);
  const ofKind = mine.filter((item) => (item.order_type === 'topup' ? 'topup' : 'new') === kind);
  const live = ofKind.filter((item) => text(item.status)?.toLowerCase() !== 'failed');
  return {
    live: live.find((item) => item.order_id === orderId) ?? live[0] ?? null,
    failed: ofKind.find((item) => text(item.status)?.toLowerCase() === 'failed') ?? null,
    otherKind: ofKind.length < mine.length,
  };
}

/**
 * Installation details: the FAQ's `smdp_address` and `matching_id`, or else the parts of the
 * LPA `activation_code` ("LPA:1$<smdp>$<matching id>"). Comium gives no QR image URL (ASSUMED):
 * the activation code is what a QR encodes.
 */
function toUpstreamProfile(raw: Record<string, unknown>, planStatus: unknown, expiry: unknown): MapOutcome<UpstreamProfile> {
  const iccid = text(raw.iccid);
  if (iccid === null || !/^\d{18,22}$/.test(iccid)) return skip(null, 'missing or malformed iccid');
  const lpa = /^LPA:1\$([^$]+)\$([^$]+)$/.exec(text(raw.activation_code) ?? '');
  const smdpAddress = text(raw.smdp_address) ?? lpa?.[1] ?? null;
  const matchingId = text(raw.matching_id) ?? lpa?.[2] ?? null;
  if (smdpAddress === null || matchingId === null) return skip(iccid, 'missing installation details');
  const rawStatus = statusWord(raw.profile_status, planStatus);
  return {
    ok: true,
    value: { iccid, providerProfileId: iccid, rawStatus, status: mapStatusWord(COMIUM_PROFILE_STATUS, rawStatus), smdpAddress, matchingId, qrCodeUrl: null, expiresAt: isoOrNull(expiry) },
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
