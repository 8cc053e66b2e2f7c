import type { UpstreamHttpClient } from '../http/upstream-client';
import { envelope, envelopeOrNull, isPageMeta, unreadable, writeEnvelope } from './esimtrade.envelope';
import type { EsimTradeOrderBody, EsimTradePageMeta } from './esimtrade.types';

/** One page of `GET /reseller/orders`; entries stay raw until the mapper checks them. */
export interface EsimTradeOrdersPage {
  readonly orders: readonly unknown[];
  readonly meta: EsimTradePageMeta;
}

/**
 * eSIMTrade's ordering, eSIM and top-up endpoints (paths from seed 004, bodies assumed, see
 * README.md). Reads are retried. The two POSTs move money and are sent once: seed 004 says
 * "idempotency support" but names no key, so the `Idempotency-Key` they carry (ASSUMED) is
 * harmless and never relied on; an unclear outcome is settled by the documented order reads.
 */
export class EsimTradeOrdersApi {
  constructor(private readonly http: UpstreamHttpClient) {}

  /** `POST /portal/order` → the order (`data`). */
  async placeOrder(body: EsimTradeOrderBody, idempotencyKey: string, signal?: AbortSignal): Promise<unknown> {
    const response = await this.http.request({
      method: 'POST',
      path: '/portal/order',
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      idempotent: false,
      operation: 'order/create',
      signal,
    });
    return writeEnvelope(response, 'order/create').data;
  }

  /** `GET /portal/orders?order_number=` → the order with its eSIMs, or null on 404 ORDER_NOT_FOUND. */
  async getOrder(orderNumber: string, signal?: AbortSignal): Promise<unknown | null> {
    const response = await this.http.request({
      method: 'GET',
      path: '/portal/orders',
      query: { order_number: orderNumber },
      idempotent: true,
      operation: 'order/get',
      signal,
    });
    return envelopeOrNull(response, 'order/get')?.data ?? null;
  }

  /** `GET /reseller/orders?q=`: the history filtered by text (order number, reference, customer, ICCID). */
  async searchOrders(text: string, page: number, limit: number, signal?: AbortSignal): Promise<EsimTradeOrdersPage> {
    const response = await this.http.request({
      method: 'GET',
      path: '/reseller/orders',
      query: { q: text, page, limit },
      idempotent: true,
      operation: 'order/search',
      signal,
    });
    const body = envelope(response, 'order/search');
    if (!Array.isArray(body.data) || !isPageMeta(body.meta)) throw unreadable('order/search');
    return { orders: body.data, meta: body.meta };
  }

  /** `GET /reseller/esims?iccid=` → the eSIM with state and usage, or null when the reseller has none such. */
  async getEsim(iccid: string, signal?: AbortSignal): Promise<unknown | null> {
    const response = await this.http.request({
      method: 'GET',
      path: '/reseller/esims',
      query: { iccid, limit: 1 },
      idempotent: true,
      operation: 'esim/get',
      signal,
    });
    const body = envelopeOrNull(response, 'esim/get');
    if (body === null) return null;
    if (!Array.isArray(body.data)) throw unreadable('esim/get');
    return body.data[0] ?? null;
  }

  /** `GET /portal/topups?iccid=` → raw top-up options (plan shape), or null for an ICCID the reseller does not own. */
  async listTopUps(iccid: string, signal?: AbortSignal): Promise<unknown[] | null> {
    const response = await this.http.request({
      method: 'GET',
      path: '/portal/topups',
      query: { iccid },
      idempotent: true,
      operation: 'topup/options',
      signal,
    });
    const body = envelopeOrNull(response, 'topup/options');
    if (body === null) return null;
    if (!Array.isArray(body.data)) throw unreadable('topup/options');
    return body.data;
  }

  /** `POST /portal/topups { iccid, slug }` → the top-up (`data`). */
  async buyTopUp(
    body: { readonly iccid: string; readonly slug: string },
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const response = await this.http.request({
      method: 'POST',
      path: '/portal/topups',
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      idempotent: false,
      operation: 'topup/create',
      signal,
    });
    return writeEnvelope(response, 'topup/create').data;
  }
}
