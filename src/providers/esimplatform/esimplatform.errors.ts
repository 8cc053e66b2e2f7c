import {
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type ProviderError,
} from '../../domain/errors';
import { retryAfterMs, type UpstreamResponse } from '../http/upstream-client';
import type { EsimPlatformErrorCode } from './esimplatform.types';

export const ESIMPLATFORM_ID = 'esimplatform' as const;

/** How the adapter treats an error code. */
export type ErrorKind = 'AUTH' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'REJECTED';

/**
 * The platform's error codes (the `error: { code }` envelope is ASSUMED; the document only shows
 * `success`). HTTP status wins over the code: 429 is always RATE_LIMITED, 5xx UNAVAILABLE, and
 * 401/403 AUTH; the code decides for other statuses (including a 2xx with `success: false`).
 * - AUTH: our token or credentials were refused. On a data call the adapter refreshes (or logs
 *   in again) and retries once; if refused again, or at login, it is `ProviderUnavailableError(AUTH)`.
 * - RATE_LIMITED: `ProviderRateLimitedError` with the Retry-After header; retried by the client.
 * - UNAVAILABLE: `ProviderUnavailableError(SERVER_ERROR)`; retried for reads, counts for the breaker.
 * - REJECTED: `ProviderRejectedError` with the platform's code; never retried.
 * Messages are ours: the upstream's text never reaches callers.
 */
export const ESIMPLATFORM_ERROR_TABLE: Readonly<
  Record<EsimPlatformErrorCode, { readonly kind: ErrorKind; readonly message: string }>
> = {
  VALIDATION_ERROR: { kind: 'REJECTED', message: 'the request was not valid' },
  INVALID_CREDENTIALS: { kind: 'AUTH', message: 'the reseller credentials were refused' },
  UNAUTHORIZED: { kind: 'AUTH', message: 'no access token was accepted' },
  INVALID_TOKEN: { kind: 'AUTH', message: 'the token was refused' },
  TOKEN_EXPIRED: { kind: 'AUTH', message: 'the token has expired' },
  FORBIDDEN: { kind: 'AUTH', message: 'the reseller account may not do this' },
  PLAN_NOT_FOUND: { kind: 'REJECTED', message: 'the plan does not exist' },
  NOT_FOUND: { kind: 'REJECTED', message: 'the resource does not exist' },
  ORDER_NOT_FOUND: { kind: 'REJECTED', message: 'the order does not exist' },
  ESIM_NOT_FOUND: { kind: 'REJECTED', message: 'the eSIM profile does not exist' },
  PACKAGE_NOT_FOUND: { kind: 'REJECTED', message: 'the top-up package does not exist' },
  INSUFFICIENT_CREDITS: { kind: 'REJECTED', message: 'the reseller credit is insufficient' },
  OUT_OF_STOCK: { kind: 'REJECTED', message: 'the plan is out of stock' },
  INVALID_STATE: { kind: 'REJECTED', message: 'the operation is not allowed in the profile state' },
  DUPLICATE_REFERENCE: { kind: 'REJECTED', message: 'an order with this reference already exists' },
  IDEMPOTENCY_CONFLICT: { kind: 'REJECTED', message: 'the idempotency key was used with another request' },
  RATE_LIMIT_EXCEEDED: { kind: 'RATE_LIMITED', message: 'too many requests' },
  INTERNAL_ERROR: { kind: 'UNAVAILABLE', message: 'internal error' },
  SERVICE_UNAVAILABLE: { kind: 'UNAVAILABLE', message: 'service unavailable' },
};

/**
 * Our token or credentials were refused. Internal to the adapter: the client turns it into a
 * token renewal, or into `ProviderUnavailableError(AUTH)`; it never reaches callers.
 */
export class EsimPlatformAuthError extends ProviderRejectedError {}

/** The `hooks.classify` of the platform's client: a provider error, or null for a success. */
export function classifyEsimPlatformResponse(
  response: Pick<UpstreamResponse, 'status' | 'headers' | 'json'>,
): ProviderError | null {
  const body = response.json as { success?: unknown; error?: { code?: unknown } } | undefined;
  const failed = response.status >= 400 || body?.success === false;
  if (!failed) return null;
  const rawCode = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  const known =
    rawCode !== undefined && Object.hasOwn(ESIMPLATFORM_ERROR_TABLE, rawCode)
      ? ESIMPLATFORM_ERROR_TABLE[rawCode as EsimPlatformErrorCode]
      : undefined;
  const code = rawCode ?? `HTTP_${response.status}`;
  const kind: ErrorKind =
    response.status === 429
      ? 'RATE_LIMITED'
      : response.status >= 500
        ? 'UNAVAILABLE'
        : response.status === 401 || response.status === 403
          ? 'AUTH'
          : (known?.kind ?? 'REJECTED');
  const message = known?.message ?? 'the request was refused';
  switch (kind) {
    case 'AUTH':
      return new EsimPlatformAuthError(ESIMPLATFORM_ID, code, message);
    case 'RATE_LIMITED':
      return new ProviderRateLimitedError(ESIMPLATFORM_ID, retryAfterMs(response.headers));
    case 'UNAVAILABLE':
      return new ProviderUnavailableError(ESIMPLATFORM_ID, 'SERVER_ERROR');
    case 'REJECTED':
      return new ProviderRejectedError(ESIMPLATFORM_ID, code, message);
    default: {
      const unreachable: never = kind;
      throw new Error(`unhandled error kind ${String(unreachable)}`);
    }
  }
}

/** The platform answered 2xx with a body we cannot read: an upstream fault, not a refusal. */
export function malformedResponse(): ProviderUnavailableError {
  return new ProviderUnavailableError(
    ESIMPLATFORM_ID,
    'SERVER_ERROR',
    `Provider ${ESIMPLATFORM_ID} answered with an unexpected response shape.`,
  );
}

/** Whether `error` is the platform's business refusal with one of `codes` (e.g. a 404 to answer as null). */
export function isRefusal(error: unknown, ...codes: readonly EsimPlatformErrorCode[]): error is ProviderRejectedError {
  return (
    error instanceof ProviderRejectedError &&
    !(error instanceof EsimPlatformAuthError) &&
    (codes as readonly string[]).includes(error.providerCode)
  );
}
