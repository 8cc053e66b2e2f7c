import {
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type ProviderError,
} from '../../domain/errors';
import { retryAfterMs, type UpstreamResponse } from '../http/upstream-client';
import type { EsimTradeErrorCode } from './esimtrade.types';

/**
 * What an eSIMTrade failure means to the gateway:
 * - `AUTH`: OUR access code / secret key was refused → `ProviderUnavailableError(id, 'AUTH')`,
 *   never the caller's UNAUTHENTICATED;
 * - `RATE_LIMITED`: → `ProviderRateLimitedError`, with Retry-After when sent (retried for reads);
 * - `UNAVAILABLE`: eSIMTrade or its own upstream is down → `ProviderUnavailableError` (retried,
 *   counts towards the circuit breaker);
 * - `ABSENT`: the looked-up thing does not exist; not an error, a read answers null (a write
 *   turns it into a `ProviderRejectedError` itself, see `esimtrade.envelope.ts`);
 * - `REJECTED`: a business refusal → `ProviderRejectedError` carrying eSIMTrade's own code.
 */
export type EsimTradeErrorKind = 'AUTH' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'ABSENT' | 'REJECTED';

/**
 * eSIMTrade's error codes (all ASSUMED, see README.md) and how each is classified. A code missing
 * from this table is classified by its HTTP status instead (401/403 AUTH, 429 RATE_LIMITED, 5xx
 * UNAVAILABLE, any other 4xx REJECTED with the code as sent). A 5xx is UNAVAILABLE whatever its code.
 */
export const ESIMTRADE_ERRORS: Readonly<Record<EsimTradeErrorCode, { kind: EsimTradeErrorKind; description: string }>> =
  {
    UNAUTHORIZED: { kind: 'AUTH', description: 'credentials missing' },
    INVALID_CREDENTIALS: { kind: 'AUTH', description: 'access code or secret key refused' },
    FORBIDDEN: { kind: 'AUTH', description: 'reseller account not allowed to call the API' },
    RATE_LIMITED: { kind: 'RATE_LIMITED', description: 'too many requests' },
    UPSTREAM_UNAVAILABLE: { kind: 'UNAVAILABLE', description: 'service temporarily unavailable' },
    INTERNAL_ERROR: { kind: 'UNAVAILABLE', description: 'internal error' },
    PLAN_NOT_FOUND: { kind: 'ABSENT', description: 'no plan has this slug' },
    NOT_FOUND: { kind: 'REJECTED', description: 'no such resource' },
    INVALID_PARAMETER: { kind: 'REJECTED', description: 'a parameter was refused' },
    INVALID_JSON: { kind: 'REJECTED', description: 'the request body was not valid JSON' },
    INSUFFICIENT_BALANCE: { kind: 'REJECTED', description: 'the prepaid wallet balance is too low' },
    IDEMPOTENCY_CONFLICT: { kind: 'REJECTED', description: 'the idempotency key was used for another request' },
    OUT_OF_STOCK: { kind: 'REJECTED', description: 'the plan is out of stock' },
    OPERATION_NOT_ALLOWED: { kind: 'REJECTED', description: 'the eSIM does not allow this in its current state' },
    DUPLICATE_REFERENCE: { kind: 'REJECTED', description: 'an order with this reference exists' },
    ORDER_NOT_FOUND: { kind: 'ABSENT', description: 'no order matches' },
    ESIM_NOT_FOUND: { kind: 'ABSENT', description: 'no eSIM with this ICCID belongs to the reseller' },
    TOPUP_NOT_FOUND: { kind: 'REJECTED', description: 'the top-up is not offered for this eSIM' },
  };

function isKnownCode(code: string): code is EsimTradeErrorCode {
  return Object.prototype.hasOwnProperty.call(ESIMTRADE_ERRORS, code);
}

/** The `error.code` of a failure envelope, or null when the body is not one. */
export function errorCodeOf(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const error = (json as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.length > 0 ? code : null;
}

export function errorKind(status: number, code: string | null): EsimTradeErrorKind {
  if (status >= 500) return 'UNAVAILABLE';
  if (code !== null && isKnownCode(code)) return ESIMTRADE_ERRORS[code].kind;
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 429) return 'RATE_LIMITED';
  return 'REJECTED';
}

/**
 * `hooks.classify` of the eSIMTrade client: a provider error, or null for a response the client
 * reads (2xx, and ABSENT 404s). Messages carry codes only, never the upstream body.
 */
export function classifyEsimTradeResponse(providerId: string, response: UpstreamResponse): ProviderError | null {
  if (response.status >= 200 && response.status < 300) return null;
  const code = errorCodeOf(response.json);
  const kind = errorKind(response.status, code);
  switch (kind) {
    case 'AUTH':
      return new ProviderUnavailableError(providerId, 'AUTH');
    case 'RATE_LIMITED':
      return new ProviderRateLimitedError(providerId, retryAfterMs(response.headers));
    case 'UNAVAILABLE':
      return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
    case 'ABSENT':
      return null;
    case 'REJECTED':
      return rejection(providerId, response);
    default: {
      const unknown: never = kind;
      throw new Error(`unhandled error kind ${String(unknown)}`);
    }
  }
}

/** A refusal carrying eSIMTrade's own code, or `HTTP_<status>` when the body has none. */
export function rejection(providerId: string, response: UpstreamResponse): ProviderRejectedError {
  const code = errorCodeOf(response.json);
  const description =
    code !== null && isKnownCode(code) ? ESIMTRADE_ERRORS[code].description : `HTTP ${response.status}`;
  return new ProviderRejectedError(providerId, code ?? `HTTP_${response.status}`, description);
}
