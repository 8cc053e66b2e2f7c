import {
  ProviderError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
} from '../../domain/errors';
import { retryAfterMs, type UpstreamResponse } from '../http/upstream-client';

/**
 * How the gateway treats an eSIM Access error code:
 * - `BUSY`: "system busy", retryable → `ProviderRateLimitedError`;
 * - `SERVER`: provider fault, retryable → `ProviderUnavailableError('SERVER_ERROR')`;
 * - `AUTH`: our credentials, clock or IP are refused → `ProviderUnavailableError('AUTH')`
 *   (never the caller's UNAUTHENTICATED);
 * - `UNKNOWN_PACKAGE`: the package code does not exist → `ProviderRejectedError` (see
 *   `isUnknownPackageError`);
 * - `REJECTED`: any other business refusal → `ProviderRejectedError` with the code.
 */
export type EsimAccessErrorKind = 'BUSY' | 'SERVER' | 'AUTH' | 'UNKNOWN_PACKAGE' | 'REJECTED';

interface ErrorEntry {
  readonly kind: EsimAccessErrorKind;
  /** The provider's published message, shown instead of whatever text the body carried. */
  readonly message: string;
}

/**
 * The published error-code table (seed 001 "Error Codes", research §1.8). An undocumented code
 * is treated as `REJECTED` with a generic message.
 */
export const ESIMACCESS_ERRORS: Readonly<Record<string, ErrorEntry>> = {
  '000001': { kind: 'SERVER', message: 'Server error' },
  '000101': { kind: 'AUTH', message: 'Request header (mandatory) is null' },
  '000102': { kind: 'AUTH', message: 'Wrong request header format' },
  '000103': { kind: 'REJECTED', message: 'This https request method (get/post) is not supported' },
  '000104': { kind: 'REJECTED', message: 'Request in invalid JSON format' },
  '000105': { kind: 'REJECTED', message: 'Request parameters (mandatory) are not contained' },
  '000106': { kind: 'REJECTED', message: 'Request parameter (mandatory) is null' },
  '000107': { kind: 'REJECTED', message: 'The length of the request parameter does not meet the requirement.' },
  // Not published: webhook/save refusing a URL whose CHECK_HEALTH test failed (the simulator's ASSUMED code).
  '000108': { kind: 'REJECTED', message: 'The webhook URL did not answer the CHECK_HEALTH test.' },
  '101001': { kind: 'AUTH', message: 'The timestamp of the request has expired.' },
  '101002': { kind: 'AUTH', message: 'This IP is in the blocklist.' },
  '101003': { kind: 'AUTH', message: 'Request signature mismatch.' },
  '200002': { kind: 'REJECTED', message: 'This operation is not allowed due to the order status.' },
  '200005': { kind: 'REJECTED', message: 'Package price error. Check price.' },
  '200006': { kind: 'REJECTED', message: 'Total order price amount is wrong. Check prices.' },
  '200007': { kind: 'REJECTED', message: 'Insufficient account balance' },
  '200008': { kind: 'REJECTED', message: 'Order parameters error, please contact customer service.' },
  '200009': { kind: 'REJECTED', message: 'Abnormal order status' },
  '200010': { kind: 'REJECTED', message: 'Profile is being downloaded for the order.' },
  '200011': {
    kind: 'REJECTED',
    message: 'Insufficient available Profiles for the package, please contact the customer service.',
  },
  '310201': { kind: 'REJECTED', message: 'The bundle.code does not exist.' },
  '310211': { kind: 'REJECTED', message: 'The data_plan_location.id does not exist.' },
  '310221': { kind: 'REJECTED', message: 'The currencyId does not exist.' },
  '310231': { kind: 'REJECTED', message: 'The carrierId does not exist.' },
  '310241': { kind: 'UNKNOWN_PACKAGE', message: 'The packageCode does not exist.' },
  '310243': { kind: 'UNKNOWN_PACKAGE', message: 'The package does not exist.' },
  '310251': { kind: 'REJECTED', message: 'The vendor does not exist.' },
  '310272': { kind: 'REJECTED', message: 'The orderNo does not exist.' },
  '310403': { kind: 'REJECTED', message: 'The ICCID does not exist in the order.' },
  '900001': { kind: 'BUSY', message: 'The system is busy, please try again later.' },
};

/** A response body read as the `{ success, errorCode, errorMsg, obj }` envelope. */
export interface ParsedEnvelope {
  readonly ok: boolean;
  readonly code: string | null;
  readonly obj: unknown;
}

/** Reads the envelope, accepting `success` as a boolean or "true"/"false"; null when the body is not one. */
export function readEnvelope(json: unknown): ParsedEnvelope | null {
  if (typeof json !== 'object' || json === null || !('success' in json)) return null;
  const { success, errorCode, obj } = json as { success: unknown; errorCode?: unknown; obj?: unknown };
  if (success !== true && success !== false && success !== 'true' && success !== 'false') return null;
  // A numeric errorCode loses its leading zeros in JSON (000001 → 1); restore the 6 digits.
  const code =
    typeof errorCode === 'number'
      ? String(errorCode).padStart(6, '0')
      : typeof errorCode === 'string'
        ? errorCode
        : null;
  return { ok: success === true || success === 'true', code, obj };
}

/** The ProviderError for one eSIM Access error code. */
export function errorForCode(providerId: string, code: string, retryAfter?: number): ProviderError {
  const entry = ESIMACCESS_ERRORS[code];
  const kind: EsimAccessErrorKind = entry?.kind ?? 'REJECTED';
  switch (kind) {
    case 'BUSY':
      return new ProviderRateLimitedError(providerId, retryAfter);
    case 'SERVER':
      return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
    case 'AUTH':
      return new ProviderUnavailableError(providerId, 'AUTH');
    case 'UNKNOWN_PACKAGE':
    case 'REJECTED':
      return new ProviderRejectedError(
        providerId,
        code,
        entry?.message ?? 'The provider returned an undocumented error.',
      );
    default: {
      const never: never = kind;
      throw new Error(`unhandled error kind ${String(never)}`);
    }
  }
}

/**
 * `hooks.classify` for eSIM Access: envelope errors arrive with HTTP 200, so the envelope decides
 * first; HTTP statuses decide only for bodies that are not an envelope.
 */
export function classifyEsimAccessResponse(providerId: string, response: UpstreamResponse): ProviderError | null {
  const envelope = readEnvelope(response.json);
  const retryAfter = retryAfterMs(response.headers);
  if (envelope && !envelope.ok) return errorForCode(providerId, envelope.code ?? 'UNKNOWN', retryAfter);
  if (response.status === 429) return new ProviderRateLimitedError(providerId, retryAfter);
  if (response.status === 401 || response.status === 403) return new ProviderUnavailableError(providerId, 'AUTH');
  if (response.status >= 500) return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
  if (response.status >= 400)
    return new ProviderRejectedError(providerId, `HTTP_${response.status}`, 'The provider refused the request.');
  if (!envelope)
    return new ProviderUnavailableError(
      providerId,
      'SERVER_ERROR',
      `Provider ${providerId} returned an unreadable answer.`,
    );
  return null;
}

const UNKNOWN_PACKAGE_CODES = new Set(
  Object.entries(ESIMACCESS_ERRORS)
    .filter(([, e]) => e.kind === 'UNKNOWN_PACKAGE')
    .map(([code]) => code),
);

/** True for the provider's "package does not exist" refusals (310241, 310243). */
export function isUnknownPackageError(error: unknown): boolean {
  return error instanceof ProviderRejectedError && UNKNOWN_PACKAGE_CODES.has(error.providerCode);
}
