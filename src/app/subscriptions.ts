import { GraphQLError, parse, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Viewer } from '../domain/account';
import { admitOperation, type Context } from '../graphql/context';
import { checkQueryLimits, collapseRepeatedErrors, PARSE_OPTIONS } from '../graphql/limits';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../graphql/services';

type ConnectionExtra = Record<PropertyKey, unknown> & {
  viewer?: Viewer;
};

/** Operations one socket may run at once: each live subscription holds an iterator and listeners. */
export const MAX_OPERATIONS_PER_CONNECTION = 50;

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * graphql-ws on the same port and path as HTTP GraphQL. The connection is authenticated once in
 * onConnect from the `authorization` connection param; a refused key closes it with 4403. Each
 * operation is then admitted against the key's rate limit and the per-connection cap.
 * This path bypasses Apollo's plugins, so it applies the same rules itself: the token cap while
 * parsing, the query limits before anything executes, and the one error formatter on every error
 * it sends.
 */
export function attachSubscriptions(httpServer: Server, schema: GraphQLSchema, services: Services, formatError: FormatError) {
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  return useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = (params.authorization ?? params.Authorization) as string | undefined;
        try {
          (ctx.extra as ConnectionExtra).viewer = await services.accounts.authenticate(authorization);
          return true;
        } catch {
          return false;
        }
      },
      // Per operation, with loaders that never cache across the events of a long subscription.
      context: (ctx): Context => {
        const viewer = (ctx.extra as ConnectionExtra).viewer!;
        return { viewer, services, loaders: createLoaders(services, viewer, { cache: false }) };
      },
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws reserves this operation's id before calling us: it is among those counted.
        if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS_PER_CONNECTION) {
          return [new GraphQLError(`A connection may run at most ${MAX_OPERATIONS_PER_CONNECTION} operations at once.`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        try {
          await admitOperation(services, (ctx.extra as ConnectionExtra).viewer!);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, PARSE_OPTIONS);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax Error: unreadable document.')];
        }
        const invalid = validate(schema, document);
        if (invalid.length) return collapseRepeatedErrors(invalid);
        const violation = checkQueryLimits(schema, document, payload.operationName, payload.variables);
        if (violation) return [violation];
        // contextValue and rootValue are left out: the server fills them from the options above.
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : undefined),
    },
    wsServer,
  );
}
