import { randomUUID } from 'node:crypto';
import type { UpstreamRequest, UpstreamResponse } from '../http/upstream-client';
import { isRefusal, malformedResponse as malformed } from './esimplatform.errors';
import type {
  RawOrder, RawOrderPage, RawOrderRequest, RawOrderResponse, RawProfile, RawProfileResponse, RawProfileUsage, RawProfileUsageResponse, RawTopUpOptions, RawTopUpResponse,
} from './esimplatform.order-types';

/** The client's authenticated transport (Bearer token, renewal on 401). */
export type AuthedSend = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/** Lifecycle actions, each `POST /esims/:iccid/<verb>` (documented operations; paths ASSUMED). */
export type EsimAction = 'suspend' | 'unsuspend' | 'revoke';

/**
 * The platform's ordering and eSIM endpoints. Each reader requires only the fields that name its
 * object (the document's own); everything else is optional. Writes carry an `Idempotency-Key`
 * (ASSUMED header, honoured 24 h), so the HTTP client may retry them: orders and top-ups under
 * our reference, other writes under a key minted once per call, reused by every retry of it.
 */
export class EsimPlatformOrders {
  constructor(private readonly send: AuthedSend) {}

  async createOrder(body: RawOrderRequest, key: string, signal?: AbortSignal): Promise<RawOrder> {
    const res = await this.send({ method: 'POST', path: '/orders', body, headers: idempotencyKey(key), idempotent: true, operation: 'orders/create', signal });
    return checkedOrder((res.json as Partial<RawOrderResponse> | undefined)?.order);
  }

  /** "Get Order Details" (answer ASSUMED to be `{ success, order }`); null when the platform answers ORDER_NOT_FOUND. */
  async getOrder(id: string, signal?: AbortSignal): Promise<RawOrder | null> {
    try {
      const res = await this.send({ method: 'GET', path: `/orders/${encodeURIComponent(id)}`, idempotent: true, operation: 'orders/get', signal });
      return checkedOrder((res.json as Partial<RawOrderResponse> | undefined)?.order);
    } catch (error) {
      if (isRefusal(error, 'ORDER_NOT_FOUND', 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /** The order carrying our reference, or null (ASSUMED filter and `reference` field). */
  async findOrderByReference(reference: string, signal?: AbortSignal): Promise<RawOrder | null> {
    const res = await this.send({ method: 'GET', path: '/orders', query: { reference, limit: 1 }, idempotent: true, operation: 'orders/find', signal });
    const body = res.json as Partial<RawOrderPage> | undefined;
    if (!Array.isArray(body?.data)) throw malformed();
    // Checked again here: a platform ignoring an unknown filter must not hand us someone else's order.
    const found = body.data.find((o) => o?.reference === reference);
    return found ? checkedOrder(found) : null;
  }

  /**
   * "Get Profile Information" by ICCID or order id (both documented identifiers); null when the
   * platform answers ESIM_NOT_FOUND.
   */
  async getProfile(identifier: string, signal?: AbortSignal): Promise<RawProfile | null> {
    try {
      const res = await this.send({ method: 'GET', path: `/esims/${encodeURIComponent(identifier)}`, idempotent: true, operation: 'esims/get', signal });
      const profile = (res.json as Partial<RawProfileResponse> | undefined)?.profile;
      if (typeof profile?.iccid !== 'string' || profile.iccid === '' || typeof profile.status !== 'string') throw malformed();
      return profile;
    } catch (error) {
      if (isRefusal(error, 'ESIM_NOT_FOUND', 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /** "Get Profile Usage" of one eSIM (path ASSUMED); null when the platform answers ESIM_NOT_FOUND. */
  async profileUsage(iccid: string, signal?: AbortSignal): Promise<RawProfileUsage | null> {
    try {
      const res = await this.send({ method: 'GET', path: `/esims/${encodeURIComponent(iccid)}/usage`, idempotent: true, operation: 'esims/usage', signal });
      const usage = (res.json as Partial<RawProfileUsageResponse> | undefined)?.usage;
      if (typeof usage !== 'object' || usage === null) throw malformed();
      return usage;
    } catch (error) {
      if (isRefusal(error, 'ESIM_NOT_FOUND', 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /** "Get Available Topup Plans" (path ASSUMED). */
  async topUpOptions(iccid: string, signal?: AbortSignal): Promise<RawTopUpOptions> {
    const res = await this.send({ method: 'GET', path: `/esims/${encodeURIComponent(iccid)}/topups`, idempotent: true, operation: 'esims/topups', signal });
    const body = res.json as Partial<RawTopUpOptions> | undefined;
    if (!Array.isArray(body?.plans)) throw malformed();
    return body as RawTopUpOptions;
  }

  /** "Top Up Profile" (path ASSUMED): the whole answer; its `topup_details` is documented as `{}`. */
  async topUp(iccid: string, packageCode: string, key: string, signal?: AbortSignal): Promise<RawTopUpResponse | undefined> {
    const res = await this.send({
      method: 'POST', path: `/esims/${encodeURIComponent(iccid)}/topup`, body: { package_code: packageCode }, headers: idempotencyKey(key), idempotent: true, operation: 'esims/topup', signal,
    });
    return res.json as RawTopUpResponse | undefined;
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

/** The order's id and word name it; every other field is read where present. */
function checkedOrder(order: RawOrder | undefined): RawOrder {
  if (typeof order?.id !== 'string' || order.id === '' || typeof order.status !== 'string') throw malformed();
  return order;
}
