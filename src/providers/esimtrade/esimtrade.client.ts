import type { Logger } from 'pino';
import type { EsimTradeConfig } from '../../config/provider-config';
import type { ProviderHealth } from '../../domain/provider';
import { UpstreamHttpClient, type UpstreamObserver, type UpstreamPolicy } from '../http/upstream-client';
import { ESIMTRADE_ID, envelope, envelopeOrNull, isPageMeta, unreadable } from './esimtrade.envelope';
import { classifyEsimTradeResponse } from './esimtrade.errors';
import { EsimTradeOrdersApi } from './esimtrade.orders';
import type { EsimTradePageMeta, EsimTradeWebhookSettingsBody } from './esimtrade.types';

export { ESIMTRADE_ID } from './esimtrade.envelope';

/** One page of `GET /portal/plans`; entries stay raw (unknown) until the mapper checks them. */
export interface EsimTradePlansPage {
  readonly plans: readonly unknown[];
  readonly meta: EsimTradePageMeta;
}

/**
 * The raw eSIMTrade endpoints over the one shared UpstreamHttpClient. Auth is the access-code +
 * secret-key pair from the reseller portal (seed 004), sent as headers on every attempt (header
 * names assumed, see README.md). The catalog reads live here; ordering, eSIMs and top-ups in
 * `orders` (esimtrade.orders.ts), over the same client, limiter and breaker.
 */
export class EsimTradeClient {
  private readonly http: UpstreamHttpClient;
  readonly orders: EsimTradeOrdersApi;

  constructor(config: EsimTradeConfig, policy: UpstreamPolicy, logger: Logger, observe?: UpstreamObserver) {
    const { accessCode, secretKey } = config;
    this.http = new UpstreamHttpClient(
      ESIMTRADE_ID,
      config.baseUrl,
      policy,
      logger,
      {
        authorize: () => ({ 'X-Access-Code': accessCode, 'X-Secret-Key': secretKey }),
        classify: (response) => classifyEsimTradeResponse(ESIMTRADE_ID, response),
      },
      observe,
    );
    this.orders = new EsimTradeOrdersApi(this.http);
  }

  async listPlans(page: number, limit: number, signal?: AbortSignal): Promise<EsimTradePlansPage> {
    const response = await this.http.request({
      method: 'GET',
      path: '/portal/plans',
      query: { page, limit },
      idempotent: true,
      operation: 'plans/list',
      signal,
    });
    const body = envelope(response, 'plans/list');
    if (!Array.isArray(body.data) || !isPageMeta(body.meta)) throw unreadable('plans/list');
    return { plans: body.data, meta: body.meta };
  }

  /** `GET /portal/plans?slug=`: the plan with resolved pricing, or null on 404 PLAN_NOT_FOUND. */
  async getPlan(slug: string, signal?: AbortSignal): Promise<unknown | null> {
    const response = await this.http.request({
      method: 'GET',
      path: '/portal/plans',
      query: { slug },
      idempotent: true,
      operation: 'plans/get',
      signal,
    });
    return envelopeOrNull(response, 'plans/get')?.data ?? null;
  }

  async getBalance(signal?: AbortSignal): Promise<unknown> {
    const response = await this.http.request({
      method: 'GET',
      path: '/portal/balance',
      idempotent: true,
      operation: 'balance',
      signal,
    });
    return envelope(response, 'balance').data;
  }

  /**
   * `PATCH /reseller/webhook` → the settings (`data`). The docs call the route "intended for
   * authenticated portal sessions"; we ASSUME the API credentials are accepted too. Retried: it
   * sets the whole configuration, so a repeat is harmless.
   */
  async updateWebhook(body: EsimTradeWebhookSettingsBody, signal?: AbortSignal): Promise<unknown> {
    const response = await this.http.request({
      method: 'PATCH',
      path: '/reseller/webhook',
      body,
      idempotent: true,
      operation: 'webhook/update',
      signal,
    });
    return envelope(response, 'webhook/update').data;
  }

  health(): ProviderHealth {
    return this.http.health();
  }
}
