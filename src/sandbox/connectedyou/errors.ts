import type { Request, Response } from 'express';

/**
 * ConnectedYou's error codes as this simulator answers them. The seed documents only the HTTP
 * statuses (000_d417047f94c58ba8.md, "HTTP Response Status Codes"); the body shape
 * `{ "error": { "code", "message" } }` and the code words are our assumption.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  idempotent_key_required: 400,
  unsupported_grant_type: 400,
  invalid_client: 401,
  unauthorized: 401,
  insufficient_credit: 402,
  invalid_token: 403,
  token_expired: 403,
  excessive_authentication: 403,
  account_not_found: 404,
  product_not_found: 404,
  not_found: 404,
  order_not_found: 404,
  esim_not_found: 404,
  method_not_allowed: 405,
  idempotency_conflict: 409,
  unsupported_media_type: 415,
  validation_error: 422,
  invalid_product: 422,
  product_unavailable: 422,
  out_of_stock: 422,
  topup_not_allowed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type SimErrorCode = keyof typeof ERROR_STATUS;

export function sendError(res: Response, code: SimErrorCode, message: string): void {
  res.status(ERROR_STATUS[code]).json({ error: { code, message } });
}

export function methodNotAllowed(_req: Request, res: Response): void {
  sendError(res, 'method_not_allowed', 'This method is not allowed on this resource.');
}

/** Microsecond UTC timestamps, as ConnectedYou writes them (e.g. 2025-06-01T02:21:56.608000Z). */
export function microsecondTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
