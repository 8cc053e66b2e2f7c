import {
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type ProviderError,
} from '../../domain/errors';
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

/**
 * The documented catalog, plus ASSUMED details (README): `Bundle not found` for an unknown
 * bundle code, and the refusals of a sale or top-up, which the document does not list.
 */
export const COMIUM_ERRORS: readonly ComiumErrorEntry[] = [
  {
    status: 400,
    detail: 'Feature not supported',
    providerCode: 'FEATURE_NOT_SUPPORTED',
    description: 'Global eSIM bundles are not enabled for this reseller account',
  },
  {
    status: 400,
    detail: 'At least order_id or iccid is required',
    providerCode: 'ORDER_OR_ICCID_REQUIRED',
    description: 'an order id or an ICCID is required',
  },
  {
    status: 400,
    detail: 'ICCID and order_id cannot be provided together',
    providerCode: 'ORDER_AND_ICCID_EXCLUSIVE',
    description: 'send either an order id or an ICCID, not both',
  },
  {
    status: 404,
    detail: 'Profile not found',
    providerCode: 'PROFILE_NOT_FOUND',
    description: 'no such profile or order',
  },
  { status: 404, detail: 'Bundle not found', providerCode: 'BUNDLE_NOT_FOUND', description: 'no such bundle' },
  {
    status: 402,
    detail: 'Insufficient wallet balance',
    providerCode: 'INSUFFICIENT_BALANCE',
    description: 'the reseller wallet cannot pay for this bundle',
  },
  {
    status: 400,
    detail: 'Bundle is not available',
    providerCode: 'BUNDLE_UNAVAILABLE',
    description: 'the bundle is out of stock',
  },
  {
    status: 409,
    detail: 'Duplicate order_reference',
    providerCode: 'DUPLICATE_ORDER_REFERENCE',
    description: 'this order reference was already used',
  },
  {
    status: 400,
    detail: 'Profile cannot be topped up in its current state',
    providerCode: 'TOPUP_NOT_ALLOWED',
    description: 'the profile cannot be topped up in its current state',
  },
  {
    status: 400,
    detail: 'Bundle does not support top-up',
    providerCode: 'TOPUP_NOT_SUPPORTED',
    description: 'this bundle cannot be sold as a top-up',
  },
  {
    status: 400,
    detail: 'Bundle is not compatible with this profile',
    providerCode: 'TOPUP_INCOMPATIBLE',
    description: 'this bundle does not match the profile type or coverage',
  },
];

/** Login and refresh (below any API prefix): any 4xx but 429 there concerns our credentials, which the session manager judges. */
const isAuthPath = (path: string) => path.endsWith('/Agent/login') || path.endsWith('/Token/Refresh');

/**
 * `hooks.classify` for Comium: 429 → RATE_LIMITED (with Retry-After), 5xx → PROVIDER_UNAVAILABLE,
 * other 4xx → `ProviderRejectedError`. Passed through for the caller to judge: 401/403 (our
 * session: the client re-authenticates once, then reports AUTH), 404 (absence, read as null) and
 * every 4xx of login/refresh (refused credentials must not be retried).
 */
export function classifyComium(
  providerId: string,
  response: UpstreamResponse,
  request: Pick<PreparedRequest, 'path'>,
): ProviderError | null {
  const { status } = response;
  if (status === 429) return new ProviderRateLimitedError(providerId, retryAfterMs(response.headers));
  if (status >= 500) return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
  if (status < 400 || status === 401 || status === 403 || status === 404 || isAuthPath(request.path)) return null;
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
