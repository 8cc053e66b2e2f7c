import { comiumRejection, findComiumError } from './comium.errors';
import { unexpected, type ComiumClient } from './comium.client';
import type { UpstreamResponse } from '../http/upstream-client';
import type { ComiumBundlePage, ComiumOrderQuery, ComiumSaleRequest, ComiumTopUpRequest } from './comium.types';

const PROVIDER_ID = 'comium';

/**
 * Comium's ordering endpoints (seed 002) on top of the session-aware client. Sales carry no
 * idempotency key (only an order_reference the provider refuses to reuse), so they are sent once:
 * the adapter looks the reference up before and after instead of retrying blindly.
 */
export class ComiumOrdersClient {
  constructor(private readonly client: ComiumClient) {}

  /** `POST /Bundle`: the raw 2xx body (undefined for the documented 204), or a rejection. */
  async sell(body: ComiumSaleRequest, signal?: AbortSignal): Promise<unknown> {
    return this.write('/Bundle', body, 'bundle/sell', signal);
  }

  /** ASSUMED `POST /v2/Bundle/Topup`: as `sell`, for an existing ICCID. */
  async topUp(body: ComiumTopUpRequest, signal?: AbortSignal): Promise<unknown> {
    return this.write('/v2/Bundle/Topup', body, 'bundle/topup', signal);
  }

  /** `GET /Orders`: one page of raw items. */
  async orders(query: ComiumOrderQuery, signal?: AbortSignal): Promise<unknown[]> {
    const response = await this.client.authed({
      method: 'GET',
      path: '/Orders',
      query: { ...query },
      idempotent: true,
      operation: 'orders/list',
      signal,
    });
    if (response.status !== 200) throw comiumRejection(PROVIDER_ID, response);
    const data = (response.json as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(data)) throw unexpected('orders/list');
    return data;
  }

  /** `GET /Profile/Consumption?iccid=`: the raw body, or null for "Profile not found". */
  async consumption(iccid: string, signal?: AbortSignal): Promise<unknown | null> {
    const response = await this.client.authed({
      method: 'GET',
      path: '/Profile/Consumption',
      query: { iccid },
      idempotent: true,
      operation: 'profile/consumption',
      signal,
    });
    if (isProfileNotFound(response)) return null;
    if (response.status !== 200 || typeof response.json !== 'object' || response.json === null)
      throw response.status === 200 ? unexpected('profile/consumption') : comiumRejection(PROVIDER_ID, response);
    return response.json;
  }

  /** `GET /v2/Bundles/Topup?iccid=`: one page of the bundles this profile can be topped up with. */
  async topUpBundles(
    iccid: string,
    page: { page_number: number; page_size: number },
    signal?: AbortSignal,
  ): Promise<ComiumBundlePage> {
    const response = await this.client.authed({
      method: 'GET',
      path: '/v2/Bundles/Topup',
      query: { iccid, ...page },
      idempotent: true,
      operation: 'bundles/topup',
      signal,
    });
    if (response.status !== 200) throw comiumRejection(PROVIDER_ID, response);
    const body = response.json as Partial<ComiumBundlePage> | undefined;
    if (!Array.isArray(body?.data) || !Number.isSafeInteger(body.total_count)) throw unexpected('bundles/topup');
    return body as ComiumBundlePage;
  }

  private async write(path: string, body: unknown, operation: string, signal?: AbortSignal): Promise<unknown> {
    const response = await this.client.authed({ method: 'POST', path, body, idempotent: false, operation, signal });
    if (response.status < 200 || response.status >= 300) throw comiumRejection(PROVIDER_ID, response);
    return response.json;
  }
}

/** Only the documented "Profile not found" means absence; any other 404 (wrong path) is an error. */
function isProfileNotFound(response: UpstreamResponse): boolean {
  const message = (response.json as { message?: unknown } | undefined)?.message;
  return (
    findComiumError(response.status, typeof message === 'string' ? message : undefined)?.providerCode ===
    'PROFILE_NOT_FOUND'
  );
}
