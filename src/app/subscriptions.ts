import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { createContext, type Context } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../graphql/services';

type ConnectionExtra = Record<PropertyKey, unknown> & {
  viewerContext?: Context;
};

/**
 * graphql-ws on the same port and path as HTTP GraphQL. The connection is authenticated once in
 * onConnect from the `authorization` connection param; a refused key closes it with 4403.
 */
export function attachSubscriptions(httpServer: Server, schema: GraphQLSchema, services: Services, logger: Logger) {
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  return useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = (params.authorization ?? params.Authorization) as string | undefined;
        try {
          (ctx.extra as ConnectionExtra).viewerContext = await createContext(services, authorization);
          return true;
        } catch {
          return false;
        }
      },
      // Per operation, with loaders that never cache across the events of a long subscription.
      context: (ctx) => {
        const connection = (ctx.extra as ConnectionExtra).viewerContext!;
        return { ...connection, loaders: createLoaders(services, connection.viewer, { cache: false }) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wsServer,
  );
}
