import type { Logger } from 'pino';
import type { EsimTradeConfig } from '../../config/provider-config';
import { ProviderUnavailableError } from '../../domain/errors';
import type { ProviderHealth } from '../../domain/provider';
import { UpstreamHttpClient, type UpstreamObserver, type UpstreamPolicy, type UpstreamResponse } from '../http/upstream-client';
import { classifyEsimTradeResponse } from './esimtrade.errors';
import type { EsimTradePageMeta } from './esimtrade.types';

export const ESIMTRADE_ID = 'esimtrade' as const;

/** One page of `GET /portal/plans`; entries stay raw (unknown) until the mapper checks them. */
export interface EsimTradePlansPage {
  readonly plans: readonly unknown[];
  readonly meta: EsimTradePageMeta;
}

/**
 * The raw eSIMTrade endpoints over the one shared UpstreamHttpClient. Auth is the access-code +
 * secret-key pair from the reseller portal (seed 004), sent as headers on every attempt (header
 * names assumed, see README.md). Every method here is a read, hence idempotent and retried.
 */
export class EsimTradeClient {
  private readonly http: UpstreamHttpClient;

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
  }

  async listPlans(page: number, limit: number, signal?: AbortSignal): Promise<EsimTradePlansPage> {
    const response = await this.http.request({ method: 'GET', path: '/portal/plans', query: { page, limit }, idempotent: true, operation: 'plans/list', signal });
    const body = envelope(response, 'plans/list');
    if (!Array.isArray(body.data) || !isPageMeta(body.meta)) throw unreadable('plans/list');
    return { plans: body.data, meta: body.meta };
  }

  /** `GET /portal/plans?slug=`: the plan with resolved pricing, or null on 404 PLAN_NOT_FOUND. */
  async getPlan(slug: string, signal?: AbortSignal): Promise<unknown | null> {
    const response = await this.http.request({ method: 'GET', path: '/portal/plans', query: { slug }, idempotent: true, operation: 'plans/get', signal });
    if (response.status === 404) return null;
    return envelope(response, 'plans/get').data;
  }

  async getBalance(signal?: AbortSignal): Promise<unknown> {
    const response = await this.http.request({ method: 'GET', path: '/portal/balance', idempotent: true, operation: 'balance', signal });
    return envelope(response, 'balance').data;
  }

  health(): ProviderHealth {
    return this.http.health();
  }
}

/** The `{ data, meta }` success envelope; anything else from a 2xx is an upstream fault. */
function envelope(response: UpstreamResponse, operation: string): { data: unknown; meta?: unknown } {
  const json = response.json;
  if (response.status < 200 || response.status >= 300 || typeof json !== 'object' || json === null || !('data' in json)) {
    throw unreadable(operation);
  }
  return json as { data: unknown; meta?: unknown };
}

function isPageMeta(value: unknown): value is EsimTradePageMeta {
  if (typeof value !== 'object' || value === null) return false;
  const { page, limit, total, pages } = value as Record<string, unknown>;
  return [page, limit, total, pages].every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
}

function unreadable(operation: string): ProviderUnavailableError {
  return new ProviderUnavailableError(ESIMTRADE_ID, 'SERVER_ERROR', `Provider ${ESIMTRADE_ID} answered ${operation} with an unreadable response.`);
}
