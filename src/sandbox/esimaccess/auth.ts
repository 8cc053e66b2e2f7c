import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { sendError, type SimErrorCode } from './errors';

/** Tolerance for RT-Timestamp; the provider does not publish one (ASSUMED ±5 minutes, README). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

const REQUEST_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** hex(HMAC-SHA256(secret, timestamp + requestId + accessCode + body)), per the HMAC chapter (EA-PDF). */
export function esimAccessSignature(
  secretKey: string,
  timestamp: string,
  requestId: string,
  accessCode: string,
  body: string,
): string {
  return createHmac('sha256', secretKey)
    .update(timestamp + requestId + accessCode + body)
    .digest('hex');
}

export interface SignedRequest {
  readonly accessCode?: string;
  readonly requestId?: string;
  readonly timestamp?: string;
  readonly signature?: string;
  readonly body: string;
}

/**
 * Checks the four RT-* headers the way the provider answers: a missing header is 000101, a
 * malformed one 000102, a stale timestamp 101001, an unknown access code or a wrong signature
 * 101003. Returns null when the request is authentic.
 */
export function verifySignature(
  request: SignedRequest,
  secrets: ReadonlyMap<string, string>,
  now = Date.now(),
): SimErrorCode | null {
  const { accessCode, requestId, timestamp, signature, body } = request;
  if (!accessCode || !requestId || !timestamp || !signature) return '000101';
  if (!/^\d{1,16}$/.test(timestamp) || !REQUEST_ID.test(requestId) || !HEX_SHA256.test(signature)) return '000102';
  if (Math.abs(now - Number(timestamp)) > TIMESTAMP_TOLERANCE_MS) return '101001';
  const secret = secrets.get(accessCode);
  if (secret === undefined) return '101003';
  const expected = Buffer.from(esimAccessSignature(secret, timestamp, requestId, accessCode, body), 'hex');
  // The doc's worked example prints uppercase hex while its text says lowercase: compare bytes.
  const given = Buffer.from(signature, 'hex');
  return timingSafeEqual(expected, given) ? null : '101003';
}

/** Express middleware; expects the raw body as a string in `req.body` (express.text). */
export function signatureGuard(secrets: ReadonlyMap<string, string>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const error = verifySignature(
      {
        accessCode: req.get('RT-AccessCode'),
        requestId: req.get('RT-RequestID'),
        timestamp: req.get('RT-Timestamp'),
        signature: req.get('RT-Signature'),
        body: typeof req.body === 'string' ? req.body : '',
      },
      secrets,
    );
    if (error) {
      sendError(res, error);
      return;
    }
    next();
  };
}
