import type { Answer } from '../shared/idempotency-store';
import type { Response } from 'express';

/** Error codes the simulated eSIMTrade API answers with (assumed; see src/providers/esimtrade/README.md). */
export type SimErrorCode =
  | 'UNAUTHORIZED'
  | 'INVALID_CREDENTIALS'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_ERROR'
  | 'INVALID_PARAMETER'
  | 'INVALID_JSON'
  | 'PLAN_NOT_FOUND'
  | 'NOT_FOUND'
  | 'INSUFFICIENT_BALANCE'
  | 'OUT_OF_STOCK'
  | 'OPERATION_NOT_ALLOWED'
  | 'IDEMPOTENCY_CONFLICT'
  | 'DUPLICATE_REFERENCE'
  | 'ORDER_NOT_FOUND'
  | 'ESIM_NOT_FOUND'
  | 'TOPUP_NOT_FOUND';

/** eSIMTrade's failure envelope: `{ "error": { "code", "message" } }` with a 4xx/5xx status. */
export type { Answer };

export function errorAnswer(status: number, code: SimErrorCode, message: string): Answer {
  return { status, body: { error: { code, message } } };
}

export function sendError(
  res: Response,
  status: number,
  code: SimErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  const answer = errorAnswer(status, code, message);
  res.status(answer.status).set(headers).json(answer.body);
}

/** `flakyResponse` of the control API: fails the way the provider does, a 502/503 or a 429. */
export function sendFlaky(res: Response): void {
  const roll = Math.random();
  if (roll < 0.25) {
    sendError(res, 429, 'RATE_LIMITED', 'Too many requests; retry later.', { 'Retry-After': '1' });
  } else {
    sendError(res, roll < 0.6 ? 502 : 503, 'UPSTREAM_UNAVAILABLE', 'The service is temporarily unavailable.');
  }
}
