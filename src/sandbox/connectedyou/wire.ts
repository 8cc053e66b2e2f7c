import { bytesToMb, mbToBytes } from '../../domain/data-units';
import type { SimOrder, SimPlanTerms, SimProfile, SimProfileState, SimTopUp } from '../shared/inventory';
import type { ProductWire } from './catalog';
import type { DeviceSide } from './devices';
import { microsecondTimestamp } from './errors';

/**
 * The REST wire format of the simulator: no REST body is documented, so every field follows the
 * adapter's assumption (its README table), borrowing the names and units of ConnectedYou's
 * documented outbound events: MB usage fields (`data_consumed`, `data_total`,
 * `percentage_consumed`), the device words of PROFILE_LIFECYCLE, numeric-string product ids and
 * microsecond timestamps.
 */

/**
 * The plan word of each simulated state (ASSUMED, the adapter's `CY_PLAN_TABLE`): the plan waits
 * for the first attach (NOT_ACTIVATED) whether or not a device downloaded it; the device side is
 * `profile_status` (devices.ts).
 */
export const PLAN_WORDS: Readonly<Record<SimProfileState, string>> = {
  RELEASED: 'NOT_ACTIVATED',
  INSTALLED: 'NOT_ACTIVATED',
  IN_USE: 'ACTIVE',
  DEPLETED: 'DEPLETED',
  EXPIRED: 'EXPIRED',
  SUSPENDED: 'SUSPENDED',
  REVOKED: 'REVOKED',
  CANCELLED: 'CANCELLED',
};

/** What the caller sent along with an order, kept in the inventory's `customer` slot. */
export interface OrderExtras {
  readonly reference: string | null;
  readonly customer: { readonly email: string | null; readonly name: string | null } | null;
}

export function planTerms(product: ProductWire): SimPlanTerms {
  return {
    code: product.product_id,
    price: product.price,
    dataBytes: product.data_mb === null ? null : mbToBytes(product.data_mb),
    validityDays: product.validity_days,
  };
}

/** `ord_` + 12 hex digits; the portal's order number (seed environment: `CY10001`) comes from the same sequence. */
export function orderIdOf(seq: number): string {
  return `ord_${seq.toString(16).padStart(12, '0')}`;
}

function orderNumberOf(orderId: string): string {
  return `CY${parseInt(orderId.slice(4), 16)}`;
}

export function renderOrder(order: SimOrder, currency: string, devices: DeviceSide) {
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
    esims: order.profiles.map((profile) => renderEsim(profile, devices)),
    created_at: microsecondTimestamp(order.createdAt),
    completed_at: order.allocatedAt ? microsecondTimestamp(order.allocatedAt) : null,
  };
}

/**
 * The plan (`status`) and the device (`profile_status`, `eid`) apart. Validity starts at first use
 * ("first attach", PRODUCT_STATUS_CHANGE), so no expiry before it.
 */
export function renderEsim(profile: SimProfile, devices: DeviceSide) {
  return {
    iccid: profile.iccid,
    order_id: profile.orderId,
    product_id: profile.planCode,
    status: PLAN_WORDS[profile.state],
    profile_status: devices.word(profile.iccid),
    eid: devices.eid(profile.iccid),
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
    percentage_consumed: profile.totalBytes
      ? Math.round((profile.usedBytes / profile.totalBytes) * 10_000) / 100
      : null,
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
