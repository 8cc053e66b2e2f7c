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
 * Authenticates the caller from "Bearer <key>" (HTTP header or graphql-ws connection param) and
 * builds fresh loaders. A missing or wrong key fails the whole operation with UNAUTHENTICATED
 * (HTTP 401) before anything executes, introspection included.
 */
export async function createContext(services: Services, authorization: string | undefined | null): Promise<Context> {
  try {
    const viewer = await services.accounts.authenticate(authorization);
    return { viewer, services, loaders: createLoaders(services, viewer) };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') {
      throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
    throw error;
  }
}
