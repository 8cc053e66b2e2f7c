import type { Logger } from 'pino';
import type { ComiumConfig } from '../../config/provider-config';
import { ProviderUnavailableError } from '../../domain/errors';
import type { ProviderHealth } from '../../domain/provider';
import {
  UpstreamHttpClient,
  type UpstreamObserver,
  type UpstreamPolicy,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../http/upstream-client';
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
  private base: ComiumBasePath;

  constructor(
    config: ComiumConfig,
    policy: UpstreamPolicy,
    private readonly logger: Logger,
    observe?: UpstreamObserver,
  ) {
    this.base = splitBaseUrl(config.baseUrl);
    this.http = new UpstreamHttpClient(
      PROVIDER_ID,
      this.base.root,
      policy,
      logger,
      {
        authorize: (request): Record<string, string> => {
          const token = isAuthPath(request.path) ? null : this.sessions.accessToken();
          return token ? { 'Access-Token': token } : {};
        },
        classify: (response, request) => classifyComium(PROVIDER_ID, response, request),
      },
      observe,
    );
    this.sessions = new ComiumSessionManager(
      PROVIDER_ID,
      { request: (request) => this.send(request) },
      { username: config.username, password: config.password },
      logger,
    );
  }

  /** The API prefix in use (`/api/v0`, `/api/v1`, or '' for a base URL without one). */
  apiPrefix(): string {
    return this.base.prefix;
  }

  session(signal?: AbortSignal): Promise<ComiumSession> {
    return this.sessions.get(signal);
  }

  /** `GET /Bundles`: one page, envelope checked (ASSUMED `{data, page_number, page_size, total_count}`). */
  async bundles(query: ComiumBundleQuery, signal?: AbortSignal): Promise<ComiumBundlePage> {
    const response = await this.authed({
      method: 'GET',
      path: '/Bundles',
      query: { ...query },
      idempotent: true,
      operation: 'bundles/list',
      signal,
    });
    if (response.status !== 200) throw comiumRejection(PROVIDER_ID, response);
    const body = response.json as Partial<ComiumBundlePage> | undefined;
    if (!Array.isArray(body?.data) || !Number.isSafeInteger(body.total_count) || (body.total_count as number) < 0)
      throw unexpected('bundles/list');
    return body as ComiumBundlePage;
  }

  /** `GET /Bundles/Networks`: raw items, or null for an unknown bundle (404). */
  async networks(bundleCode: string, signal?: AbortSignal): Promise<unknown[] | null> {
    const response = await this.authed({
      method: 'GET',
      path: '/Bundles/Networks',
      query: { bundle_code: bundleCode },
      idempotent: true,
      operation: 'bundles/networks',
      signal,
    });
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
      const response = await this.send(request);
      if (response.status !== 401 && response.status !== 403) return response;
      if (renewed) throw new ProviderUnavailableError(PROVIDER_ID, 'AUTH');
      this.logger.info(
        { provider: PROVIDER_ID, operation: request.operation, status: response.status },
        'session refused; renewing once',
      );
      this.sessions.expire(session);
    }
  }

  /**
   * One call below the API prefix. The document's Base URL row says `/api/v0` while its overview
   * and spec server path say `/api/v1`: a 404 at login (the first call of every session) tries the
   * other prefix once, and the one that answers is kept for every later call.
   */
  private async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { prefix } = this.base;
    const response = await this.http.request({ ...request, path: prefix + request.path });
    const other = this.base.alternate;
    if (request.path !== LOGIN_PATH || response.status !== 404 || other === null) return response;
    this.logger.warn(
      { provider: PROVIDER_ID, from: prefix, to: other },
      `Comium answered 404 at ${prefix}${LOGIN_PATH}; using ${other}`,
    );
    const retried = await this.http.request({ ...request, path: other + request.path });
    if (retried.status === 404) return response;
    this.base = { ...this.base, prefix: other, alternate: prefix };
    return retried;
  }
}

/** A base URL as its root and its `/api/v0|v1` prefix, with the other one to try on a login 404. */
interface ComiumBasePath {
  readonly root: string;
  readonly prefix: string;
  readonly alternate: string | null;
}

const VERSIONED = /^(.*?)(\/api\/v[01])\/?$/;

export function splitBaseUrl(baseUrl: string): ComiumBasePath {
  const match = VERSIONED.exec(baseUrl);
  if (!match) return { root: baseUrl.replace(/\/$/, ''), prefix: '', alternate: null };
  return { root: match[1], prefix: match[2], alternate: match[2] === '/api/v0' ? '/api/v1' : '/api/v0' };
}

/** Login and refresh carry no Access-Token (paths as sent, prefix included). */
export function isAuthPath(path: string): boolean {
  return path.endsWith(LOGIN_PATH) || path.endsWith(REFRESH_PATH);
}

export function unexpected(operation: string): ProviderUnavailableError {
  return new ProviderUnavailableError(
    PROVIDER_ID,
    'SERVER_ERROR',
    `Provider ${PROVIDER_ID} answered ${operation} with an unexpected body.`,
  );
}
