import { randomUUID } from 'node:crypto';
import type { UpstreamRequest, UpstreamResponse } from '../http/upstream-client';
import { isRefusal, malformedResponse as malformed } from './esimplatform.errors';
import type {
  RawEsim, RawOrder, RawOrderPage, RawOrderRequest, RawOrderResponse, RawProfileResponse, RawTopUpDetails, RawTopUpOptions, RawTopUpResponse, RawUsage, RawUsageResponse,
} from './esimplatform.order-types';

/** The client's authenticated transport (Bearer token, renewal on 401). */
export type AuthedSend = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/** Lifecycle actions, each `POST /esims/:iccid/<verb>` (documented operations; paths ASSUMED). */
export type EsimAction = 'suspend' | 'unsuspend' | 'revoke';

/**
 * The platform's ordering and eSIM endpoints. Writes carry an `Idempotency-Key` (ASSUMED header,
 * honoured 24 h), so the HTTP client may retry them: orders and top-ups under our reference,
 * other writes under a key minted once per call, reused by every retry of that call.
 */
export class EsimPlatformOrders {
  constructor(private readonly send: AuthedSend) {}

  async createOrder(body: RawOrderRequest, key: string, signal?: AbortSignal): Promise<RawOrder> {
    const res = await this.send({ method: 'POST', path: '/orders', body, headers: idempotencyKey(key), idempotent: true, operation: 'orders/create', signal });
    return orderOf(res.json as Partial<RawOrderResponse> | undefined);
  }

  /** null when the platform answers ORDER_NOT_FOUND. */
  async getOrder(id: string, signal?: AbortSignal): Promise<RawOrder | null> {
    try {
      const res = await this.send({ method: 'GET', path: `/orders/${encodeURIComponent(id)}`, idempotent: true, operation: 'orders/get', signal });
      return orderOf(res.json as Partial<RawOrderResponse> | undefined);
    } catch (error) {
      if (isRefusal(error, 'ORDER_NOT_FOUND', 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /** The order carrying our reference, or null. */
  async findOrderByReference(reference: string, signal?: AbortSignal): Promise<RawOrder | null> {
    const res = await this.send({ method: 'GET', path: '/orders', query: { reference, limit: 1 }, idempotent: true, operation: 'orders/find', signal });
    const body = res.json as Partial<RawOrderPage> | undefined;
    if (!Array.isArray(body?.data)) throw malformed();
    // Checked again here: a platform ignoring an unknown filter must not hand us someone else's order.
    const found = body.data.find((o) => o?.reference === reference);
    return found ? checkedOrder(found) : null;
  }

  /** null when the platform answers ESIM_NOT_FOUND. */
  async getEsim(iccid: string, signal?: AbortSignal): Promise<RawEsim | null> {
    try {
      const res = await this.send({ method: 'GET', path: `/esims/${encodeURIComponent(iccid)}`, idempotent: true, operation: 'esims/get', signal });
      const profile = (res.json as Partial<RawProfileResponse> | undefined)?.profile;
      if (!isEsim(profile)) throw malformed();
      return profile;
    } catch (error) {
      if (isRefusal(error, 'ESIM_NOT_FOUND', 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /** "Check Usage for eSIMs": unknown numbers are simply absent from the answer. */
  async usage(esimTranNos: readonly string[], signal?: AbortSignal): Promise<RawUsage[]> {
    const res = await this.send({ method: 'POST', path: '/esims/usage', body: { esimTranNoList: esimTranNos }, idempotent: true, operation: 'esims/usage', signal });
    const usage = (res.json as Partial<RawUsageResponse> | undefined)?.usage;
    if (!Array.isArray(usage)) throw malformed();
    return usage.filter((u): u is RawUsage => typeof u?.esimTranNo === 'string');
  }

  async topUpOptions(iccid: string, signal?: AbortSignal): Promise<RawTopUpOptions> {
    const res = await this.send({ method: 'GET', path: `/esims/${encodeURIComponent(iccid)}/topups`, idempotent: true, operation: 'esims/topups', signal });
    const body = res.json as Partial<RawTopUpOptions> | undefined;
    if (!Array.isArray(body?.plans) || typeof body.plan_id !== 'string') throw malformed();
    return body as RawTopUpOptions;
  }

  async topUp(iccid: string, packageCode: string, key: string, signal?: AbortSignal): Promise<RawTopUpDetails> {
    const res = await this.send({
      method: 'POST', path: `/esims/${encodeURIComponent(iccid)}/topup`, body: { package_code: packageCode }, headers: idempotencyKey(key), idempotent: true, operation: 'esims/topup', signal,
    });
    const details = (res.json as Partial<RawTopUpResponse> | undefined)?.topup_details;
    if (typeof details?.id !== 'string' || typeof details.status !== 'string') throw malformed();
    return details;
  }

  async act(iccid: string, action: EsimAction, signal?: AbortSignal): Promise<void> {
    await this.send({ method: 'POST', path: `/esims/${encodeURIComponent(iccid)}/${action}`, headers: idempotencyKey(randomUUID()), idempotent: true, operation: `esims/${action}`, signal });
  }

  async sendSms(iccid: string, message: string, signal?: AbortSignal): Promise<void> {
    await this.send({ method: 'POST', path: `/esims/${encodeURIComponent(iccid)}/sms`, body: { message }, headers: idempotencyKey(randomUUID()), idempotent: true, operation: 'esims/sms', signal });
  }
}

function idempotencyKey(key: string): Record<string, string> {
  return { 'idempotency-key': key };
}

function orderOf(body: Partial<RawOrderResponse> | undefined): RawOrder {
  return checkedOrder(body?.order);
}

function checkedOrder(order: RawOrder | undefined): RawOrder {
  const ok = typeof order?.id === 'string' && typeof order.status === 'string' && Number.isSafeInteger(order.quantity)
    && (order.esims === undefined || (Array.isArray(order.esims) && order.esims.every(isEsim)));
  if (!ok) throw malformed();
  return order as RawOrder;
}

function isEsim(value: unknown): value is RawEsim {
  const e = value as Partial<RawEsim> | undefined;
  return typeof e?.iccid === 'string' && typeof e.esim_tran_no === 'string' && typeof e.status === 'string';
}
