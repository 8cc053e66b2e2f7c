import { roundToMinor } from '../../domain/money';
import type { SimOrder, SimProfile, SimProfileState, SimTopUp } from '../shared/inventory';

/** eSIMTrade's own words for an eSIM's state (assumed; mapped back by the adapter's table). */
export const ESIM_STATUS_WORDS: Readonly<Record<SimProfileState, string>> = {
  RELEASED: 'ready',
  INSTALLED: 'installed',
  IN_USE: 'active',
  DEPLETED: 'depleted',
  EXPIRED: 'expired',
  SUSPENDED: 'suspended',
  REVOKED: 'revoked',
  CANCELLED: 'cancelled',
};

/** Order words: `failed` exists on the wire but the simulator refuses synchronously instead. */
export type WireOrderStatus = 'processing' | 'completed' | 'failed';

const usd = (amount: string) => ({ amount: roundToMinor(amount, 'USD'), currency: 'USD' as const });
const iso = (date: Date | null) => date?.toISOString() ?? null;

export function orderStatusOf(order: SimOrder): WireOrderStatus {
  return order.status === 'ALLOCATED' ? 'completed' : 'processing';
}

/** `/reseller/orders` entries: the order without its eSIMs. */
export function renderOrderSummary(order: SimOrder, reference: string | null) {
  return {
    order_number: order.id,
    reference,
    status: orderStatusOf(order),
    slug: order.plan.code,
    quantity: order.quantity,
    unit_price: usd(order.plan.price),
    total: usd(order.total),
    customer: order.customer,
    created_at: order.createdAt.toISOString(),
    completed_at: iso(order.allocatedAt),
    esim_count: order.profiles.length,
  };
}

/** `POST /portal/order` and `GET /portal/orders`: the order with every allocated eSIM. */
export function renderOrder(order: SimOrder, reference: string | null) {
  const { esim_count: _count, ...summary } = renderOrderSummary(order, reference);
  return { ...summary, esims: order.profiles.map(renderEsim) };
}

/** One eSIM as `/reseller/esims` and orders show it; usage in bytes (assumed unit). */
export function renderEsim(profile: SimProfile) {
  return {
    iccid: profile.iccid,
    order_number: profile.orderId,
    plan_slug: profile.planCode,
    status: ESIM_STATUS_WORDS[profile.state],
    smdp_address: profile.smdpAddress,
    matching_id: profile.matchingId,
    activation_code: `LPA:1$${profile.smdpAddress}$${profile.matchingId}`,
    qr_code_url: `https://api.esimtrade.com/qr/${profile.iccid}.png`,
    usage: {
      used_bytes: profile.usedBytes,
      total_bytes: profile.totalBytes,
      updated_at: profile.updatedAt.toISOString(),
    },
    activated_at: iso(profile.activatedAt),
    expires_at: profile.expiresAt.toISOString(),
    created_at: profile.createdAt.toISOString(),
    topup_count: profile.topUps.length,
  };
}

/** `POST /portal/topups` answer: top-ups apply at once, so always `completed`. */
export function renderTopUp(topUp: SimTopUp, profile: SimProfile) {
  return {
    topup_id: topUp.id,
    iccid: topUp.iccid,
    slug: topUp.plan.code,
    status: 'completed',
    price: usd(topUp.plan.price),
    data_bytes: topUp.plan.dataBytes,
    validity_days: topUp.plan.validityDays,
    expires_at: profile.expiresAt.toISOString(),
    created_at: topUp.createdAt.toISOString(),
  };
}
