import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { sendError } from './errors';

export interface AccessKey {
  readonly accessCode: string;
  readonly secretKey: string;
}

/** Where the authenticated access code is kept for the rate limiter and the profile routes. */
export const ACCESS_CODE_LOCAL = 'esimtradeAccessCode';

/**
 * The access-code + secret-key pair from the reseller portal (seed 004), sent as `X-Access-Code`
 * and `X-Secret-Key` on every call (header names assumed). A missing header is 401 UNAUTHORIZED,
 * a wrong pair 401 INVALID_CREDENTIALS, without saying which half was wrong.
 */
export function authenticate(key: AccessKey) {
  return (req: Request, res: Response, next: NextFunction) => {
    const code = req.get('x-access-code');
    const secret = req.get('x-secret-key');
    if (!code || !secret) {
      sendError(res, 401, 'UNAUTHORIZED', 'X-Access-Code and X-Secret-Key headers are required.');
      return;
    }
    if (!sameText(code, key.accessCode) || !sameText(secret, key.secretKey)) {
      sendError(res, 401, 'INVALID_CREDENTIALS', 'The access code or secret key is not valid.');
      return;
    }
    res.locals[ACCESS_CODE_LOCAL] = code;
    next();
  };
}

/** Constant-time comparison; digests first so unequal lengths do not leak through timing. */
function sameText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
