/**
 * Each adapter's configuration slice. `sandbox` is true when no real credentials were configured
 * and the adapter talks to the simulator with `SANDBOX_CREDENTIALS`.
 */
interface Base {
  /** API root the client appends its paths to (live default, or the simulator's URL). */
  readonly baseUrl: string;
  readonly sandbox: boolean;
}

export interface EsimAccessConfig extends Base {
  readonly accessCode: string;
  readonly secretKey: string;
}

export interface ConnectedYouConfig extends Base {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly resellerAccountId: string;
}

export interface ComiumConfig extends Base {
  readonly username: string;
  readonly password: string;
}

export interface EsimPlatformConfig extends Base {
  readonly email: string;
  readonly password: string;
}

export interface EsimTradeConfig extends Base {
  readonly accessCode: string;
  readonly secretKey: string;
}

export interface ProvidersConfig {
  readonly esimaccess: EsimAccessConfig;
  readonly connectedyou: ConnectedYouConfig;
  readonly comium: ComiumConfig;
  readonly esimplatform: EsimPlatformConfig;
  readonly esimtrade: EsimTradeConfig;
}

/**
 * Resilience of every provider's HTTP client (UPSTREAM_* variables). The names are those of the
 * client's policy, which takes this object as overrides of its per-provider defaults.
 */
export interface UpstreamConfig {
  /** Deadline of one upstream call, its retries and their waits included (UPSTREAM_TIMEOUT_MS, default 8000). */
  readonly timeoutMs: number;
  /** Attempts of a read or idempotency-keyed write (UPSTREAM_MAX_ATTEMPTS, default 5); other writes are sent once. */
  readonly maxAttempts: number;
  /** Consecutive failed calls that open a provider's circuit (UPSTREAM_BREAKER_THRESHOLD, default 3). */
  readonly breakerThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through (UPSTREAM_HALF_OPEN_MS, default 10000). */
  readonly halfOpenAfterMs: number;
}

export { SANDBOX_API_PREFIX } from '../domain/sandbox-api-prefix';

/**
 * Live API roots (used when real credentials are configured and no base URL override is given).
 * Comium: seed 002's Base URL row says `/api/v0` (its overview and spec server path say `/api/v1`);
 * the adapter tries the other prefix once on a 404 at login and keeps the one that answers.
 * `COMIUM_BASE_URL` ending in `/api/v1` (or `/api/v0`) picks the prefix.
 */
export const LIVE_BASE_URL = {
  esimaccess: 'https://api.esimaccess.com',
  connectedyou: 'https://api.reseller.esim.connectedyou.io/v1',
  comium: 'https://resellerapi.comium.gm/api/v0',
  esimplatform: 'https://api.example.com/api/v1',
  esimtrade: 'https://api.esimtrade.com',
} as const;
