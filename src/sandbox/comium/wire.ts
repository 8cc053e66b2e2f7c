import { BYTES_PER_MB } from '../../domain/data-units';
import type { SimProfile } from '../shared/inventory';
import type { ProfileType, WireBundle } from './catalog';
import { createdAt, type ComiumLedger, type LedgerEntry } from './ledger';

/**
 * Comium's wire shapes for orders and profiles (seed 002: POST /Bundle, GET /Orders,
 * GET /Profile/Consumption). Fields the document lists only in its FAQ ("Key Fields Returned
 * After Completion": smdp_address, matching_id, activation_code, plan_status) or not at all
 * (order_type, failure_reason, profile_type) are assumptions, listed in the adapter README.
 */

/** `/Orders` status: the sale itself. */
export type SaleStatus = 'success' | 'failed' | 'pending';
/** The document's "order status" enum: the plan on the profile. */
export type PlanStatus = 'active' | 'pending' | 'depleted' | 'expired';
/** `orders_balances[].status`. */
export type BalanceStatus = 'active' | 'expired' | 'depleted';
/** The document's `profile_status` enum, plus `suspended`, which no Comium endpoint can reach. */
export type ProfileWord = 'released' | 'downloaded' | 'active' | 'deleted' | 'suspended';

/** Installation details (FAQ fields); null until the sale is assigned. */
export interface WireInstall {
  readonly iccid: string | null;
  readonly smdp_address: string | null;
  readonly matching_id: string | null;
  /** The LPA string `LPA:1$<smdp>$<matching id>` a QR code encodes. */
  readonly activation_code: string | null;
}

export interface WireOrderItem extends WireInstall {
  readonly order_id: string;
  readonly order_reference: string;
  readonly order_type: 'new' | 'topup';
  readonly bundle_code: string;
  readonly bundle_marketing_name: string;
  readonly status: SaleStatus;
  readonly created_at: string;
  readonly expiry_date: string | null;
  readonly amount_charged: number;
  readonly global_esim: boolean;
  readonly profile_status: ProfileWord | null;
  readonly plan_status: PlanStatus | null;
  readonly failure_reason: string | null;
}

export interface WireBalance {
  readonly order_id: string;
  readonly bundle_code: string;
  /** MB, whole: a partly used MB counts as used. null for unlimited bundles. */
  readonly remaining_data: number | null;
  readonly total_data: number | null;
  readonly remaining_calls: number | null;
  readonly remaining_sms: number | null;
  readonly expiry_date: string;
  readonly status: BalanceStatus;
}

export interface WireConsumption extends WireInstall {
  readonly iccid: string;
  readonly profile_status: ProfileWord;
  readonly profile_expiry_date: string;
  readonly profile_type: ProfileType;
  readonly orders_balances: WireBalance[];
}

/** One `/Orders` item (also the body of a sale or top-up answer). */
export function orderItem(ledger: ComiumLedger, entry: LedgerEntry): WireOrderItem {
  const created = createdAt(entry).toISOString();
  if (entry.kind === 'failed') {
    const { sale } = entry;
    return { ...base(sale.id, sale.reference, sale.type, sale.bundle, 'failed', created), ...noInstall(), iccid: sale.iccid, amount_charged: 0, expiry_date: null, profile_status: null, plan_status: null, failure_reason: sale.reason };
  }
  if (entry.kind === 'topup') {
    const profile = ledger.inventory.profile(entry.profile.iccid)!;
    return { ...base(entry.id, entry.topUp.key, 'topup', entry.bundle, 'success', created), ...profileFields(ledger, profile), amount_charged: Number(entry.topUp.plan.price), failure_reason: null };
  }
  const { order, bundle } = entry;
  const assigned = order.profiles[0] && ledger.inventory.profile(order.profiles[0].iccid);
  const head = { ...base(order.id, order.key, 'new', bundle, assigned ? 'success' : 'pending', created), amount_charged: Number(order.total), failure_reason: null };
  return assigned ? { ...head, ...profileFields(ledger, assigned) } : { ...head, ...noInstall(), expiry_date: null, profile_status: null, plan_status: 'pending' };
}

/** `GET /Profile/Consumption`: the profile and one balance per bundle on it (sale, then top-ups). */
export function consumption(ledger: ComiumLedger, profile: SimProfile): WireConsumption {
  const origin = ledger.inventory.order(profile.orderId)!;
  return {
    ...install(profile),
    iccid: profile.iccid,
    profile_status: profileWord(profile),
    profile_expiry_date: profile.expiresAt.toISOString(),
    profile_type: ledger.bundle(origin.plan.code)!.profile_type,
    orders_balances: balances(ledger, profile),
  };
}

/** Data is drawn from the bundles in the order they were sold: the sale first, then each top-up. */
export function balances(ledger: ComiumLedger, profile: SimProfile): WireBalance[] {
  const bundles = [{ orderId: profile.orderId, code: profile.planCode }, ...profile.topUps.map((t) => ({ orderId: ledger.topUpId(t), code: t.plan.code }))];
  let unused = profile.usedBytes;
  return bundles.map(({ orderId, code }) => {
    const bundle = ledger.bundle(code)!;
    const totalBytes = ledger.terms(bundle).dataBytes;
    const drawn = totalBytes === null ? unused : Math.min(unused, totalBytes);
    unused -= drawn;
    const remaining = totalBytes === null ? null : Math.floor((totalBytes - drawn) / BYTES_PER_MB);
    const status: BalanceStatus = profile.state === 'EXPIRED' ? 'expired' : remaining === 0 ? 'depleted' : 'active';
    return {
      order_id: orderId,
      bundle_code: code,
      remaining_data: remaining,
      total_data: totalBytes === null ? null : totalBytes / BYTES_PER_MB,
      // Voice and SMS use is not simulated: what the bundle grants stays available.
      remaining_calls: bundle.supports_calls_sms ? bundle.calls_quota : null,
      remaining_sms: bundle.supports_calls_sms ? bundle.sms_quota : null,
      expiry_date: profile.expiresAt.toISOString(),
      status,
    };
  });
}

export function profileWord(profile: SimProfile): ProfileWord {
  switch (profile.state) {
    case 'RELEASED':
      return 'released';
    case 'INSTALLED':
      return 'downloaded';
    case 'IN_USE':
    case 'DEPLETED':
      return 'active';
    case 'EXPIRED':
      return profile.activatedAt ? 'active' : 'released';
    case 'REVOKED':
    case 'CANCELLED':
      return 'deleted';
    case 'SUSPENDED':
      return 'suspended';
  }
}

/** The plan on the profile: active while any bundle has data left, else depleted, else expired. */
function planWord(balances: readonly WireBalance[]): PlanStatus {
  if (balances.some((b) => b.status === 'active')) return 'active';
  return balances.some((b) => b.status === 'depleted') ? 'depleted' : 'expired';
}

function profileFields(ledger: ComiumLedger, profile: SimProfile) {
  return { ...install(profile), expiry_date: profile.expiresAt.toISOString(), profile_status: profileWord(profile), plan_status: planWord(balances(ledger, profile)) };
}

function install(profile: SimProfile): WireInstall {
  return { iccid: profile.iccid, smdp_address: profile.smdpAddress, matching_id: profile.matchingId, activation_code: `LPA:1$${profile.smdpAddress}$${profile.matchingId}` };
}

function noInstall(): WireInstall {
  return { iccid: null, smdp_address: null, matching_id: null, activation_code: null };
}

function base(orderId: string, reference: string, type: 'new' | 'topup', bundle: WireBundle, status: SaleStatus, created: string) {
  return {
    order_id: orderId,
    order_reference: reference,
    order_type: type,
    bundle_code: bundle.bundle_code,
    bundle_marketing_name: bundle.bundle_marketing_name,
    status,
    created_at: created,
    global_esim: bundle.profile_type === 'GLOBAL_ESIM',
  };
}
