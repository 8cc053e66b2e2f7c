import type { UpstreamRequest } from '../http/upstream-client';
import { CyNotFoundError, cyUnexpectedShape } from './connectedyou.errors';
import { readProductPage } from './connectedyou.mapper';
import { readOrderPage } from './connectedyou.order-mapper';
import type { CyOrderRequest, CyProductPage } from './connectedyou.types';

/** A call through the client's token handling (ConnectedYouClient.call). */
export type CyCall = (request: UpstreamRequest) => Promise<unknown>;

/** The documented header (seed, "Idempotent Requests"), required on orders and top-ups. */
export const IDEMPOTENT_KEY_HEADER = 'idempotent_key';

/**
 * ConnectedYou's ordering endpoints (paths ASSUMED, see README.md). Orders and top-ups always
 * carry `idempotent_key`, so they are sent as idempotent and may be retried: a retry under the
 * same key and body answers the first response without ordering again.
 */
export class ConnectedYouOrdersClient {
  constructor(
    private readonly accountPath: string,
    private readonly call: CyCall,
    private readonly providerId: string,
  ) {}

  /** `POST …/orders`; the idempotency key is our reference. */
  createOrder(idempotentKey: string, body: CyOrderRequest, signal?: AbortSignal): Promise<unknown> {
    return this.call({
      method: 'POST',
      path: `${this.accountPath}/orders`,
      headers: { [IDEMPOTENT_KEY_HEADER]: idempotentKey },
      body,
      idempotent: true,
      operation: 'orders/create',
      signal,
    });
  }

  /** `GET …/orders/{order_id}`, null when ConnectedYou has no such order. */
  getOrder(orderId: string, signal?: AbortSignal): Promise<unknown | null> {
    return orNull(
      'order_not_found',
      this.call({
        method: 'GET',
        path: `${this.accountPath}/orders/${encodeURIComponent(orderId)}`,
        idempotent: true,
        operation: 'orders/get',
        signal,
      }),
    );
  }

  /** The order placed under our reference (exact-match filter), or null. */
  async findOrder(reference: string, signal?: AbortSignal): Promise<unknown | null> {
    const raw = await this.call({
      method: 'GET',
      path: `${this.accountPath}/orders`,
      query: { reference, limit: 1 },
      idempotent: true,
      operation: 'orders/list',
      signal,
    });
    const page = readOrderPage(raw);
    if (!page) throw cyUnexpectedShape(this.providerId);
    return page.orders[0] ?? null;
  }

  /** `GET …/esims/{iccid}`, null for an unknown ICCID. */
  getEsim(iccid: string, signal?: AbortSignal): Promise<unknown | null> {
    return orNull(
      'esim_not_found',
      this.call({ method: 'GET', path: this.esimPath(iccid), idempotent: true, operation: 'esims/get', signal }),
    );
  }

  /** `GET …/esims/{iccid}/usage`, null for an unknown ICCID. */
  getUsage(iccid: string, signal?: AbortSignal): Promise<unknown | null> {
    return orNull(
      'esim_not_found',
      this.call({
        method: 'GET',
        path: `${this.esimPath(iccid)}/usage`,
        idempotent: true,
        operation: 'esims/usage',
        signal,
      }),
    );
  }

  /** `GET …/esims/{iccid}/topups`: the products this eSIM can buy now, in the catalog's list envelope. */
  async listTopUps(iccid: string, limit: number, signal?: AbortSignal): Promise<CyProductPage> {
    const raw = await this.call({
      method: 'GET',
      path: `${this.esimPath(iccid)}/topups`,
      query: { limit, offset: 0 },
      idempotent: true,
      operation: 'topups/list',
      signal,
    });
    const page = readProductPage(raw);
    if (!page) throw cyUnexpectedShape(this.providerId);
    return page;
  }

  /** `POST …/esims/{iccid}/topups`; the idempotency key is our top-up reference. */
  createTopUp(idempotentKey: string, iccid: string, productId: string, signal?: AbortSignal): Promise<unknown> {
    return this.call({
      method: 'POST',
      path: `${this.esimPath(iccid)}/topups`,
      headers: { [IDEMPOTENT_KEY_HEADER]: idempotentKey },
      body: { product_id: productId },
      idempotent: true,
      operation: 'topups/create',
      signal,
    });
  }

  private esimPath(iccid: string): string {
    return `${this.accountPath}/esims/${encodeURIComponent(iccid)}`;
  }
}

/** Null for the provider's "no such record" code only: a 404 for a wrong path must still fail loudly. */
async function orNull(code: string, pending: Promise<unknown>): Promise<unknown | null> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof CyNotFoundError && error.providerCode === code) return null;
    throw error;
  }
}
