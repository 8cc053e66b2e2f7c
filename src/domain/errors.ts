/** Every `extensions.code` the contract allows (shared/contract/README.md, "Error codes"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'INSUFFICIENT_FUNDS'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PLAN_UNAVAILABLE'
  | 'TOP_UP_NOT_SUPPORTED'
  | 'NOT_SUPPORTED'
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_ERROR'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL_SERVER_ERROR';

/**
 * An expected failure with a contract code. Its message is shown to the client as is, so it
 * must never carry a stack, an upstream URL or body, or a secret.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid API key is required: send "Authorization: Bearer <key>".') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'This operation is reserved to administrators.') {
    super('FORBIDDEN', message);
  }
}

export class BadUserInputError extends DomainError {
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : {});
  }
}

/**
 * Why a cancel and a top-up of the same profile exclude each other (shared/contract has no code
 * for it, so BAD_USER_INPUT; `extensions.reason` tells which case a client can act on).
 */
export type ProfileConflict = 'PROFILE_TOPPED_UP' | 'TOP_UP_IN_PROGRESS' | 'CANCEL_IN_PROGRESS' | 'PROFILE_CANCELLED';

/** A cancel refused because of the profile's top-ups, or a top-up refused because of a cancel. */
export class ProfileConflictError extends DomainError {
  constructor(
    readonly reason: ProfileConflict,
    message: string,
    field: string,
  ) {
    super('BAD_USER_INPUT', message, { field, reason });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`);
  }
}

export class NotSupportedError extends DomainError {
  constructor(message: string) {
    super('NOT_SUPPORTED', message);
  }
}

export class InsufficientFundsError extends DomainError {
  constructor(required: string, currency: string) {
    super('INSUFFICIENT_FUNDS', `The wallet balance does not cover ${required} ${currency}.`, { required, currency });
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with different input.');
  }
}

export class PlanUnavailableError extends DomainError {
  constructor(planId: string, why = 'is not offered by its provider right now') {
    super('PLAN_UNAVAILABLE', `Plan ${planId} ${why}.`, { planId });
  }
}

export class TopUpNotSupportedError extends DomainError {
  constructor(message: string) {
    super('TOP_UP_NOT_SUPPORTED', message);
  }
}

/** The caller's API key spent its request budget; `retryAfterMs` says when to come back. */
export class RateLimitedError extends DomainError {
  constructor(retryAfterMs: number) {
    super('RATE_LIMITED', `Too many requests for this API key; retry in ${Math.ceil(retryAfterMs / 1000)} s.`, {
      retryAfterMs,
    });
  }
}

/**
 * Base of every failure that comes from an upstream provider. Adapters throw only these; the
 * message is safe to show (no URL, body or credential).
 */
export class ProviderError extends DomainError {
  constructor(
    code: 'PROVIDER_UNAVAILABLE' | 'PROVIDER_ERROR' | 'RATE_LIMITED',
    readonly providerId: string,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message, { providerId, ...details });
  }
}

/** The provider could not be reached, timed out, answered 5xx, or its circuit is open. Retryable. */
export class ProviderUnavailableError extends ProviderError {
  constructor(
    providerId: string,
    readonly reason: 'TIMEOUT' | 'NETWORK' | 'SERVER_ERROR' | 'CIRCUIT_OPEN' | 'AUTH' = 'SERVER_ERROR',
    message?: string,
  ) {
    super(
      'PROVIDER_UNAVAILABLE',
      providerId,
      message ?? `Provider ${providerId} is unavailable (${reason.toLowerCase().replace('_', ' ')}).`,
      { reason },
    );
  }
}

/** The provider (or our client-side limit for it) refused for rate; `retryAfterMs` when known. */
export class ProviderRateLimitedError extends ProviderError {
  constructor(
    providerId: string,
    readonly retryAfterMs?: number,
  ) {
    super(
      'RATE_LIMITED',
      providerId,
      `Provider ${providerId} is rate limiting requests; retry later.`,
      retryAfterMs === undefined ? {} : { retryAfterMs },
    );
  }
}

/** The provider understood and refused the request; `providerCode` is its own error code. */
export class ProviderRejectedError extends ProviderError {
  /** The provider's own words, without our prefix (kept apart: only admins and logs see them). */
  readonly providerMessage: string;

  constructor(
    providerId: string,
    readonly providerCode: string,
    message: string,
  ) {
    super('PROVIDER_ERROR', providerId, `${providerId} refused the request (${providerCode}): ${message}`, {
      providerCode,
    });
    this.providerMessage = message;
  }
}

export function isRetryableProviderError(error: unknown): boolean {
  return error instanceof ProviderUnavailableError || error instanceof ProviderRateLimitedError;
}

/**
 * True for failures that prove a request was never acted on upstream: a rate-limit refusal (the
 * provider's 429, or our own limit before sending) or an open circuit (nothing was sent). Safe to
 * send again, even a money-moving call without a documented idempotency key.
 */
export function notProcessed(error: unknown): boolean {
  return (
    error instanceof ProviderRateLimitedError ||
    (error instanceof ProviderUnavailableError && error.reason === 'CIRCUIT_OPEN')
  );
}
