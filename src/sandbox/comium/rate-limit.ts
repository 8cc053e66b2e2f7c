import type { NextFunction, Request, Response } from 'express';
import { sendRateLimited } from './errors';

/**
 * Comium documents no rate limit; we assume 10 requests per second per reseller, enforced the
 * way API gateways usually do it: a token bucket of 10 that refills at 10 per second. Refusals
 * are 429 + `Retry-After: 1`.
 */
export class TokenBucketGuard {
  private tokens: number;
  private updatedAt: number;
  /** Requests refused for rate since start, for tests. */
  rejected = 0;

  constructor(
    private readonly perSecond = 10,
    private readonly burst = 10,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  middleware() {
    return (_req: Request, res: Response, next: NextFunction) => {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
      this.updatedAt = now;
      if (this.tokens < 1) {
        this.rejected++;
        sendRateLimited(res);
        return;
      }
      this.tokens -= 1;
      next();
    };
  }

  reset(): void {
    this.tokens = this.burst;
    this.updatedAt = this.now();
  }
}
