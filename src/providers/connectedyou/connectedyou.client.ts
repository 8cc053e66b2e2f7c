import type { Logger } from 'pino';
import type { ConnectedYouConfig } from '../../config/provider-config';
import { ProviderUnavailableError } from '../../domain/errors';
import type { ProviderHealth } from '../../domain/provider';
import {
  UpstreamHttpClient,
  type UpstreamObserver,
  type UpstreamPolicy,
  type UpstreamRequest,
} from '../http/upstream-client';
import {
  classifyConnectedYou,
  CyAccountMismatchError,
  CyCredentialsRejectedError,
  CyNotFoundError,
  cyUnexpectedShape,
} from './connectedyou.errors';
import { ConnectedYouOrdersClient } from './connectedyou.orders';
import { readProductPage } from './connectedyou.mapper';
import { TokenCache, type IssuedToken } from './connectedyou.token';
import type { CyProductPage } from './connectedyou.types';

export const CONNECTEDYOU_ID = 'connectedyou';
/** Assumed token endpoint (the seed names only client_id/client_secret and an access_token). */
const TOKEN_PATH = '/oauth/token';

type ApiRequest = Omit<UpstreamRequest, 'idempotent'> & { readonly idempotent?: boolean };

/**
 * ConnectedYou's raw endpoints behind one `UpstreamHttpClient`. Every call carries a cached
 * bearer token; a 401/403 for it fetches a new token once and retries, after which it is
 * PROVIDER_UNAVAILABLE/AUTH, as is at once a 404 for our account number. Paths are assumed (README.md).
 */
export class ConnectedYouClient {
  private readonly http: UpstreamHttpClient;
  private readonly tokens: TokenCache;
  private readonly accountPath: string;
  private authRefused = false;
  /** Orders, eSIMs, usage and top-ups, through the same token handling. */
  readonly orders: ConnectedYouOrdersClient;

  constructor(
    private readonly config: ConnectedYouConfig,
    policy: UpstreamPolicy,
    logger: Logger,
    observe?: UpstreamObserver,
  ) {
    this.accountPath = `/reseller-accounts/${encodeURIComponent(config.resellerAccountId)}`;
    this.tokens = new TokenCache(() => this.login());
    this.orders = new ConnectedYouOrdersClient(this.accountPath, (request) => this.call(request), CONNECTEDYOU_ID);
    this.http = new UpstreamHttpClient(
      CONNECTEDYOU_ID,
      config.baseUrl,
      policy,
      logger,
      {
        authorize: (request): Record<string, string> =>
          request.path === TOKEN_PATH ? {} : { authorization: `Bearer ${this.tokens.current() ?? ''}` },
        classify: (response, request) => classifyConnectedYou(CONNECTEDYOU_ID, response, request),
      },
      observe,
    );
  }

  /** One page of the catalog, ordered by product id so pages do not overlap. */
  async listProducts(limit: number, offset: number, signal?: AbortSignal): Promise<CyProductPage> {
    const response = await this.call({
      method: 'GET',
      path: `${this.accountPath}/products`,
      query: { limit, offset, sort: 'product_id' },
      operation: 'products/list',
      signal,
    });
    const page = readProductPage(response);
    if (!page) throw cyUnexpectedShape(CONNECTEDYOU_ID);
    return page;
  }

  /** One product, or null when ConnectedYou has no such product. */
  async getProduct(productId: string, signal?: AbortSignal): Promise<unknown | null> {
    try {
      return await this.call({
        method: 'GET',
        path: `${this.accountPath}/products/${encodeURIComponent(productId)}`,
        operation: 'products/get',
        signal,
      });
    } catch (error) {
      if (error instanceof CyNotFoundError) return null;
      throw error;
    }
  }

  /** The reseller account (number, billing mode, credit). */
  getAccount(signal?: AbortSignal): Promise<unknown> {
    return this.call({ method: 'GET', path: this.accountPath, operation: 'account/get', signal });
  }

  /** The HTTP client's view, plus a refused login or token since the last success (it never opens the circuit). */
  health(): ProviderHealth {
    const base = this.http.health();
    if (!this.authRefused) return base;
    return {
      status: base.status === 'DOWN' ? 'DOWN' : 'DEGRADED',
      circuitOpen: base.circuitOpen,
      lastError: new ProviderUnavailableError(CONNECTEDYOU_ID, 'AUTH').message,
    };
  }

  /** The cached OAuth token, obtained now if there is none or it is due. */
  async connect(): Promise<void> {
    await this.tokens.get();
  }

  dispose(): void {
    this.tokens.clear();
  }

  private async call(request: ApiRequest): Promise<unknown> {
    const full: UpstreamRequest = { idempotent: true, ...request };
    const used = await this.tokens.get();
    try {
      return await this.succeed(full);
    } catch (error) {
      if (error instanceof CyAccountMismatchError) throw this.authFailed();
      if (!(error instanceof CyCredentialsRejectedError)) throw error;
    }
    // An expired or rotated token: one fresh token, one more try (seed: 403 "could be an expired token").
    await this.tokens.renew(used);
    try {
      return await this.succeed(full);
    } catch (error) {
      throw error instanceof CyCredentialsRejectedError || error instanceof CyAccountMismatchError
        ? this.authFailed()
        : error;
    }
  }

  private async succeed(request: UpstreamRequest): Promise<unknown> {
    const response = await this.http.request(request);
    this.authRefused = false;
    return response.json;
  }

  private async login(): Promise<IssuedToken> {
    let body: unknown;
    try {
      body = (
        await this.http.request({
          method: 'POST',
          path: TOKEN_PATH,
          body: {
            grant_type: 'client_credentials',
            client_id: this.config.clientId,
            client_secret: this.config.clientSecret,
          },
          // Asking for a token has no side effect, so transient failures may be retried.
          idempotent: true,
          operation: 'oauth/token',
        })
      ).json;
    } catch (error) {
      throw error instanceof CyCredentialsRejectedError ? this.authFailed() : error;
    }
    const { access_token: accessToken, expires_in: expiresIn } = (body ?? {}) as Record<string, unknown>;
    if (typeof accessToken !== 'string' || !accessToken || typeof expiresIn !== 'number' || !(expiresIn > 0))
      throw cyUnexpectedShape(CONNECTEDYOU_ID);
    return { accessToken, expiresInSeconds: expiresIn };
  }

  private authFailed(): ProviderUnavailableError {
    this.authRefused = true;
    return new ProviderUnavailableError(CONNECTEDYOU_ID, 'AUTH');
  }
}
