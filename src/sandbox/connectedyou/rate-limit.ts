import type { NextFunction, Request, Response } from 'express';
import { sendError } from './errors';

/**
 * ConnectedYou says only that excess traffic gets 429 (seed, "Rate Limiting"). Assumed: a token
 * bucket of 20 requests per second with a burst of 20 per auth client, answered with
 * `Retry-After: 1`. A bucket (rather than a sliding log) because the seed's sample access token is
 * a Cognito-style JWT, which suggests an AWS API Gateway front, and that gateway throttles so.
 */
export class ClientRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond = 20,
    private readonly burst = 20,
  ) {}

  /** Mount after authentication: the key is the auth client that `res.locals.clientId` names. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const key = String(res.locals.clientId ?? req.ip ?? 'anonymous');
      const now = Date.now();
      const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.ratePerSecond) / 1000);
      bucket.at = now;
      this.buckets.set(key, bucket);
      if (bucket.tokens < 1) {
        res.set('Retry-After', '1');
        sendError(res, 'rate_limited', 'Too many requests; slow down.');
        return;
      }
      bucket.tokens -= 1;
      next();
    };
  }

  clear(): void {
    this.buckets.clear();
  }
}
