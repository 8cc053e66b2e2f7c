import {
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type ProviderError,
} from '../../domain/errors';
import { retryAfterMs, type PreparedRequest, type UpstreamResponse } from '../http/upstream-client';

/**
 * How the gateway treats each kind of ConnectedYou failure.
 * - `CREDENTIALS`: our client credentials or token were refused. API calls refresh the token
 *   once and retry; after that (and always at the token endpoint) it is PROVIDER_UNAVAILABLE/AUTH.
 * - `ACCOUNT`: the credentials are not valid for our reseller account number (a configuration
 *   error a new token cannot fix) → PROVIDER_UNAVAILABLE/AUTH at once.
 * - `NOT_FOUND`: the addressed record does not exist (a product lookup answers null).
 * - `REJECTED`: a business or request refusal → PROVIDER_ERROR with the provider's code.
 * - `RATE_LIMITED`: 429 → RATE_LIMITED, honouring Retry-After. Retryable.
 * - `UNAVAILABLE`: 5xx → PROVIDER_UNAVAILABLE. Retryable; opens the circuit.
 */
export type CyErrorKind = 'CREDENTIALS' | 'ACCOUNT' | 'NOT_FOUND' | 'REJECTED' | 'RATE_LIMITED' | 'UNAVAILABLE';

export interface CyErrorEntry {
  readonly status: number;
  readonly kind: CyErrorKind;
  /** Our own wording, shown instead of the upstream message (which we do not control). */
  readonly message: string;
}

/**
 * ConnectedYou's error codes. The HTTP statuses and their meanings are documented (seed
 * 000_d417047f94c58ba8.md, "HTTP Response Status Codes"); the code words in the
 * `{ "error": { "code" } }` body are ASSUMED. Unknown codes fall back to the HTTP status
 * (`kindOfStatus`), so only this table changes when the real codes are known.
 */
export const CY_ERROR_CODES: Readonly<Record<string, CyErrorEntry>> = {
  invalid_request: { status: 400, kind: 'REJECTED', message: 'the request was not well-formed' },
  idempotent_key_required: { status: 400, kind: 'REJECTED', message: 'the idempotent_key header is required' },
  unsupported_grant_type: { status: 400, kind: 'REJECTED', message: 'the token grant type is not supported' },
  invalid_client: { status: 401, kind: 'CREDENTIALS', message: 'the client credentials are not valid' },
  unauthorized: { status: 401, kind: 'CREDENTIALS', message: 'the request did not pass authorization checks' },
  insufficient_credit: { status: 402, kind: 'REJECTED', message: 'there was a problem with a payment' },
  invalid_token: { status: 403, kind: 'CREDENTIALS', message: 'the access token is not valid' },
  token_expired: { status: 403, kind: 'CREDENTIALS', message: 'the access token has expired' },
  excessive_authentication: { status: 403, kind: 'CREDENTIALS', message: 'too many authentication requests' },
  // The seed: 404 "is also returned if the client credentials are not valid for a specific account number in the URL".
  account_not_found: {
    status: 404,
    kind: 'ACCOUNT',
    message: 'the credentials are not valid for the reseller account',
  },
  product_not_found: { status: 404, kind: 'NOT_FOUND', message: 'no such product' },
  not_found: { status: 404, kind: 'NOT_FOUND', message: 'no such resource' },
  order_not_found: { status: 404, kind: 'NOT_FOUND', message: 'no such order' },
  esim_not_found: { status: 404, kind: 'NOT_FOUND', message: 'no such eSIM' },
  method_not_allowed: { status: 405, kind: 'REJECTED', message: 'the HTTP method is not allowed' },
  // The same idempotent_key with another payload: never retried, the key is ours and stays bound.
  idempotency_conflict: {
    status: 409,
    kind: 'REJECTED',
    message: 'the idempotency key was already used with another request',
  },
  payload_too_large: { status: 413, kind: 'REJECTED', message: 'the request body is too large' },
  unsupported_media_type: { status: 415, kind: 'REJECTED', message: 'the content type is not supported' },
  validation_error: { status: 422, kind: 'REJECTED', message: 'the request parameters can not be processed' },
  invalid_product: { status: 422, kind: 'REJECTED', message: 'no such product' },
  product_unavailable: { status: 422, kind: 'REJECTED', message: 'the product can no longer be ordered' },
  out_of_stock: { status: 422, kind: 'REJECTED', message: 'the product is out of stock' },
  topup_not_allowed: {
    status: 422,
    kind: 'REJECTED',
    message: 'the eSIM can not take this top-up in its current state',
  },
  rate_limited: { status: 429, kind: 'RATE_LIMITED', message: 'too many requests' },
  internal_error: { status: 500, kind: 'UNAVAILABLE', message: 'internal server error' },
  service_unavailable: { status: 503, kind: 'UNAVAILABLE', message: 'service unavailable' },
};

/** Our credentials or token were refused. Internal: the client turns it into PROVIDER_UNAVAILABLE/AUTH. */
export class CyCredentialsRejectedError extends ProviderRejectedError {}

/** Our credentials are not valid for the reseller account in the URL. Internal, like the above. */
export class CyAccountMismatchError extends ProviderRejectedError {}

/** The addressed record does not exist. */
export class CyNotFoundError extends ProviderRejectedError {}

/** A 2xx body we cannot read: the provider changed or broke its format, so treat it as unavailable. */
export function cyUnexpectedShape(providerId: string): ProviderUnavailableError {
  return new ProviderUnavailableError(
    providerId,
    'SERVER_ERROR',
    `Provider ${providerId} answered with an unexpected response shape.`,
  );
}

const ACCOUNT_ROOT = /^\/reseller-accounts\/[^/]+\/?$/;

/** `hooks.classify` for ConnectedYou: null for 2xx/3xx, else the ProviderError to throw. */
export function classifyConnectedYou(
  providerId: string,
  response: UpstreamResponse,
  request: PreparedRequest,
): ProviderError | null {
  const { status } = response;
  if (status < 400) return null;
  if (status === 429) return new ProviderRateLimitedError(providerId, retryAfterMs(response.headers));
  if (status >= 500) return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
  const code = errorCodeOf(response.json);
  const entry = code !== null && Object.hasOwn(CY_ERROR_CODES, code) ? CY_ERROR_CODES[code] : undefined;
  const kind = entry?.kind ?? kindOfStatus(status, request.path);
  const providerCode = entry ? code! : `HTTP_${status}`;
  const message = entry?.message ?? `HTTP status ${status}`;
  switch (kind) {
    case 'CREDENTIALS':
      return new CyCredentialsRejectedError(providerId, providerCode, message);
    case 'ACCOUNT':
      return new CyAccountMismatchError(providerId, providerCode, message);
    case 'NOT_FOUND':
      return new CyNotFoundError(providerId, providerCode, message);
    case 'REJECTED':
      return new ProviderRejectedError(providerId, providerCode, message);
    case 'RATE_LIMITED':
      return new ProviderRateLimitedError(providerId, retryAfterMs(response.headers));
    case 'UNAVAILABLE':
      return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
    default:
      return assertNever(kind);
  }
}

/** The documented meaning of a bare status, for bodies without a known code. */
export function kindOfStatus(status: number, path: string): CyErrorKind {
  if (status === 401 || status === 403) return 'CREDENTIALS';
  // A 404 on the account itself can only mean the account number does not match our credentials.
  if (status === 404) return ACCOUNT_ROOT.test(path) ? 'ACCOUNT' : 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'REJECTED';
}

function errorCodeOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : null;
}

function assertNever(value: never): never {
  throw new Error(`unhandled error kind ${String(value)}`);
}
