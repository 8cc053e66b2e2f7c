import { mbToBytes } from '../../domain/data-units';
import { BadUserInputError } from '../../domain/errors';
import { planGlobalId } from '../../domain/ids';
import { compareDecimal, decimalFromUpstream, isCurrencyCode } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import { mapStatusWord, type ProfileStatus } from '../../domain/profile-status';
import type { ProviderNotes } from '../kit/notes';
import type {
  UpstreamOrder,
  UpstreamOrderRequest,
  UpstreamProfile,
  UpstreamTopUp,
  UpstreamUsage,
} from '../provider-adapter';
import { ESIMPLATFORM_ID } from './esimplatform.errors';
import type {
  RawOrder,
  RawOrderRequest,
  RawProfile,
  RawProfileUsage,
  RawTopUpPackage,
  RawTopUpResponse,
} from './esimplatform.order-types';

/** Where the pure mappers say that an undocumented field was absent (the adapter's ProviderNotes). */
export type NoteSink = Pick<ProviderNotes, 'missingField' | 'unknownWord'>;

/**
 * Every eSIM status word the platform sends (only "active" is documented; the rest ASSUMED and
 * served identically by the simulator). A word missing here maps to null and is noted.
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
 * The documented order words ("List User's Orders" filter: pending, active, completed, cancelled,
 * expired). The 201 example is `active` with its eSIM named: an active or completed order is done.
 */
export type OrderWord = 'PENDING' | 'DONE' | 'ENDED';
const ORDER_WORDS: Readonly<Record<string, OrderWord>> = {
  PENDING: 'PENDING',
  ACTIVE: 'DONE',
  COMPLETED: 'DONE',
  CANCELLED: 'ENDED',
  EXPIRED: 'ENDED',
};

/** The order word as we read it; null for a word the document does not list. */
export function orderWordOf(word: unknown): OrderWord | null {
  const key = typeof word === 'string' ? word.trim().toUpperCase() : '';
  return Object.hasOwn(ORDER_WORDS, key) ? ORDER_WORDS[key] : null;
}

/**
 * Our order request → the platform's body. The document requires `end_customer_email` and
 * `customer_name` (it mails the QR code to the customer): they come from the customer, never
 * invented. The order service refuses an order without them first; this is the second guard,
 * before any upstream call. The document names one eSIM per order answer, hence one per call.
 */
export function orderRequestOf(request: UpstreamOrderRequest): RawOrderRequest {
  const email = request.customer?.email?.trim();
  const name = request.customer?.name?.trim();
  if (!email || !name) {
    const field = email ? 'customer.name' : 'customer.email';
    throw new BadUserInputError(
      `eSIM Platform delivers the eSIM to the customer: customer.email and customer.name are required for its plans.`,
      field,
    );
  }
  if (request.quantity !== 1)
    throw new BadUserInputError(
      'eSIM Platform orders one eSIM per call (its order answer names one eSIM).',
      'quantity',
    );
  return {
    plan_id: request.planCode,
    quantity: 1,
    end_customer_email: email,
    customer_name: name,
    reference: request.reference,
  };
}

/**
 * An order as the gateway sees it, given the eSIM its answer names (`profile`, null when none is
 * known yet): pending → PROCESSING; active/completed → COMPLETED with that eSIM, PROCESSING while
 * none is known; cancelled/expired → FAILED; an unknown word → PROCESSING (read again later).
 */
export function mapOrder(raw: RawOrder, profile: UpstreamProfile | null): UpstreamOrder {
  const word = orderWordOf(raw.status);
  if (word === 'ENDED')
    return {
      providerOrderId: raw.id,
      status: 'FAILED',
      profiles: [],
      failureReason: `order ${raw.status.trim().toLowerCase()} upstream`,
    };
  if (word === 'DONE' && profile) return { providerOrderId: raw.id, status: 'COMPLETED', profiles: [profile] };
  return { providerOrderId: raw.id, status: 'PROCESSING', profiles: [] };
}

/**
 * "Get Profile Information" → a profile. The platform documents no per-eSIM handle besides the
 * ICCID (`esimTranNo` is named as an identifier, never shown), so the ICCID is our handle. The
 * document shows no activation fields: `qrCodeUrl` is the order's `qr_code_url` when we have it.
 */
export function mapProfile(raw: RawProfile, qrCodeUrl: string | null = null): UpstreamProfile {
  return {
    iccid: raw.iccid,
    providerProfileId: raw.iccid,
    rawStatus: raw.status,
    status: mapStatusWord(ESIM_STATUS_TABLE, raw.status),
    smdpAddress: null,
    matchingId: null,
    qrCodeUrl,
    expiresAt: null,
  };
}

/**
 * The eSIM a done order names when its own state could not be read: the order's word stands in
 * as the raw word, and the state is left unknown (the gateway stores a new profile as not yet
 * installed and reads it again).
 */
export function orderProfileOf(raw: RawOrder & { readonly iccid: string }): UpstreamProfile {
  return {
    iccid: raw.iccid,
    providerProfileId: raw.iccid,
    rawStatus: raw.status,
    status: null,
    smdpAddress: null,
    matchingId: null,
    qrCodeUrl: text(raw.qr_code_url),
    expiresAt: null,
  };
}

/**
 * "Get Profile Usage" → bytes. The document states no unit; it is read as MB (1 MB = 1024²
 * bytes; README "Usage unit"). A null limit is unlimited (ASSUMED). The answer carries no
 * measurement time, so `receivedAt` stands in. null for a reading that is not a count.
 */
export function mapProfileUsage(raw: RawProfileUsage, receivedAt: string): UpstreamUsage | null {
  const limit = raw?.data_limit;
  if (!isMb(raw?.data_used) || (limit !== null && !isMb(limit))) return null;
  return {
    usedBytes: mbToBytes(raw.data_used),
    totalBytes: limit === null ? null : mbToBytes(limit),
    updatedAt: receivedAt,
  };
}

/**
 * The coverage a top-up package gets when no base plan is known: the answer names none (its
 * documented shape has no plan id) and no documented read gives a profile's plan.
 */
const UNKNOWN_BASE = {
  coverage: 'GLOBAL',
  countries: [],
  regionName: null,
  networks: [],
  profileType: 'STANDARD',
  voiceMinutes: null,
  smsCount: null,
  dayPass: false,
} as const;

/**
 * A top-up package as a plan: its own code, data, days and price; coverage, countries and
 * networks are its base plan's when known (packages top up that plan only), else UNKNOWN_BASE.
 * The document gives no currency: the base plan's, else USD (the document's only currency).
 * null when the package cannot be normalized.
 */
export function mapTopUpOption(raw: RawTopUpPackage, base: CatalogPlan | null, notes?: NoteSink): CatalogPlan | null {
  if (typeof raw?.package_code !== 'string' || raw.package_code.trim() === '') return null;
  const mb = raw.data_volume_mb;
  if (mb !== null && !(isMb(mb) && mb > 0)) return null;
  if (!Number.isSafeInteger(raw.validity_days) || raw.validity_days < 1) return null;
  if (raw.currency === undefined)
    notes?.missingField('plans[].currency', base ? 'the base plan currency' : 'USD, the document’s only currency');
  const currency = raw.currency ?? base?.wholesalePrice.currency ?? 'USD';
  if (!isCurrencyCode(currency) || (typeof raw.price !== 'number' && typeof raw.price !== 'string')) return null;
  let amount: string;
  try {
    amount = decimalFromUpstream(raw.price);
  } catch {
    return null;
  }
  if (compareDecimal(amount, '0') <= 0) return null;
  const code = raw.package_code.trim();
  return {
    ...(base ?? UNKNOWN_BASE),
    id: planGlobalId(ESIMPLATFORM_ID, code),
    providerId: ESIMPLATFORM_ID,
    code,
    name: text(raw.name) ?? code,
    dataBytes: mb === null ? null : mbToBytes(mb),
    validityDays: raw.validity_days,
    wholesalePrice: { amount, currency },
    topUpSupported: false,
  };
}

/**
 * "Top Up Profile" answer → a top-up. Documented: `{ success: true, message, topup_details: {} }`,
 * so `success: true` (a refusal never gets here) is a completed top-up and its id is our own
 * reference unless `topup_details` ever carries one. An undocumented `status` is honoured when
 * it says pending or failed.
 */
export function mapTopUpAnswer(raw: RawTopUpResponse | undefined, reference: string, notes?: NoteSink): UpstreamTopUp {
  const details = raw?.topup_details ?? {};
  const id = text(details.id);
  if (!id) notes?.missingField('topup_details.id', 'our top-up reference');
  const word = text(details.status)?.toUpperCase();
  const status = word === 'PENDING' ? 'PROCESSING' : word === 'FAILED' ? 'FAILED' : 'COMPLETED';
  if (word !== undefined && !['PENDING', 'FAILED', 'COMPLETED'].includes(word))
    notes?.unknownWord('top-up', details.status, 'COMPLETED (success: true)');
  return {
    providerTopUpId: id ?? reference,
    status,
    ...(status === 'FAILED' ? { failureReason: 'top-up failed upstream' } : {}),
    expiresAt: isoUtc(details.expires_at),
  };
}

/** ISO-8601 UTC, or null for a missing or unreadable time. */
export function isoUtc(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A trimmed non-empty string, else null. */
function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function isMb(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
