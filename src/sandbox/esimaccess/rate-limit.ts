import type { NextFunction, Request, Response } from 'express';
import { sendError } from './errors';

/**
 * The documented 8 requests per second, enforced over a sliding one-second window of admitted
 * requests and answered with HTTP 429 + envelope 900001 (status and code ASSUMED, see README).
 * Refused requests do not count, so a client that backs off is served again after the window.
 */
export class SlidingWindow {
  private readonly admitted: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  tryAdmit(now = Date.now()): boolean {
    while (this.admitted.length && this.admitted[0] <= now - this.windowMs) this.admitted.shift();
    if (this.admitted.length >= this.limit) return false;
    this.admitted.push(now);
    return true;
  }

  middleware() {
    return (_req: Request, res: Response, next: NextFunction) => {
      if (this.tryAdmit()) {
        next();
        return;
      }
      sendError(res, '900001', 429);
    };
  }
}
