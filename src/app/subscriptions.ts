import {
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Disposable } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config';
import { admitOperation, authenticateCaller, type Context } from '../graphql/context';
import { collapseRepeatedErrors, PARSE_OPTIONS } from '../graphql/limits';
import { createLoaders } from '../graphql/loaders';
import { checkOperation } from '../graphql/operation-rules';
import type { Services } from '../graphql/services';
import { freeFormRefusal, mayRunFreeForm, resolveOperation, type TrustedDocuments } from '../graphql/trusted-documents';
import type { OperationEvent } from '../infra/metrics';
import { FrameLimitedWebSocket, setFrameLimit } from './ws-frame-limit';
import { KeyHoldings, type SocketHolding } from './ws-holdings';
import { WsOperationReports } from './ws-metrics';
import { acceptUpgrades, type AcceptedSocket } from './ws-upgrade';

type ConnectionExtra = { socket: WebSocket };
type Connection = SocketHolding & { readonly accepted: AcceptedSocket };

/** Operations one socket may run at once: each live subscription holds an iterator and listeners. */
export const MAX_OPERATIONS_PER_CONNECTION = 50;

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** The graphql-ws server, with what it holds right now (for /metrics). */
export interface Subscriptions extends Disposable {
  live(): { readonly sockets: number; readonly subscriptions: number };
}

/**
 * graphql-ws on the same port and path as HTTP GraphQL. Upgrades are taken in ws-upgrade.ts
 * (per-IP cap on sockets not yet authenticated, a key in the upgrade's header checked before
 * accepting, frames bounded to WS_MAX_INIT_BYTES until connection_init is accepted). A socket
 * without such a header authenticates in onConnect from the `authorization` connection param; a
 * refused key closes it with 4403. Each key holds at most SOCKETS_PER_KEY sockets (4429 beyond)
 * and SUBSCRIPTIONS_PER_KEY live subscriptions (RATE_LIMITED beyond). Each operation is admitted
 * against the key's rate limit and the per-connection cap, then goes through the same operation
 * rules as HTTP (graphql/operation-rules.ts) and the one error formatter.
 */
export function attachSubscriptions(
  httpServer: Server,
  schema: GraphQLSchema,
  services: Services,
  formatError: FormatError,
  config: Pick<Config, 'ws' | 'introspection' | 'corsOrigins'>,
  trusted: TrustedDocuments | null = null,
  /** Told of each operation once (a subscription when it starts), as the HTTP metrics plugin is. */
  observe: (event: OperationEvent) => void = () => undefined,
): Subscriptions {
  const limits = config.ws;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayloadBytes,
    WebSocket: FrameLimitedWebSocket,
  });
  const holdings = new KeyHoldings(limits);
  const connections = new WeakMap<WebSocket, Connection>();
  const connectionOf = (extra: unknown) => connections.get((extra as ConnectionExtra).socket)!;
  const reports = new WsOperationReports(observe);

  const stopUpgrades = acceptUpgrades(
    httpServer,
    wss,
    {
      path: '/graphql',
      maxUnauthenticatedPerIp: limits.maxUnauthenticatedPerIp,
      maxInitBytes: limits.maxInitBytes,
      allowedOrigins: config.corsOrigins,
      authenticate: (header) => authenticateCaller(services, header),
    },
    (socket, request, accepted) => {
      const connection: Connection = { accepted, viewer: accepted.viewer, subscriptions: 0, closed: false };
      connections.set(socket, connection);
      // A key from the upgrade's header is counted now: such a socket never counted as anonymous.
      if (connection.viewer && !holdings.holdSocket(socket, connection)) return;
      wss.emit('connection', socket, request);
    },
  );

  const server = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const connection = connectionOf(ctx.extra);
        if (!connection.viewer) {
          const params = ctx.connectionParams ?? {};
          try {
            connection.viewer = await authenticateCaller(
              services,
              (params.authorization ?? params.Authorization) as string | undefined,
            );
          } catch {
            return false;
          }
          if (!holdings.holdSocket(ctx.extra.socket, connection)) return false;
        }
        connection.accepted.authenticated();
        return setFrameLimit(ctx.extra.socket, limits.maxPayloadBytes);
      },
      // Per operation, with loaders that never cache across the events of a long subscription.
      context: (ctx): Context => {
        const viewer = connectionOf(ctx.extra).viewer!;
        return { viewer, services, loaders: createLoaders(services, viewer, { cache: false }) };
      },
      onSubscribe: async (ctx, _id, payload) => {
        reports.started(payload);
        const connection = connectionOf(ctx.extra);
        // graphql-ws reserves this operation's id before calling us: it is among those counted.
        if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS_PER_CONNECTION) {
          return [
            new GraphQLError(`A connection may run at most ${MAX_OPERATIONS_PER_CONNECTION} operations at once.`, {
              extensions: { code: 'RATE_LIMITED' },
            }),
          ];
        }
        // graphql-ws requires `query` to be a string: a client naming a document sends "" beside its id.
        const source = resolveOperation(trusted, payload as typeof payload & { documentId?: unknown });
        if (source.kind === 'refused') return [source.error];
        if (source.kind === 'free-form' && !mayRunFreeForm(connection.viewer!)) return [freeFormRefusal()];
        try {
          await admitOperation(services, connection.viewer!);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        let document: DocumentNode;
        try {
          document = parse(source.kind === 'stored' ? source.query : payload.query, PARSE_OPTIONS);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax Error: unreadable document.')];
        }
        const invalid = validate(schema, document);
        if (invalid.length) return collapseRepeatedErrors(invalid);
        const operation = getOperationAST(document, payload.operationName);
        reports.resolved(payload, operation);
        const violation = checkOperation(schema, document, payload.operationName, payload.variables, config);
        if (violation) return [violation];
        if (operation?.operation === 'subscription') {
          const refused = holdings.admitSubscription(connection, payload);
          if (refused) return [refused];
        }
        // contextValue and rootValue are left out: the server fills them from the options above.
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      onOperation: (_ctx, _id, payload, _args, result) => reports.operated(payload, result),
      onComplete: (ctx, _id, payload) => holdings.completed(connectionOf(ctx.extra), payload),
      onError: (_ctx, _id, payload, errors) => {
        const formatted = errors.map((error) => formatError(error.toJSON(), error));
        reports.sent(payload, formatted);
        return formatted;
      },
      onNext: (_ctx, _id, payload, _args, result) => {
        const errors = result.errors?.map((error) => formatError(error.toJSON(), error));
        reports.sent(payload, errors);
        return errors ? { ...result, errors } : undefined;
      },
    },
    wss,
  );
  return {
    dispose: async () => {
      stopUpgrades();
      await server.dispose();
    },
    live: () => {
      let subscriptions = 0;
      for (const socket of wss.clients) subscriptions += connections.get(socket)?.subscriptions ?? 0;
      return { sockets: wss.clients.size, subscriptions };
    },
  };
}
