import type { Response } from 'express';

/**
 * Error codes of the simulated platform. The document shows only the `{ success, ... }` envelope;
 * the `error: { code, message }` shape and these codes are the sandbox's assumption (see
 * src/providers/esimplatform/README.md).
 */
export type PlatformErrorCode =
  | 'VALIDATION_ERROR'
  | 'INVALID_CREDENTIALS'
  | 'UNAUTHORIZED'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'FORBIDDEN'
  | 'PLAN_NOT_FOUND'
  | 'NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'ESIM_NOT_FOUND'
  | 'PACKAGE_NOT_FOUND'
  | 'INSUFFICIENT_CREDITS'
  | 'OUT_OF_STOCK'
  | 'INVALID_STATE'
  | 'DUPLICATE_REFERENCE'
  | 'IDEMPOTENCY_CONFLICT'
  | 'RATE_LIMIT_EXCEEDED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export function sendError(res: Response, status: number, code: PlatformErrorCode, message: string): void {
  res.status(status).json({ success: false, error: { code, message } });
}

export function sendRateLimited(res: Response, retryAfterSeconds: number, message: string): void {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  sendError(res, 429, 'RATE_LIMIT_EXCEEDED', message);
}

/** The error envelope as a handler's answer (for handlers wrapped by the idempotency store). */
export function failure(status: number, code: PlatformErrorCode, message: string): { status: number; body: unknown } {
  return { status, body: { success: false, error: { code, message } } };
}
