import { randomUUID } from 'node:crypto';
import type { UpstreamRequest, UpstreamResponse } from '../http/upstream-client';
import { ProviderUnavailableError } from '../../domain/errors';
import { ESIMPLATFORM_ID, isRefusal, malformedResponse as malformed } from './esimplatform.errors';
import type {
  RawOrder,
  RawOrderPage,
  RawOrderRequest,
  RawOrderResponse,
  RawProfile,
  RawProfileResponse,
  RawProfileUsage,
  RawProfileUsageResponse,
  RawTopUpOptions,
  RawTopUpResponse,
} from './esimplatform.order-types';

/** The client's authenticated transport (Bearer token, renewal on 401). */
export type AuthedSend = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/** Lifecycle actions, each `POST /esims/:iccid/<verb>` (documented operations; paths ASSUMED). */
export type EsimAction = 'suspend' | 'unsuspend' | 'revoke';

/** Pages of `GET /orders` read before a lookup gives up as inconclusive (100 orders each). */
const LOOKUP_MAX_PAGES = 10;
const LOOKUP_PAGE_SIZE = 100;

/**
 * The platform's ordering and eSIM endpoints. Each reader requires only the fields that name its
 * object (the document's own); everything else is optional.
 *
 * Money-moving writes (orders, top-ups) are sent ONCE: seed 003 names no idempotency key, so the
 * `Idempotency-Key` header they still carry (our reference) is harmless but never relied on, and
 * the HTTP client does not retry them. An unclear outcome is settled by `findOrderByReference`.
 * Other writes (suspend, unsuspend, revoke, SMS) move no money and keep their retries under a key
 * minted once per call.
 */
export class EsimPlatformOrders {
  constructor(private readonly send: AuthedSend) {}

  async createOrder(body: RawOrderRequest, key: string, signal?: AbortSignal): Promise<RawOrder> {
    const res = await this.send({
      method: 'POST',
      path: '/orders',
      body,
      headers: idempotencyKey(key),
      idempotent: false,
      operation: 'orders/create',
      signal,
    });
    return checkedOrder((res.json as Partial<RawOrderResponse> | undefined)?.order);
  }

  /** "Get Order Details" (answer ASSUMED to be `{ success, order }`); null when the platform answers ORDER_NOT_FOUND. */
  async getOrder(id: string, signal?: AbortSignal): Promise<RawOrder | null> {
    try {
      const res = await this.send({
        method: 'GET',
        path: `/orders/${encodeURIComponent(id)}`,
        idempotent: true,
        operation: 'orders/get',
        signal,
      });
      return checkedOrder((res.json as Partial<RawOrderResponse> | undefined)?.order);
    } catch (error) {
      if (isRefusal(error, 'ORDER_NOT_FOUND', 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /**
   * The order carrying our reference, through "List User's Orders" (documented: `page`, `limit`;
   * the `reference` filter and field are ASSUMED). Null only when the answer proves absence: every
   * order read carries a `reference` and no page is left. An order without the field (a platform
   * that does not keep our reference) or more than LOOKUP_MAX_PAGES pages (a platform ignoring the
   * filter) cannot prove it, so the lookup rejects as unavailable: absence is never guessed, since
   * a wrong null could lead to a second paid order.
   */
  async findOrderByReference(reference: string, signal?: AbortSignal): Promise<RawOrder | null> {
    for (let page = 1; page <= LOOKUP_MAX_PAGES; page++) {
      const res = await this.send({
        method: 'GET',
        path: '/orders',
        query: { reference, page, limit: LOOKUP_PAGE_SIZE },
        idempotent: true,
        operation: 'orders/find',
        signal,
      });
      const body = res.json as Partial<RawOrderPage> | undefined;
      if (!Array.isArray(body?.data)) throw malformed();
      // Checked again here: a platform ignoring an unknown filter must not hand us someone else's order.
      const found = body.data.find((o) => o?.reference === reference);
      if (found) return checkedOrder(found);
      if (body.data.some((o) => o?.reference === undefined))
        throw inconclusive('its orders do not carry our reference');
      // Without the (ASSUMED) pagination block, only an empty page ends the list: the platform may cap `limit`.
      const pages = body.pagination?.total_pages;
      if (typeof pages === 'number' ? page >= pages : body.data.length === 0) return null;
    }
    throw inconclusive(`more than ${LOOKUP_MAX_PAGES} pages of orders`);
  }

  /**
   * "Get Profile Information" by ICCID or order id (both documented identifiers); null when the
   * platform answers ESIM_NOT_FOUND.
   */
  async getProfile(identifier: string, signal?: AbortSignal): Promise<RawProfile | null> {
    try {
      const res = await this.send({
        method: 'GET',
        path: `/esims/${encodeURIComponent(identifier)}`,
        idempotent: true,
        operation: 'esims/get',
        signal,
      });
      const profile = (res.json as Partial<RawProfileResponse> | undefined)?.profile;
      if (typeof profile?.iccid !== 'string' || profile.iccid === '' || typeof profile.status !== 'string')
        throw malformed();
      return profile;
    } catch (error) {
      if (isRefusal(error, 'ESIM_NOT_FOUND', 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /** "Get Profile Usage" of one eSIM (path ASSUMED); null when the platform answers ESIM_NOT_FOUND. */
  async profileUsage(iccid: string, signal?: AbortSignal): Promise<RawProfileUsage | null> {
    try {
      const res = await this.send({
        method: 'GET',
        path: `/esims/${encodeURIComponent(iccid)}/usage`,
        idempotent: true,
        operation: 'esims/usage',
        signal,
      });
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
    const res = await this.send({
      method: 'GET',
      path: `/esims/${encodeURIComponent(iccid)}/topups`,
      idempotent: true,
      operation: 'esims/topups',
      signal,
    });
    const body = res.json as Partial<RawTopUpOptions> | undefined;
    if (!Array.isArray(body?.plans)) throw malformed();
    return body as RawTopUpOptions;
  }

  /** "Top Up Profile" (path ASSUMED): the whole answer; its `topup_details` is documented as `{}`. */
  async topUp(
    iccid: string,
    packageCode: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<RawTopUpResponse | undefined> {
    const res = await this.send({
      method: 'POST',
      path: `/esims/${encodeURIComponent(iccid)}/topup`,
      body: { package_code: packageCode },
      headers: idempotencyKey(key),
      idempotent: false,
      operation: 'esims/topup',
      signal,
    });
    return res.json as RawTopUpResponse | undefined;
  }

  async act(iccid: string, action: EsimAction, signal?: AbortSignal): Promise<void> {
    await this.send({
      method: 'POST',
      path: `/esims/${encodeURIComponent(iccid)}/${action}`,
      headers: idempotencyKey(randomUUID()),
      idempotent: true,
      operation: `esims/${action}`,
      signal,
    });
  }

  async sendSms(iccid: string, message: string, signal?: AbortSignal): Promise<void> {
    await this.send({
      method: 'POST',
      path: `/esims/${encodeURIComponent(iccid)}/sms`,
      body: { message },
      headers: idempotencyKey(randomUUID()),
      idempotent: true,
      operation: 'esims/sms',
      signal,
    });
  }
}

/** A lookup whose answer cannot prove the order absent: outcome unknown, looked up again later. */
function inconclusive(why: string): ProviderUnavailableError {
  return new ProviderUnavailableError(
    ESIMPLATFORM_ID,
    'SERVER_ERROR',
    `Provider ${ESIMPLATFORM_ID}: an order lookup by our reference cannot tell (${why}).`,
  );
}

/** ASSUMED header (seed 003 names none): sent, never relied on. */
function idempotencyKey(key: string): Record<string, string> {
  return { 'idempotency-key': key };
}

/** The order's id and word name it; every other field is read where present. */
function checkedOrder(order: RawOrder | undefined): RawOrder {
  if (typeof order?.id !== 'string' || order.id === '' || typeof order.status !== 'string') throw malformed();
  return order;
}
