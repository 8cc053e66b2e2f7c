import { BYTES_PER_MB } from '../../domain/data-units';
import type { SimProfile } from '../shared/inventory';
import type { SimBundle } from './catalog';
import { createdAt, type ComiumLedger, type LedgerEntry } from './ledger';

/**
 * Comium's wire shapes for orders and profiles (seed 002: GET /Orders, GET /Profile/Consumption),
 * exactly the documented fields. No activation details anywhere: Comium e-mails the eSIM to the
 * customer. Top-ups, which the document does not describe, are told apart in `/Orders` by the
 * ASSUMED `order_type: "topup"` (adapter README).
 */

/** `/Orders` status: the sale itself. */
export type SaleStatus = 'success' | 'failed' | 'pending';
/** `orders_balances[].status`. */
export type BalanceStatus = 'active' | 'expired' | 'depleted';
/** The document's `profile_status` enum, plus `suspended`, which no Comium endpoint can reach. */
export type ProfileWord = 'released' | 'downloaded' | 'active' | 'deleted' | 'suspended';

/** One `/Orders` item: the 9 fields of "Response (per order item)" and the changelog's `global_esim`. */
export interface WireOrderItem {
  readonly order_id: string;
  readonly order_reference: string;
  readonly bundle_code: string;
  readonly bundle_marketing_name: string;
  /** null until the bundle is assigned */
  readonly iccid: string | null;
  readonly status: SaleStatus;
  readonly created_at: string;
  readonly expiry_date: string | null;
  readonly amount_charged: number;
  readonly global_esim: boolean;
}

/** A top-up's `/Orders` item (undocumented): a sale's fields plus the ASSUMED `order_type`. */
export interface WireTopUpItem extends WireOrderItem {
  readonly order_type: 'topup';
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

/** `GET /Profile/Consumption`: exactly the documented fields. */
export interface WireConsumption {
  readonly iccid: string;
  readonly profile_status: ProfileWord;
  readonly profile_expiry_date: string;
  readonly orders_balances: WireBalance[];
}

/** One `/Orders` item (a top-up's carries `order_type`). */
export function orderItem(ledger: ComiumLedger, entry: LedgerEntry): WireOrderItem | WireTopUpItem {
  const created = createdAt(entry).toISOString();
  if (entry.kind === 'failed') {
    const { sale } = entry;
    const item = {
      ...base(sale.id, sale.reference, sale.bundle, 'failed', created),
      iccid: sale.iccid,
      amount_charged: 0,
      expiry_date: null,
    };
    return sale.type === 'topup' ? { ...item, order_type: 'topup' } : item;
  }
  if (entry.kind === 'topup') {
    const profile = ledger.inventory.profile(entry.profile.iccid)!;
    return {
      ...base(entry.id, entry.topUp.key, entry.bundle, 'success', created),
      iccid: profile.iccid,
      expiry_date: profile.expiresAt.toISOString(),
      amount_charged: Number(entry.topUp.plan.price),
      order_type: 'topup',
    };
  }
  const { order, bundle } = entry;
  const assigned = order.profiles[0] && ledger.inventory.profile(order.profiles[0].iccid);
  const head = {
    ...base(order.id, order.key, bundle, assigned ? 'success' : 'pending', created),
    amount_charged: Number(order.total),
  };
  return assigned
    ? { ...head, iccid: assigned.iccid, expiry_date: assigned.expiresAt.toISOString() }
    : { ...head, iccid: null, expiry_date: null };
}

/** `GET /Profile/Consumption`: the profile and one balance per bundle on it (sale, then top-ups). */
export function consumption(ledger: ComiumLedger, profile: SimProfile): WireConsumption {
  return {
    iccid: profile.iccid,
    profile_status: profileWord(profile),
    profile_expiry_date: profile.expiresAt.toISOString(),
    orders_balances: balances(ledger, profile),
  };
}

/** Data is drawn from the bundles in the order they were sold: the sale first, then each top-up. */
export function balances(ledger: ComiumLedger, profile: SimProfile): WireBalance[] {
  const bundles = [
    { orderId: profile.orderId, code: profile.planCode },
    ...profile.topUps.map((t) => ({ orderId: ledger.topUpId(t), code: t.plan.code })),
  ];
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

function base(orderId: string, reference: string, bundle: SimBundle, status: SaleStatus, created: string) {
  return {
    order_id: orderId,
    order_reference: reference,
    bundle_code: bundle.bundle_code,
    bundle_marketing_name: bundle.bundle_marketing_name,
    status,
    created_at: created,
    global_esim: bundle.profile_type === 'GLOBAL_ESIM',
  };
}
