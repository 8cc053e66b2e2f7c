import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The two token kinds the platform issues; each is refused where the other is expected. */
export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  readonly sub: string;
  readonly email: string;
  readonly role: 'reseller';
  readonly typ: TokenType;
  readonly jti: string;
  /** Seconds since the epoch (RFC 7519 NumericDate). */
  readonly iat: number;
  readonly exp: number;
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED'; readonly message: string };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Signs an HS256 JWT (RFC 7515 compact form). */
export function signJwt(claims: Omit<TokenClaims, 'jti'>, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString('base64url');
  return `${HEADER}.${body}.${signature(`${HEADER}.${body}`, secret)}`;
}

/** Checks the signature first, then the token type, then `exp`, like jsonwebtoken's verify. */
export function verifyJwt(token: string, secret: Buffer, expected: TokenType, nowMs: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return invalid('Malformed token');
  const [head, body, sig] = parts;
  const header = parseSegment(head);
  if (header?.alg !== 'HS256') return invalid('Unsupported token algorithm');
  // Compare the encoded strings, not decoded bytes: base64url decoding ignores the padding bits of
  // the last character, so a tampered final character could otherwise still verify.
  const want = Buffer.from(signature(`${head}.${body}`, secret));
  const got = Buffer.from(sig);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return invalid('Invalid token signature');
  const claims = parseSegment(body) as Partial<TokenClaims> | null;
  if (!claims || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return invalid('Malformed token');
  if (claims.typ !== expected) return invalid(`An ${expected} token is required`);
  if (nowMs / 1000 >= claims.exp) return { ok: false, code: 'TOKEN_EXPIRED', message: 'Token has expired' };
  return { ok: true, claims: claims as TokenClaims };
}

function signature(input: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

function parseSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function invalid(message: string): VerifyResult {
  return { ok: false, code: 'INVALID_TOKEN', message };
}
