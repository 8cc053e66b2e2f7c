import { bytesToMb, mbToBytes } from '../../domain/data-units';
import type { SimOrder, SimPlanTerms, SimProfile, SimProfileState, SimTopUp } from '../shared/inventory';
import type { ProductWire } from './catalog';
import { microsecondTimestamp } from './errors';

/**
 * The ordering wire format of the simulator. Field names are ASSUMED (see the adapter README),
 * except the MB data fields of usage (`data_consumed`, `data_total`, `percentage_consumed`), the
 * lifecycle words DOWNLOADED/INSTALLED/ENABLED/DISABLED/DELETED, numeric-string product ids and
 * microsecond timestamps, which follow ConnectedYou's outbound events (research §2.2).
 */

/**
 * One word per simulated state. RELEASED (allocated, never downloaded), ACTIVE (data in use),
 * DEPLETED, EXPIRED, SUSPENDED and CANCELLED are assumed; INSTALLED and DELETED (the device
 * removed the profile, which cannot be downloaded again) are the documented lifecycle words.
 */
export const ESIM_STATUS_WORDS: Readonly<Record<SimProfileState, string>> = {
  RELEASED: 'RELEASED',
  INSTALLED: 'INSTALLED',
  IN_USE: 'ACTIVE',
  DEPLETED: 'DEPLETED',
  EXPIRED: 'EXPIRED',
  SUSPENDED: 'SUSPENDED',
  REVOKED: 'DELETED',
  CANCELLED: 'CANCELLED',
};

/** What the caller sent along with an order, kept in the inventory's `customer` slot. */
export interface OrderExtras {
  readonly reference: string | null;
  readonly customer: { readonly email: string | null; readonly name: string | null } | null;
}

export function planTerms(product: ProductWire): SimPlanTerms {
  return { code: product.product_id, price: product.price, dataBytes: product.data_mb === null ? null : mbToBytes(product.data_mb), validityDays: product.validity_days };
}

/** `ord_` + 12 hex digits; the portal's order number (seed environment: `CY10001`) comes from the same sequence. */
export function orderIdOf(seq: number): string {
  return `ord_${seq.toString(16).padStart(12, '0')}`;
}

function orderNumberOf(orderId: string): string {
  return `CY${parseInt(orderId.slice(4), 16)}`;
}

export function renderOrder(order: SimOrder, currency: string) {
  const extras = order.customer as OrderExtras;
  return {
    order_id: order.id,
    order_number: orderNumberOf(order.id),
    reference: extras.reference,
    status: order.status === 'ALLOCATED' ? 'COMPLETED' : 'PROCESSING',
    product_id: order.plan.code,
    quantity: order.quantity,
    unit_price: order.plan.price,
    total_price: order.total,
    currency,
    customer: extras.customer,
    esims: order.profiles.map(renderEsim),
    created_at: microsecondTimestamp(order.createdAt),
    completed_at: order.allocatedAt ? microsecondTimestamp(order.allocatedAt) : null,
  };
}

/** Validity starts at first use ("first attach", PRODUCT_STATUS_CHANGE), so no expiry before it. */
export function renderEsim(profile: SimProfile) {
  return {
    iccid: profile.iccid,
    order_id: profile.orderId,
    product_id: profile.planCode,
    status: ESIM_STATUS_WORDS[profile.state],
    eid: null,
    smdp_address: profile.smdpAddress,
    matching_id: profile.matchingId,
    activation_code: `LPA:1$${profile.smdpAddress}$${profile.matchingId}`,
    activated_at: profile.activatedAt ? microsecondTimestamp(profile.activatedAt) : null,
    expires_at: profile.activatedAt ? microsecondTimestamp(profile.expiresAt) : null,
    created_at: microsecondTimestamp(profile.createdAt),
    updated_at: microsecondTimestamp(profile.updatedAt),
  };
}

/** MB with two decimals, as the USAGE_ALERT event counts (e.g. 525.01 of 1024). */
export function renderUsage(profile: SimProfile) {
  const total = profile.totalBytes === null ? null : mb2(profile.totalBytes);
  return {
    iccid: profile.iccid,
    data_consumed: mb2(profile.usedBytes),
    data_total: total,
    percentage_consumed: profile.totalBytes ? Math.round((profile.usedBytes / profile.totalBytes) * 10_000) / 100 : null,
    updated_at: microsecondTimestamp(profile.updatedAt),
  };
}

export function renderTopUp(topUp: SimTopUp, profile: SimProfile, currency: string) {
  return {
    topup_id: `top_${topUp.id.slice(1).toLowerCase()}`,
    iccid: topUp.iccid,
    product_id: topUp.plan.code,
    status: 'COMPLETED',
    price: topUp.plan.price,
    currency,
    data_mb: topUp.plan.dataBytes === null ? null : mb2(topUp.plan.dataBytes),
    validity_days: topUp.plan.validityDays,
    expires_at: profile.activatedAt ? microsecondTimestamp(profile.expiresAt) : null,
    created_at: microsecondTimestamp(topUp.createdAt),
  };
}

function mb2(bytes: number): number {
  return Math.round(bytesToMb(bytes) * 100) / 100;
}
