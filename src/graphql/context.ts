import { GraphQLError } from 'graphql';
import type { Viewer } from '../domain/account';
import { DomainError } from '../domain/errors';
import { createLoaders, type Loaders } from './loaders';
import type { Services } from './services';

export interface Context {
  readonly viewer: Viewer;
  readonly services: Services;
  readonly loaders: Loaders;
}

/**
 * Authenticates the caller from "Bearer <key>" (HTTP header) and admits the operation against
 * the key's rate limit, then builds fresh loaders. A missing or wrong key fails the whole
 * operation with UNAUTHENTICATED (HTTP 401), a suspended account's key with FORBIDDEN (HTTP 403),
 * a spent budget with RATE_LIMITED (HTTP 429 and Retry-After), before anything executes,
 * introspection included.
 */
export async function createContext(
  services: Services,
  authorization: string | undefined | null,
  /** The caller as already authenticated from this same header (the trusted-documents check). */
  authenticated?: Viewer,
): Promise<Context> {
  const viewer = authenticated ?? (await authenticateCaller(services, authorization));
  await admit(services, viewer);
  return { viewer, services, loaders: createLoaders(services, viewer) };
}

/**
 * The one authentication of every transport: an HTTP request's header, a WebSocket upgrade's
 * header, or graphql-ws `connection_init` params all go through here, with the same refusal.
 */
export async function authenticateCaller(
  services: Services,
  authorization: string | undefined | null,
): Promise<Viewer> {
  try {
    return await services.accounts.authenticate(authorization);
  } catch (error) {
    throw asRequestError(error);
  }
}

/**
 * graphql-ws authenticates once per connection but admits every operation: the same limit, same
 * error, and the key checked again, so a key revoked or an account suspended since the connection
 * opened is refused (UNAUTHENTICATED, FORBIDDEN) from its next operation.
 */
export async function admitOperation(services: Services, viewer: Viewer): Promise<void> {
  try {
    await services.accounts.recheck(viewer);
  } catch (error) {
    throw asRequestError(error);
  }
  await admit(services, viewer);
}

async function admit(services: Services, viewer: Viewer): Promise<void> {
  try {
    await services.requestLimits.admit(viewer);
  } catch (error) {
    throw asRequestError(error);
  }
}

/** Refusals of the request as a whole, with the HTTP status Apollo answers them with. */
function asRequestError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  if (error.code === 'UNAUTHENTICATED')
    return new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  if (error.code === 'FORBIDDEN')
    return new GraphQLError(error.message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  if (error.code === 'RATE_LIMITED') {
    const retryAfterMs = error.details.retryAfterMs as number;
    // Apollo reads `http.headers` as a Map; graphql-yoga's typings, also in the build, declare a record.
    const headers = new Map([['retry-after', String(Math.ceil(retryAfterMs / 1000))]]) as unknown as Record<
      string,
      string
    >;
    return new GraphQLError(error.message, {
      extensions: { code: 'RATE_LIMITED', retryAfterMs, http: { status: 429, headers } },
    });
  }
  return error;
}
