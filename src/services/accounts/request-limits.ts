import type { Viewer } from '../../domain/account';
import { RateLimitedError } from '../../domain/errors';
import type { KeyedRateLimiter } from '../../infra/rate-limit';

/**
 * Every GraphQL operation, over HTTP or graphql-ws, spends one unit of its API key's budget.
 * Counted per key, after authentication: an unknown key is refused as UNAUTHENTICATED first.
 */
export class RequestLimits {
  constructor(private readonly limiter: KeyedRateLimiter | null) {}

  /** Throws RATE_LIMITED, with the delay before the next admitted operation, once the budget is spent. */
  async admit(viewer: Viewer): Promise<void> {
    if (!this.limiter) return;
    const admission = await this.limiter.admit(limitKey(viewer));
    if (!admission.admitted) throw new RateLimitedError(admission.retryAfterMs);
  }

  dispose(): Promise<void> {
    return this.limiter?.dispose() ?? Promise.resolve();
  }
}

/** What every per-key limit counts by: the API key, or the account for a caller without one. */
export function limitKey(viewer: Viewer): string {
  return viewer.keyId ?? viewer.accountId;
}
