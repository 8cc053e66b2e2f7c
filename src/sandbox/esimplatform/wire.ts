import { bytesToMb } from '../../domain/data-units';
import { decimalFromUpstream } from '../../domain/money';
import type { SimOrder, SimPlanTerms, SimProfile, SimProfileState } from '../shared/inventory';
import { ACCOUNT } from './auth';
import type { WirePlan } from './catalog';

/**
 * The platform's order, profile and usage objects, exactly as seed 003 prints them where it does:
 * the order of "Create New eSIM Order" (`id`, `user_id`, `plan_id`, `plan_name`, `quantity`,
 * `unit_price`, `total_amount`, `currency`, `status`, `iccid`, `qr_code_url`), the `profile` of
 * "Get Profile Information" (`iccid`, `status`, `data_remaining`, `validity_days`) and the `usage`
 * of "Get Profile Usage" (`data_used`, `data_limit`, `percent_used`). Data is in MB everywhere
 * (1 MB = 1024² bytes). Beyond them (the adapter's assumptions): `reference` on order reads, the
 * status words other than "active", nulls while pending or unlimited.
 */

/** eSIM status words (only "active" is documented). */
export type WireEsimStatus =
  'released' | 'installed' | 'active' | 'suspended' | 'depleted' | 'expired' | 'revoked' | 'cancelled';
/** Order status words, as the document's list filter names them. */
export type WireOrderStatus = 'pending' | 'active' | 'completed' | 'cancelled' | 'expired';

const ESIM_STATUS: Readonly<Record<SimProfileState, WireEsimStatus>> = {
  RELEASED: 'released',
  INSTALLED: 'installed',
  IN_USE: 'active',
  SUSPENDED: 'suspended',
  DEPLETED: 'depleted',
  EXPIRED: 'expired',
  REVOKED: 'revoked',
  CANCELLED: 'cancelled',
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
export function termsOf(
  code: string,
  item: Pick<WirePlan, 'price' | 'data_volume_mb' | 'validity_days'>,
): SimPlanTerms {
  return {
    code,
    price: decimalFromUpstream(item.price),
    dataBytes: item.data_volume_mb === null ? null : item.data_volume_mb * 1024 * 1024,
    validityDays: item.validity_days,
  };
}

/** "Get Profile Information" `profile`: the documented four fields, data in MB (null when unlimited). */
export function wireProfile(p: SimProfile, now: number) {
  const remainingMs = p.expiresAt.getTime() - now;
  return {
    iccid: p.iccid,
    status: ESIM_STATUS[p.state],
    data_remaining: p.totalBytes === null ? null : Math.max(0, Math.floor(bytesToMb(p.totalBytes - p.usedBytes))),
    // Days left once activated; the plan's days before (the document's 28 reads as "left").
    validity_days: p.activatedAt ? Math.max(0, Math.ceil(remainingMs / DAY_MS)) : p.validityDays,
  };
}

/**
 * "Get Profile Usage" `usage` in MB: a started MB counts as used (rounded up), the limit is whole
 * MB (plans and top-ups are whole MB); null limit and percentage when unlimited.
 */
export function wireUsage(p: SimProfile) {
  const limit = p.totalBytes === null ? null : Math.floor(bytesToMb(p.totalBytes));
  const used = Math.ceil(bytesToMb(p.usedBytes));
  return {
    data_used: used,
    data_limit: limit,
    percent_used: limit ? Math.min(100, Math.round((100 * p.usedBytes) / p.totalBytes!)) : null,
  };
}

/** The order of the 201 answer: the documented fields only; `iccid`/`qr_code_url` null while pending. */
export function wireOrder(o: SimOrder) {
  const extras = o.customer as OrderExtras;
  const first = o.profiles[0];
  return {
    id: o.id,
    user_id: ACCOUNT.id,
    plan_id: o.plan.code,
    plan_name: extras.planName,
    quantity: o.quantity,
    unit_price: Number(o.plan.price),
    total_amount: Number(o.total),
    currency: 'USD',
    status: orderStatus(o),
    iccid: first?.iccid ?? null,
    qr_code_url: first ? qrCodeUrlOf(first) : null,
  };
}

/** The order on "Get Order Details" and "List User's Orders" (no body documented): plus our `reference` (ASSUMED). */
export function wireOrderRead(o: SimOrder) {
  return { ...wireOrder(o), reference: (o.customer as OrderExtras).reference };
}

export function qrCodeUrlOf(p: SimProfile): string {
  return `${QR_BASE}/${p.iccid}.png`;
}

/** pending until allocated; then active while any eSIM can still be used, else how they all ended. */
export function orderStatus(o: SimOrder): WireOrderStatus {
  if (o.status === 'PROCESSING') return 'pending';
  const states = o.profiles.map((p) => p.state);
  if (states.every((s) => s === 'CANCELLED')) return 'cancelled';
  if (states.every((s) => s === 'EXPIRED')) return 'expired';
  return states.every((s) => FINISHED.includes(s)) ? 'completed' : 'active';
}
