import type { NextFunction, Request, Response } from 'express';
import { ACCESS_CODE_LOCAL } from './auth';
import { sendError } from './errors';

/**
 * At most `limit` requests per access code in any rolling `windowMs` (assumed 10 per second; the
 * documents give no figure). Refusals are 429 RATE_LIMITED with Retry-After in whole seconds and
 * do not consume a slot. State lives in the instance, so each simulator starts with a clean slate.
 */
export function rateLimit(limit: number, windowMs: number, now: () => number = Date.now) {
  const log = new Map<string, number[]>();
  return (_req: Request, res: Response, next: NextFunction) => {
    const key = String(res.locals[ACCESS_CODE_LOCAL] ?? '');
    const at = now();
    const starts = (log.get(key) ?? []).filter((t) => t > at - windowMs);
    if (starts.length >= limit) {
      const waitMs = starts[starts.length - limit] + windowMs - at;
      log.set(key, starts);
      sendError(res, 429, 'RATE_LIMITED', `At most ${limit} requests per second are allowed.`, {
        'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))),
      });
      return;
    }
    starts.push(at);
    log.set(key, starts);
    next();
  };
}
