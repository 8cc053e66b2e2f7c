import { ProviderUnavailableError } from '../../domain/errors';
import type { UpstreamResponse } from '../http/upstream-client';
import { rejection } from './esimtrade.errors';
import type { EsimTradePageMeta } from './esimtrade.types';

export const ESIMTRADE_ID = 'esimtrade' as const;

/** The `{ data, meta }` success envelope; anything else from a 2xx is an upstream fault. */
export function envelope(response: UpstreamResponse, operation: string): { data: unknown; meta?: unknown } {
  const json = response.json;
  if (
    response.status < 200 ||
    response.status >= 300 ||
    typeof json !== 'object' ||
    json === null ||
    !('data' in json)
  ) {
    throw unreadable(operation);
  }
  return json as { data: unknown; meta?: unknown };
}

/**
 * The envelope of a read that may find nothing: null for the 404s the classifier lets through
 * (ORDER_NOT_FOUND, ESIM_NOT_FOUND, PLAN_NOT_FOUND).
 */
export function envelopeOrNull(
  response: UpstreamResponse,
  operation: string,
): { data: unknown; meta?: unknown } | null {
  return response.status === 404 ? null : envelope(response, operation);
}

/**
 * The envelope of a write: a 404 the reads take as "nothing there" (unknown plan slug, unknown
 * ICCID) refuses the write, with eSIMTrade's code.
 */
export function writeEnvelope(response: UpstreamResponse, operation: string): { data: unknown } {
  if (response.status === 404) throw rejection(ESIMTRADE_ID, response);
  return envelope(response, operation);
}

export function isPageMeta(value: unknown): value is EsimTradePageMeta {
  if (typeof value !== 'object' || value === null) return false;
  const { page, limit, total, pages } = value as Record<string, unknown>;
  return [page, limit, total, pages].every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
}

export function unreadable(operation: string): ProviderUnavailableError {
  return new ProviderUnavailableError(
    ESIMTRADE_ID,
    'SERVER_ERROR',
    `Provider ${ESIMTRADE_ID} answered ${operation} with an unreadable response.`,
  );
}
