import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError, type ErrorCode } from '../domain/errors';
import { isTokenLimitError, withoutSuggestions } from './limits';

/** Refusals of the whole request that keep their own code (and message). */
const REQUEST_REFUSAL_CODES = new Set(['UNAUTHENTICATED', 'QUERY_TOO_COMPLEX', 'FORBIDDEN', 'RATE_LIMITED']);
/** Spec-level failures graphql-js or Apollo raise about the request itself; their messages are safe. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
/** Details a DomainError may expose; anything else stays server-side. */
const PUBLIC_DETAILS = ['providerCode', 'providerId', 'field', 'retryAfterMs', 'reason'];

/**
 * The one place that turns errors into the contract's `extensions.code`. Domain errors keep their
 * code and message; request errors become BAD_USER_INPUT; everything else is masked as
 * INTERNAL_SERVER_ERROR with a fixed message (logged here with its stack, never sent).
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof DomainError) {
      const details = Object.fromEntries(
        PUBLIC_DETAILS.filter((k) => original.details[k] !== undefined).map((k) => [k, original.details[k]]),
      );
      return { ...base, message: original.message, extensions: { code: original.code, ...details } };
    }
    if (isTokenLimitError(formatted)) return { ...base, extensions: { code: 'QUERY_TOO_COMPLEX' satisfies ErrorCode } };
    const code =
      (original instanceof GraphQLError ? original.extensions?.code : undefined) ?? formatted.extensions?.code;
    if (typeof code === 'string' && (REQUEST_ERROR_CODES.has(code) || REQUEST_REFUSAL_CODES.has(code))) {
      const retryAfterMs = original instanceof GraphQLError ? original.extensions.retryAfterMs : undefined;
      return {
        ...base,
        message: withoutSuggestions(base.message),
        extensions: {
          code: REQUEST_ERROR_CODES.has(code) ? 'BAD_USER_INPUT' : code,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      };
    }
    if (
      original instanceof GraphQLError &&
      !original.originalError &&
      formatted.path === undefined &&
      code === undefined
    ) {
      // graphql-js request errors without a code (parse and validation on the WebSocket path, variable coercion)
      return { ...base, message: withoutSuggestions(base.message), extensions: { code: 'BAD_USER_INPUT' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' satisfies ErrorCode },
    };
  };
}
