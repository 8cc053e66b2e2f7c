import { bytesToMb } from '../../domain/data-units';
import { decimalFromUpstream } from '../../domain/money';
import type { SimOrder, SimPlanTerms, SimProfile, SimProfileState, SimTopUp } from '../shared/inventory';
import { ACCOUNT } from './auth';
import type { WirePlan } from './catalog';

/**
 * The platform's order and eSIM objects. Documented: the order's `id`, `user_id`, `plan_id`,
 * `plan_name`, `quantity`, `unit_price`, `total_amount`, `currency`, `status`, `iccid`,
 * `qr_code_url`, and the profile's `iccid`, `status` ("active"), `data_remaining`, `validity_days`.
 * Everything else (the `esims` list, `reference`, SM-DP+ fields, times) is ASSUMED.
 */

/** eSIM status words (only "active" is documented). */
export type WireEsimStatus = 'released' | 'installed' | 'active' | 'suspended' | 'depleted' | 'expired' | 'revoked' | 'cancelled';
/** Order status words, as the document's list filter names them. */
export type WireOrderStatus = 'pending' | 'active' | 'completed' | 'cancelled' | 'expired';

const ESIM_STATUS: Readonly<Record<SimProfileState, WireEsimStatus>> = {
  RELEASED: 'released', INSTALLED: 'installed', IN_USE: 'active', SUSPENDED: 'suspended',
  DEPLETED: 'depleted', EXPIRED: 'expired', REVOKED: 'revoked', CANCELLED: 'cancelled',
};
const FINISHED: readonly SimProfileState[] = ['DEPLETED', 'EXPIRED', 'REVOKED', 'CANCELLED'];
const DAY_MS = 86_400_000;
/** Where the platform hosts QR images (the document's example host, under our sandbox name). */
const QR_BASE = 'https://api.esim-platform.example/qr';

/** What the simulator keeps beside an inventory order (its `customer` slot). */
export interface OrderExtras {
  readonly reference: string | null;
  readonly email: string;
  readonly name: string;
  readonly planName: string;
}

/** The SimPlanTerms of a plan or package: the very decimal the adapter reads from the JSON number. */
export function termsOf(code: string, item: Pick<WirePlan, 'price' | 'data_volume_mb' | 'validity_days'>): SimPlanTerms {
  return { code, price: decimalFromUpstream(item.price), dataBytes: item.data_volume_mb === null ? null : item.data_volume_mb * 1024 * 1024, validityDays: item.validity_days };
}

export function wireEsim(p: SimProfile, now: number) {
  const remainingMs = p.expiresAt.getTime() - now;
  return {
    iccid: p.iccid,
    esim_tran_no: p.handle,
    order_id: p.orderId,
    plan_id: p.planCode,
    status: ESIM_STATUS[p.state],
    smdp_address: p.smdpAddress,
    matching_id: p.matchingId,
    activation_code: `LPA:1$${p.smdpAddress}$${p.matchingId}`,
    qr_code_url: `${QR_BASE}/${p.iccid}.png`,
    // Documented as plain numbers; MB, like the plans' data_volume_mb.
    data_used: Math.ceil(bytesToMb(p.usedBytes)),
    data_limit: p.totalBytes === null ? null : Math.floor(bytesToMb(p.totalBytes)),
    data_remaining: p.totalBytes === null ? null : Math.max(0, Math.floor(bytesToMb(p.totalBytes - p.usedBytes))),
    validity_days: p.activatedAt ? Math.max(0, Math.ceil(remainingMs / DAY_MS)) : p.validityDays,
    activated_at: p.activatedAt?.toISOString() ?? null,
    expires_at: p.expiresAt.toISOString(),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

export function wireOrder(o: SimOrder, now: number) {
  const extras = o.customer as OrderExtras;
  const esims = o.profiles.map((p) => wireEsim(p, now));
  return {
    id: o.id,
    user_id: ACCOUNT.id,
    reference: extras.reference,
    plan_id: o.plan.code,
    plan_name: extras.planName,
    quantity: o.quantity,
    unit_price: Number(o.plan.price),
    total_amount: Number(o.total),
    currency: 'USD',
    status: orderStatus(o),
    // The document's single-eSIM fields: the first eSIM, null until allocated.
    iccid: esims[0]?.iccid ?? null,
    qr_code_url: esims[0]?.qr_code_url ?? null,
    end_customer_email: extras.email,
    customer_name: extras.name,
    created_at: o.createdAt.toISOString(),
    esims,
  };
}

/** `topup_details` of "Top Up Profile" (documented as `{}`; fields ASSUMED), also the TOPUP_STATUS payload. */
export function wireTopUp(t: SimTopUp, p: SimProfile) {
  return {
    id: `topup-${t.id.slice(1).toLowerCase()}`,
    iccid: t.iccid,
    package_code: t.plan.code,
    price: Number(t.plan.price),
    currency: 'USD',
    data_added_mb: t.plan.dataBytes === null ? null : bytesToMb(t.plan.dataBytes),
    validity_days_added: t.plan.validityDays,
    status: 'completed',
    expires_at: p.expiresAt.toISOString(),
    created_at: t.createdAt.toISOString(),
  };
}

/** pending until allocated; then active while any eSIM can still be used, else how they all ended. */
export function orderStatus(o: SimOrder): WireOrderStatus {
  if (o.status === 'PROCESSING') return 'pending';
  const states = o.profiles.map((p) => p.state);
  if (states.every((s) => s === 'CANCELLED')) return 'cancelled';
  if (states.every((s) => s === 'EXPIRED')) return 'expired';
  return states.every((s) => FINISHED.includes(s)) ? 'completed' : 'active';
}
