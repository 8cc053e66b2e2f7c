import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SANDBOX_CREDENTIALS } from '../../domain/sandbox-credentials';
import { sendError, sendRateLimited } from './errors';
import { signJwt, verifyJwt, type TokenClaims } from './jwt';
import type { SlidingLog } from './rate-limit';

export interface AuthSettings {
  readonly secret: Buffer;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  readonly now: () => number;
  /** Login/Registration: 5 attempts per IP per 15 minutes (documented). */
  readonly loginLimit: SlidingLog;
  /** Other endpoints: 1000 requests per user per hour (documented). */
  readonly userLimit: SlidingLog;
}

/** The one reseller account of the sandbox. */
export const ACCOUNT = {
  id: 'user-1001',
  email: SANDBOX_CREDENTIALS.esimplatform.email,
  password: SANDBOX_CREDENTIALS.esimplatform.password,
  role: 'reseller',
} as const;

/** `POST /auth/login` and `POST /auth/refresh`. */
export function authRouter(settings: AuthSettings): Router {
  const router = express.Router();
  router.post('/auth/login', (req, res) => {
    const wait = settings.loginLimit.take(`ip:${req.ip ?? 'unknown'}`);
    if (wait !== null) return sendRateLimited(res, wait, 'Too many login attempts, please try again later');
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      return sendError(res, 400, 'VALIDATION_ERROR', 'email and password are required');
    }
    if (email.trim().toLowerCase() !== ACCOUNT.email || password !== ACCOUNT.password) {
      return sendError(res, 401, 'INVALID_CREDENTIALS', 'Invalid email or password');
    }
    res.json({
      success: true,
      ...issuePair(settings),
      user: { id: ACCOUNT.id, email: ACCOUNT.email, role: ACCOUNT.role },
      token_expires_in: settings.accessTtlSeconds,
    });
  });
  router.post('/auth/refresh', (req, res) => {
    const token = (req.body as Record<string, unknown> | undefined)?.refresh_token;
    if (typeof token !== 'string' || !token)
      return sendError(res, 400, 'VALIDATION_ERROR', 'refresh_token is required');
    const result = verifyJwt(token, settings.secret, 'refresh', settings.now());
    if (!result.ok) return sendError(res, 401, result.code, result.message);
    const wait = settings.userLimit.take(`user:${result.claims.sub}`);
    if (wait !== null) return sendRateLimited(res, wait, 'Rate limit exceeded');
    res.json({ success: true, ...issuePair(settings), token_expires_in: settings.accessTtlSeconds });
  });
  return router;
}

/** Requires `Authorization: Bearer <access_token>`, then applies the per-user limit. */
export function requireAccessToken(settings: AuthSettings) {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) return sendError(res, 401, 'UNAUTHORIZED', 'Access token required');
    const result = verifyJwt(match[1], settings.secret, 'access', settings.now());
    if (!result.ok) return sendError(res, 401, result.code, result.message);
    if (result.claims.role !== 'reseller') return sendError(res, 403, 'FORBIDDEN', 'Reseller access required');
    const wait = settings.userLimit.take(`user:${result.claims.sub}`);
    if (wait !== null) return sendRateLimited(res, wait, 'Rate limit exceeded');
    res.locals.user = result.claims;
    next();
  };
}

function issuePair(settings: AuthSettings): { access_token: string; refresh_token: string } {
  const nowMs = settings.now();
  // exp is rounded UP to a whole second, so a token lives at least `token_expires_in` seconds.
  const claims = (typ: TokenClaims['typ'], ttl: number) => ({
    sub: ACCOUNT.id,
    email: ACCOUNT.email,
    role: ACCOUNT.role,
    typ,
    iat: Math.floor(nowMs / 1000),
    exp: Math.ceil(nowMs / 1000) + ttl,
  });
  return {
    access_token: signJwt(claims('access', settings.accessTtlSeconds), settings.secret),
    refresh_token: signJwt(claims('refresh', settings.refreshTtlSeconds), settings.secret),
  };
}
