/** What one client-credentials login returned. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** Renew this long before `expires_in` runs out: 10 % of the lifetime, at most 30 s. */
const EARLY_RENEWAL_MAX_MS = 30_000;

/**
 * The adapter's bearer-token cache. Concurrent callers share one in-flight login; a token is
 * used until shortly before it expires, and a token the provider refused is replaced once
 * (`renew(stale)`), unless another caller already replaced it.
 */
export class TokenCache {
  private token: { readonly value: string; readonly renewAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly login: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The newest token known, for the per-attempt Authorization header. */
  current(): string | null {
    return this.token?.value ?? null;
  }

  /** A token believed valid, logging in when there is none or it is about to expire. */
  get(): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return Promise.resolve(this.token.value);
    return this.renew(this.token?.value ?? null);
  }

  /** A token other than `stale`: the one another caller already fetched, or a fresh login. */
  renew(stale: string | null): Promise<string> {
    if (this.token && this.token.value !== stale && this.now() < this.token.renewAt)
      return Promise.resolve(this.token.value);
    // The login is shared, so it does not take any one caller's abort signal.
    this.inflight ??= this.login()
      .then((issued) => {
        const lifetimeMs = issued.expiresInSeconds * 1000;
        this.token = {
          value: issued.accessToken,
          renewAt: this.now() + lifetimeMs - Math.min(EARLY_RENEWAL_MAX_MS, lifetimeMs / 10),
        };
        return issued.accessToken;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  clear(): void {
    this.token = null;
  }
}
