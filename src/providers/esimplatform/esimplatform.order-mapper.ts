import { mbToBytes } from '../../domain/data-units';
import { planGlobalId } from '../../domain/ids';
import { compareDecimal, decimalFromUpstream, isCurrencyCode } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type { RawOrderRequest, RawEsim, RawOrder, RawTopUpDetails, RawTopUpPackage, RawUsage } from './esimplatform.order-types';
import type { UpstreamOrder, UpstreamOrderRequest, UpstreamOrderStatus, UpstreamProfile, UpstreamTopUp, UpstreamUsage } from '../provider-adapter';
import { ESIMPLATFORM_ID } from './esimplatform.errors';

/**
 * Every eSIM status word the platform sends (only "active" is documented; the rest ASSUMED and
 * served identically by the simulator). A word missing here maps to null and is logged.
 */
export const ESIM_STATUS_TABLE: Readonly<Record<string, ProfileStatus>> = {
  RELEASED: 'NOT_INSTALLED',
  INSTALLED: 'INSTALLED',
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  DEPLETED: 'DEPLETED',
  EXPIRED: 'EXPIRED',
  REVOKED: 'REVOKED',
  CANCELLED: 'CANCELLED',
};

/**
 * Order words (documented: pending, active, completed, cancelled, expired; "failed" ASSUMED).
 * ALLOCATED: the eSIMs were handed out, whatever happened to them since.
 */
const ORDER_STATUS_TABLE: Readonly<Record<string, 'PENDING' | 'ALLOCATED' | 'FAILED'>> = {
  PENDING: 'PENDING', ACTIVE: 'ALLOCATED', COMPLETED: 'ALLOCATED', EXPIRED: 'ALLOCATED', CANCELLED: 'ALLOCATED', FAILED: 'FAILED',
};

/** Whether the order's status word is one the table knows (the adapter logs the others). */
export function isKnownOrderStatus(word: string): boolean {
  return Object.hasOwn(ORDER_STATUS_TABLE, word.trim().toUpperCase());
}

/**
 * Our order request → the platform's body. The document requires a customer email and name (the
 * platform mails the QR code); without a customer we send the reseller's own login email and
 * our reference as the name (ASSUMED acceptable upstream).
 */
export function orderRequestOf(request: UpstreamOrderRequest, accountEmail: string): RawOrderRequest {
  return {
    plan_id: request.planCode,
    quantity: request.quantity,
    end_customer_email: request.customer?.email || accountEmail,
    customer_name: request.customer?.name || `Order ${request.reference}`,
    reference: request.reference,
  };
}

/**
 * COMPLETED once every eSIM of the quantity is listed; an order cancelled before allocation is
 * FAILED; an unknown word keeps it PROCESSING (asked again later, never guessed as done).
 */
export function mapOrder(raw: RawOrder): UpstreamOrder {
  const profiles = (raw.esims ?? []).map(mapEsim);
  const upper = raw.status.trim().toUpperCase();
  const word = isKnownOrderStatus(upper) ? ORDER_STATUS_TABLE[upper] : null;
  const complete = profiles.length === raw.quantity;
  let status: UpstreamOrderStatus = 'PROCESSING';
  if (word === 'FAILED' || (upper === 'CANCELLED' && !complete)) status = 'FAILED';
  else if (word === 'ALLOCATED' && complete) status = 'COMPLETED';
  return {
    providerOrderId: raw.id,
    status,
    profiles: status === 'COMPLETED' ? profiles : [],
    ...(status === 'FAILED' ? { failureReason: `order ${raw.status.trim().toLowerCase()} upstream` } : {}),
  };
}

export function mapEsim(raw: RawEsim): UpstreamProfile {
  const lpa = parseActivationCode(raw.activation_code);
  return {
    iccid: raw.iccid,
    providerProfileId: raw.esim_tran_no,
    rawStatus: raw.status,
    status: mapStatusWord(ESIM_STATUS_TABLE, raw.status),
    smdpAddress: raw.smdp_address || lpa?.smdp || '',
    matchingId: raw.matching_id || lpa?.matchingId || '',
    qrCodeUrl: raw.qr_code_url || null,
    expiresAt: isoUtc(raw.expires_at),
  };
}

/** Bytes as counted upstream; `receivedAt` stands in when the platform gives no measurement time. */
export function mapUsage(raw: RawUsage, receivedAt: string): UpstreamUsage | null {
  const total = raw.totalData;
  if (!isByteCount(raw.dataUsage) || (total !== null && !isByteCount(total))) return null;
  return { usedBytes: raw.dataUsage, totalBytes: total, updatedAt: isoUtc(raw.lastUpdateTime) ?? receivedAt };
}

/**
 * A top-up package as a plan: coverage, countries and networks are its base plan's (packages
 * top up that plan only); data, days and price its own. null when it cannot be normalized.
 */
export function mapTopUpOption(raw: RawTopUpPackage, base: CatalogPlan): CatalogPlan | null {
  if (typeof raw?.package_code !== 'string' || raw.package_code === '') return null;
  const mb = raw.data_volume_mb;
  if (mb !== null && !(typeof mb === 'number' && Number.isFinite(mb) && mb > 0)) return null;
  if (!Number.isSafeInteger(raw.validity_days) || raw.validity_days < 1) return null;
  // The platform bills in one currency (USD throughout the document); a package states it or inherits it.
  const currency = raw.currency ?? base.wholesalePrice.currency;
  if (!isCurrencyCode(currency) || (typeof raw.price !== 'number' && typeof raw.price !== 'string')) return null;
  let amount: string;
  try {
    amount = decimalFromUpstream(raw.price);
  } catch {
    return null;
  }
  if (compareDecimal(amount, '0') <= 0) return null;
  return {
    ...base,
    id: planGlobalId(ESIMPLATFORM_ID, raw.package_code),
    code: raw.package_code,
    name: raw.name?.trim() || raw.package_code,
    dataBytes: mb === null ? null : mbToBytes(mb),
    validityDays: raw.validity_days,
    wholesalePrice: { amount, currency },
    topUpSupported: false,
  };
}

/** Top-up words (ASSUMED: completed, pending, failed); an unknown word stays PROCESSING. */
export function mapTopUp(raw: RawTopUpDetails): UpstreamTopUp {
  const word = raw.status.trim().toUpperCase();
  const status = word === 'COMPLETED' ? 'COMPLETED' : word === 'FAILED' ? 'FAILED' : 'PROCESSING';
  return {
    providerTopUpId: raw.id,
    status,
    ...(status === 'FAILED' ? { failureReason: 'top-up failed upstream' } : {}),
    expiresAt: isoUtc(raw.expires_at),
  };
}

/** "LPA:1$<smdp>$<matching id>", the GSMA activation code. */
function parseActivationCode(code: string | null | undefined): { smdp: string; matchingId: string } | null {
  const match = typeof code === 'string' ? /^LPA:1\$([^$]+)\$([^$]+)/.exec(code) : null;
  return match ? { smdp: match[1], matchingId: match[2] } : null;
}

/** ISO-8601 UTC, or null for a missing or unreadable time. */
export function isoUtc(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function isByteCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
