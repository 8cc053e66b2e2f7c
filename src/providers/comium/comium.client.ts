import type { Logger } from 'pino';
import type { ComiumConfig } from '../../config/provider-config';
import { ProviderUnavailableError } from '../../domain/errors';
import type { ProviderHealth } from '../../domain/provider';
import { UpstreamHttpClient, type UpstreamObserver, type UpstreamPolicy, type UpstreamRequest, type UpstreamResponse } from '../http/upstream-client';
import { classifyComium, comiumRejection } from './comium.errors';
import { ComiumSessionManager, LOGIN_PATH, REFRESH_PATH, type ComiumSession } from './comium.session';
import type { ComiumBundlePage, ComiumBundleQuery } from './comium.types';

const PROVIDER_ID = 'comium';

/**
 * Comium's raw endpoints (seed 002) behind one `UpstreamHttpClient`. Every call but login and
 * refresh carries `Access-Token`; a 401/403 renews the session once and retries, then reports
 * PROVIDER_UNAVAILABLE (AUTH). Bodies come back raw (unknown items) for the pure mapper.
 */
export class ComiumClient {
  private readonly http: UpstreamHttpClient;
  private readonly sessions: ComiumSessionManager;

  constructor(config: ComiumConfig, policy: UpstreamPolicy, private readonly logger: Logger, observe?: UpstreamObserver) {
    this.http = new UpstreamHttpClient(
      PROVIDER_ID,
      config.baseUrl,
      policy,
      logger,
      {
        authorize: (request): Record<string, string> => {
          const token = request.path === LOGIN_PATH || request.path === REFRESH_PATH ? null : this.sessions.accessToken();
          return token ? { 'Access-Token': token } : {};
        },
        classify: (response, request) => classifyComium(PROVIDER_ID, response, request),
      },
      observe,
    );
    this.sessions = new ComiumSessionManager(PROVIDER_ID, this.http, { username: config.username, password: config.password }, logger);
  }

  session(signal?: AbortSignal): Promise<ComiumSession> {
    return this.sessions.get(signal);
  }

  /** `GET /Bundles`: one page, envelope checked (ASSUMED `{data, page_number, page_size, total_count}`). */
  async bundles(query: ComiumBundleQuery, signal?: AbortSignal): Promise<ComiumBundlePage> {
    const response = await this.authed({ method: 'GET', path: '/Bundles', query: { ...query }, idempotent: true, operation: 'bundles/list', signal });
    if (response.status !== 200) throw comiumRejection(PROVIDER_ID, response);
    const body = response.json as Partial<ComiumBundlePage> | undefined;
    if (!Array.isArray(body?.data) || !Number.isSafeInteger(body.total_count) || (body.total_count as number) < 0) throw unexpected('bundles/list');
    return body as ComiumBundlePage;
  }

  /** `GET /Bundles/Networks`: raw items, or null for an unknown bundle (404). */
  async networks(bundleCode: string, signal?: AbortSignal): Promise<unknown[] | null> {
    const response = await this.authed({ method: 'GET', path: '/Bundles/Networks', query: { bundle_code: bundleCode }, idempotent: true, operation: 'bundles/networks', signal });
    if (response.status === 404) return null;
    if (response.status !== 200) throw comiumRejection(PROVIDER_ID, response);
    // The envelope is not documented: accept our assumed `{data: [...]}` and a bare list alike.
    const body = response.json as { data?: unknown } | unknown[] | undefined;
    const items = Array.isArray(body) ? body : body?.data;
    if (!Array.isArray(items)) throw unexpected('bundles/networks');
    return items;
  }

  health(): ProviderHealth {
    return this.http.health();
  }

  dispose(): void {
    this.sessions.clear();
  }

  /** Any call but login/refresh: sends the session's token, renewing it once on 401/403. */
  async authed(request: UpstreamRequest): Promise<UpstreamResponse> {
    for (let renewed = false; ; renewed = true) {
      const session = await this.sessions.get(request.signal);
      const response = await this.http.request(request);
      if (response.status !== 401 && response.status !== 403) return response;
      if (renewed) throw new ProviderUnavailableError(PROVIDER_ID, 'AUTH');
      this.logger.info({ provider: PROVIDER_ID, operation: request.operation, status: response.status }, 'session refused; renewing once');
      this.sessions.expire(session);
    }
  }
}

export function unexpected(operation: string): ProviderUnavailableError {
  return new ProviderUnavailableError(PROVIDER_ID, 'SERVER_ERROR', `Provider ${PROVIDER_ID} answered ${operation} with an unexpected body.`);
}
