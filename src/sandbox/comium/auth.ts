import { randomBytes } from 'node:crypto';

/** What `POST /Agent/login` returns (seed 002, "/Agent/login Response"). */
export interface LoginResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_expires_in: number;
  readonly reseller_id: string;
  readonly role: string;
  readonly show_global_esim_bundles: boolean;
}

/** What `POST /Token/Refresh` returns: a new access token and a ROTATED refresh token. */
export interface RefreshResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
}

export type AccessCheck = 'ok' | 'missing' | 'invalid' | 'expired';

export interface AccountSettings {
  readonly username: string;
  readonly password: string;
  readonly resellerId: string;
  readonly showGlobalEsimBundles: boolean;
}

/** Seven days: the document gives no value, only that refresh tokens outlive access tokens. */
const REFRESH_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Comium's sessions: opaque access tokens sent as `Access-Token`, and single-use refresh tokens.
 * Expiry is checked lazily against the clock, so no timers are held.
 */
export class TokenStore {
  private readonly access = new Map<string, number>();
  private readonly refresh = new Map<string, number>();

  constructor(
    private readonly account: AccountSettings,
    private readonly accessTtlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** null when the username/password pair is wrong. */
  login(username: string, password: string): LoginResponse | null {
    if (username !== this.account.username || password !== this.account.password) return null;
    return {
      ...this.issue(),
      token_type: 'Bearer',
      refresh_expires_in: REFRESH_TTL_SECONDS,
      reseller_id: this.account.resellerId,
      role: 'Reseller',
      show_global_esim_bundles: this.account.showGlobalEsimBundles,
    };
  }

  /** null when the refresh token is unknown, expired or was already used (rotation). */
  rotate(refreshToken: string): RefreshResponse | null {
    const expiresAt = this.refresh.get(refreshToken);
    if (expiresAt === undefined) return null;
    this.refresh.delete(refreshToken);
    if (expiresAt <= this.now()) return null;
    return this.issue();
  }

  check(accessToken: string | undefined): AccessCheck {
    if (!accessToken) return 'missing';
    const expiresAt = this.access.get(accessToken);
    if (expiresAt === undefined) return 'invalid';
    return expiresAt > this.now() ? 'ok' : 'expired';
  }

  /** Forgets every access token (as a server-side session purge would); refresh tokens survive. */
  revokeAccessTokens(): void {
    this.access.clear();
  }

  clear(): void {
    this.access.clear();
    this.refresh.clear();
  }

  private issue(): RefreshResponse {
    const accessToken = randomBytes(24).toString('hex');
    const refreshToken = randomBytes(32).toString('hex');
    const now = this.now();
    this.access.set(accessToken, now + this.accessTtlSeconds * 1000);
    this.refresh.set(refreshToken, now + REFRESH_TTL_SECONDS * 1000);
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: this.accessTtlSeconds };
  }
}
