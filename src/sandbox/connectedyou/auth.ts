import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { sendError } from './errors';

/** An auth client of the reseller portal (Account › Settings › Auth Clients) and its account. */
export interface AuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accountNumber: string;
}

interface IssuedToken {
  readonly clientId: string;
  readonly accountNumber: string;
  readonly expiresAt: number;
}

/** Token requests one client may make per minute before "excessive authentication" (403). Assumed. */
const LOGINS_PER_MINUTE = 30;

/**
 * OAuth client-credentials tokens. The seed confirms client_id/client_secret and a bearer
 * `access_token`; the token path, body and lifetime are assumptions (see the adapter README).
 * Statuses follow the seed's table: bad credentials 401, expired token or excessive
 * authentication 403, credentials not valid for the account in the URL 404.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly logins = new Map<string, number[]>();

  constructor(
    private readonly clients: readonly AuthClient[],
    private readonly ttlSeconds: number,
  ) {}

  /** POST /oauth/token, JSON or form-encoded. */
  issue() {
    return (req: Request, res: Response) => {
      if (!req.is(['application/json', 'application/x-www-form-urlencoded'])) {
        sendError(res, 'unsupported_media_type', 'Send application/json or application/x-www-form-urlencoded.');
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { grant_type: grantType, client_id: clientId, client_secret: clientSecret } = body;
      if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
        sendError(res, 'invalid_request', 'client_id and client_secret are required.');
        return;
      }
      if (grantType !== 'client_credentials') {
        sendError(res, 'unsupported_grant_type', 'grant_type must be client_credentials.');
        return;
      }
      if (this.tooManyLogins(clientId)) {
        sendError(res, 'excessive_authentication', 'Too many authentication requests for this client.');
        return;
      }
      const client = this.clients.find((c) => c.clientId === clientId && sameSecret(c.clientSecret, clientSecret));
      if (!client) {
        sendError(res, 'invalid_client', 'The client credentials are not valid.');
        return;
      }
      const accessToken = randomBytes(32).toString('base64url');
      this.tokens.set(accessToken, {
        clientId,
        accountNumber: client.accountNumber,
        expiresAt: Date.now() + this.ttlSeconds * 1000,
      });
      res.json({ access_token: accessToken, token_type: 'Bearer', expires_in: this.ttlSeconds });
    };
  }

  /** Bearer check for every other endpoint; puts the client and its account in `res.locals`. */
  authenticate() {
    return (req: Request, res: Response, next: NextFunction) => {
      const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (!match) {
        sendError(res, 'unauthorized', 'A bearer access token is required.');
        return;
      }
      const token = this.tokens.get(match[1]);
      if (!token) {
        sendError(res, 'invalid_token', 'The access token is not valid.');
        return;
      }
      if (token.expiresAt <= Date.now()) {
        this.tokens.delete(match[1]);
        sendError(res, 'token_expired', 'The access token has expired.');
        return;
      }
      res.locals.clientId = token.clientId;
      res.locals.accountNumber = token.accountNumber;
      next();
    };
  }

  /** Invalidates every token, as a credential rotation in the portal would. */
  revokeAll(): void {
    this.tokens.clear();
  }

  clear(): void {
    this.tokens.clear();
    this.logins.clear();
  }

  private tooManyLogins(clientId: string): boolean {
    const now = Date.now();
    const recent = (this.logins.get(clientId) ?? []).filter((t) => t > now - 60_000);
    recent.push(now);
    this.logins.set(clientId, recent);
    return recent.length > LOGINS_PER_MINUTE;
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
