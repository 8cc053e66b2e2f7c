import { ProviderRejectedError, ProviderUnavailableError } from '../../domain/errors';
import type { ProviderHealth } from '../../domain/provider';
import type { EsimPlatformConfig } from '../../config/provider-config';
import type { AdapterDeps } from '../adapter-deps';
import {
  DEFAULT_UPSTREAM_POLICY,
  UpstreamHttpClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../http/upstream-client';
import {
  ESIMPLATFORM_ID,
  EsimPlatformAuthError,
  classifyEsimPlatformResponse,
  malformedResponse as malformed,
} from './esimplatform.errors';
import { EsimPlatformOrders } from './esimplatform.orders';
import { EsimPlatformTokens, type TokenGrant } from './esimplatform.tokens';
import { EsimPlatformSubscriptions } from './esimplatform.webhooks';
import type {
  RawBalance,
  RawLoginResponse,
  RawPlan,
  RawPlanPage,
  RawPlanResponse,
  RawRefreshResponse,
} from './esimplatform.types';

/** Documented: "Other endpoints: 1000 requests per user per hour". */
export const ESIMPLATFORM_RATE_LIMIT = { limit: 1000, windowMs: 3_600_000 } as const;
/** Documented maximum of `limit` on `GET /plans`. */
export const PLANS_PAGE_SIZE = 100;

/** A request the client signs with the Bearer token; its own headers (Idempotency-Key) are kept. */
export type AuthedRequest = UpstreamRequest;

/** The platform's raw endpoints, JWT Bearer auth included, over one UpstreamHttpClient. */
export class EsimPlatformClient {
  private readonly http: UpstreamHttpClient;
  readonly tokens: EsimPlatformTokens;
  /** Orders, eSIMs, usage and top-ups, over the same authenticated transport. */
  readonly orders: EsimPlatformOrders;
  /** Webhook subscriptions, over the same authenticated transport. */
  readonly subscriptions: EsimPlatformSubscriptions;

  constructor(
    private readonly config: EsimPlatformConfig,
    deps: AdapterDeps,
  ) {
    const policy = { ...DEFAULT_UPSTREAM_POLICY, rateLimit: ESIMPLATFORM_RATE_LIMIT, ...deps.policy };
    this.http = new UpstreamHttpClient(
      ESIMPLATFORM_ID,
      config.baseUrl,
      policy,
      deps.logger,
      { classify: classifyEsimPlatformResponse },
      deps.observe,
    );
    this.tokens = new EsimPlatformTokens({ login: () => this.login(), refresh: (token) => this.refresh(token) });
    this.orders = new EsimPlatformOrders((request) => this.authed(request));
    this.subscriptions = new EsimPlatformSubscriptions((request) => this.authed(request));
  }

  health(): ProviderHealth {
    return this.http.health();
  }

  async listPlans(page: number, signal?: AbortSignal): Promise<RawPlanPage> {
    const res = await this.authed({
      method: 'GET',
      path: '/plans',
      query: { page, limit: PLANS_PAGE_SIZE },
      idempotent: true,
      operation: 'plans/list',
      signal,
    });
    const body = res.json as Partial<RawPlanPage> | undefined;
    if (!Array.isArray(body?.data) || !Number.isSafeInteger(body.pagination?.total_pages)) throw malformed();
    return body as RawPlanPage;
  }

  /** One plan by id; null when the platform answers PLAN_NOT_FOUND. */
  async getPlan(id: string, signal?: AbortSignal): Promise<RawPlan | null> {
    try {
      const res = await this.authed({
        method: 'GET',
        path: `/plans/${encodeURIComponent(id)}`,
        idempotent: true,
        operation: 'plans/get',
        signal,
      });
      const body = res.json as Partial<RawPlanResponse> | undefined;
      if (body?.data === null || typeof body?.data !== 'object') throw malformed();
      return body.data;
    } catch (error) {
      if (
        error instanceof ProviderRejectedError &&
        (error.providerCode === 'PLAN_NOT_FOUND' || error.providerCode === 'NOT_FOUND')
      )
        return null;
      throw error;
    }
  }

  async getBalance(signal?: AbortSignal): Promise<RawBalance> {
    const res = await this.authed({
      method: 'GET',
      path: '/credits/balance',
      idempotent: true,
      operation: 'credits/balance',
      signal,
    });
    const body = res.json as Partial<RawBalance> | undefined;
    if (typeof body?.currency !== 'string' || typeof body.billing_mode !== 'string') throw malformed();
    return body as RawBalance;
  }

  /**
   * Sends with the cached access token; when the platform refuses it (expired, revoked), renews it
   * once and retries. A second refusal means our account itself is refused: PROVIDER_UNAVAILABLE.
   */
  async authed(request: AuthedRequest): Promise<UpstreamResponse> {
    const token = await this.tokens.accessToken();
    try {
      return await this.http.request({ ...request, headers: { ...request.headers, ...bearer(token) } });
    } catch (error) {
      if (!(error instanceof EsimPlatformAuthError)) throw error;
    }
    const renewed = await this.tokens.renew(token);
    try {
      return await this.http.request({ ...request, headers: { ...request.headers, ...bearer(renewed.accessToken) } });
    } catch (error) {
      if (error instanceof EsimPlatformAuthError) throw new ProviderUnavailableError(ESIMPLATFORM_ID, 'AUTH');
      throw error;
    }
  }

  // Login and refresh create no resource, so retrying them after a 5xx is safe; a refused
  // password is not retried (it is classified as a rejection, not an outage).
  private async login(): Promise<TokenGrant> {
    const res = await this.http.request({
      method: 'POST',
      path: '/auth/login',
      body: { email: this.config.email, password: this.config.password },
      idempotent: true,
      operation: 'auth/login',
    });
    return grantOf(res.json as Partial<RawLoginResponse> | undefined);
  }

  private async refresh(refreshToken: string): Promise<TokenGrant> {
    const res = await this.http.request({
      method: 'POST',
      path: '/auth/refresh',
      body: { refresh_token: refreshToken },
      idempotent: true,
      operation: 'auth/refresh',
    });
    return grantOf(res.json as Partial<RawRefreshResponse> | undefined);
  }
}

function grantOf(body: Partial<RawRefreshResponse> | undefined): TokenGrant {
  const ttl = body?.token_expires_in;
  if (
    typeof body?.access_token !== 'string' ||
    typeof body.refresh_token !== 'string' ||
    typeof ttl !== 'number' ||
    !(ttl > 0)
  )
    throw malformed();
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresInSeconds: ttl };
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
