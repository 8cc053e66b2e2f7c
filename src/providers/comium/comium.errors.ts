import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError, type ProviderError } from '../../domain/errors';
import { retryAfterMs, type PreparedRequest, type UpstreamResponse } from '../http/upstream-client';
import type { ComiumErrorBody } from './comium.types';

/**
 * One documented Comium failure. Comium has no numeric error codes: its error catalog (seed 002,
 * "Enums & Error Catalog") names each failure by HTTP status and the `message` detail it sends.
 * `providerCode` is our stable spelling of that detail, carried by `ProviderRejectedError`.
 */
export interface ComiumErrorEntry {
  readonly status: number;
  /** The `message` text Comium sends, matched case-insensitively. */
  readonly detail: string;
  readonly providerCode: string;
  /** Safe, fixed text shown instead of the upstream body. */
  readonly description: string;
}

/** The documented catalog, plus `Bundle not found` (ASSUMED for `/Bundles/Networks`). */
export const COMIUM_ERRORS: readonly ComiumErrorEntry[] = [
  { status: 400, detail: 'Feature not supported', providerCode: 'FEATURE_NOT_SUPPORTED', description: 'Global eSIM bundles are not enabled for this reseller account' },
  { status: 400, detail: 'At least order_id or iccid is required', providerCode: 'ORDER_OR_ICCID_REQUIRED', description: 'an order id or an ICCID is required' },
  { status: 400, detail: 'ICCID and order_id cannot be provided together', providerCode: 'ORDER_AND_ICCID_EXCLUSIVE', description: 'send either an order id or an ICCID, not both' },
  { status: 404, detail: 'Profile not found', providerCode: 'PROFILE_NOT_FOUND', description: 'no such profile or order' },
  { status: 404, detail: 'Bundle not found', providerCode: 'BUNDLE_NOT_FOUND', description: 'no such bundle' },
];

/** Login and refresh: any 4xx but 429 there concerns our credentials, which the session manager judges. */
const AUTH_PATHS: ReadonlySet<string> = new Set(['/Agent/login', '/Token/Refresh']);

/**
 * `hooks.classify` for Comium: 429 → RATE_LIMITED (with Retry-After), 5xx → PROVIDER_UNAVAILABLE,
 * other 4xx → `ProviderRejectedError`. Passed through for the caller to judge: 401/403 (our
 * session: the client re-authenticates once, then reports AUTH), 404 (absence, read as null) and
 * every 4xx of login/refresh (refused credentials must not be retried).
 */
export function classifyComium(providerId: string, response: UpstreamResponse, request: Pick<PreparedRequest, 'path'>): ProviderError | null {
  const { status } = response;
  if (status === 429) return new ProviderRateLimitedError(providerId, retryAfterMs(response.headers));
  if (status >= 500) return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
  if (status < 400 || status === 401 || status === 403 || status === 404 || AUTH_PATHS.has(request.path)) return null;
  return comiumRejection(providerId, response);
}

/** The business refusal for a 4xx answer, coded from the table; unknown details become `HTTP_<status>`. */
export function comiumRejection(providerId: string, response: UpstreamResponse): ProviderRejectedError {
  const entry = findComiumError(response.status, detailOf(response.json));
  return entry
    ? new ProviderRejectedError(providerId, entry.providerCode, entry.description)
    : new ProviderRejectedError(providerId, `HTTP_${response.status}`, `request refused (HTTP ${response.status})`);
}

export function findComiumError(status: number, detail: string | undefined): ComiumErrorEntry | undefined {
  const wanted = detail?.trim().toLowerCase();
  return wanted ? COMIUM_ERRORS.find((e) => e.status === status && e.detail.toLowerCase() === wanted) : undefined;
}

function detailOf(json: unknown): string | undefined {
  const body = json as ComiumErrorBody | undefined;
  return typeof body?.message === 'string' ? body.message : undefined;
}
