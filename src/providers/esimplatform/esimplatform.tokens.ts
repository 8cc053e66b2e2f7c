import { ProviderUnavailableError } from '../../domain/errors';
import { ESIMPLATFORM_ID, EsimPlatformAuthError } from './esimplatform.errors';

/** What the token cache needs from the client: the two documented token endpoints. */
export interface TokenEndpoints {
  login(): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
}

export interface TokenGrant {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** `token_expires_in`, seconds. */
  readonly expiresInSeconds: number;
}

interface CachedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When we stop using the access token: its lifetime minus a safety margin. */
  readonly renewAt: number;
}

/**
 * After the platform refuses our email/password, logins pause this long. Every login counts
 * toward the documented 5 attempts per IP per 15 minutes, so hammering it would lock us out.
 */
export const CREDENTIALS_COOLDOWN_MS = 60_000;

/**
 * The adapter's JWT cache. It logs in once, refreshes (never re-logs in) when the access token
 * nears expiry or is refused, and logs in again only when the refresh token is refused too.
 * Concurrent callers share one in-flight login or refresh. Renewal is lazy, so there is no timer.
 */
export class EsimPlatformTokens {
  private cached: CachedTokens | null = null;
  private pending: Promise<CachedTokens> | null = null;
  private credentialsRefusedAt: number | null = null;

  constructor(
    private readonly endpoints: TokenEndpoints,
    private readonly now: () => number = Date.now,
  ) {}

  /** A usable access token, logging in or refreshing first when needed. */
  async accessToken(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.renewAt) return cached.accessToken;
    return (await this.renew(cached?.accessToken ?? null)).accessToken;
  }

  /**
   * Replaces `stale` (refused upstream, or due); a caller whose token was already replaced by a
   * concurrent renewal gets the new one without another call.
   */
  async renew(stale: string | null): Promise<CachedTokens> {
    const cached = this.cached;
    if (cached && cached.accessToken !== stale && this.now() < cached.renewAt) return cached;
    // Not tied to one caller's AbortSignal: other callers may be waiting on the same renewal.
    this.pending ??= this.obtain().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** True while logins are paused after the platform refused our credentials. */
  credentialsRefused(): boolean {
    return this.credentialsRefusedAt !== null && this.now() - this.credentialsRefusedAt < CREDENTIALS_COOLDOWN_MS;
  }

  private async obtain(): Promise<CachedTokens> {
    const refreshToken = this.cached?.refreshToken;
    if (refreshToken) {
      const sentAt = this.now();
      try {
        return this.store(sentAt, await this.endpoints.refresh(refreshToken));
      } catch (error) {
        // Only a refused refresh token justifies a new login; outages propagate.
        if (!(error instanceof EsimPlatformAuthError)) throw error;
        this.cached = null;
      }
    }
    if (this.credentialsRefused()) throw new ProviderUnavailableError(ESIMPLATFORM_ID, 'AUTH');
    const sentAt = this.now();
    try {
      const grant = await this.endpoints.login();
      this.credentialsRefusedAt = null;
      return this.store(sentAt, grant);
    } catch (error) {
      if (!(error instanceof EsimPlatformAuthError)) throw error;
      this.credentialsRefusedAt = this.now();
      throw new ProviderUnavailableError(ESIMPLATFORM_ID, 'AUTH');
    }
  }

  private store(sentAt: number, grant: TokenGrant): CachedTokens {
    const ttlMs = grant.expiresInSeconds * 1000;
    // Renew a minute early, or a quarter of the lifetime for short-lived tokens (tests).
    this.cached = {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      renewAt: sentAt + ttlMs - Math.min(60_000, ttlMs / 4),
    };
    return this.cached;
  }
}
