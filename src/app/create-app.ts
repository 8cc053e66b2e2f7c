import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { withListeningPort, type Config } from '../config';
import { claimDataDir } from '../infra/data-dir-claim';
import { openDatabase } from '../db/data-source';
import { countOrdersByStatus, countOrdersFailedOver, sumWalletBalances } from '../db/repositories/business-counts';
import { authenticateCaller, createContext } from '../graphql/context';
import { createFormatError } from '../graphql/errors';
import { PARSE_OPTIONS } from '../graphql/limits';
import { buildGatewaySchema } from '../graphql/schema';
import { loadTrustedDocuments } from '../graphql/trusted-documents';
import type { Services } from '../graphql/services';
import { drainHttpServer } from '../http/drain';
import { graphiqlRoutes } from '../http/graphiql.routes';
import { corsFor } from '../http/cors';
import { createHttpServer } from '../http/http-server';
import { queryLimitsPlugin } from '../http/limits.plugin';
import { authenticatedViewer, trustedDocumentsMiddleware } from '../http/trusted-documents';
import { healthRoutes } from '../http/health.routes';
import { operationMetricsPlugin } from '../http/metrics.plugin';
import { requestLog } from '../http/request-log';
import { graphqlSpans, graphqlTracingPlugin } from '../http/tracing';
import { createCache, disposeCache } from '../infra/cache';
import { listen } from '../infra/listen';
import { createLogger } from '../infra/logger';
import { Metrics, type UpstreamEvent } from '../infra/metrics';
import { createGatewayPubSub } from '../infra/pubsub';
import { startTelemetry } from '../infra/telemetry';
import { createRegistry, type ProviderRegistry } from '../providers/registry';
import { createSandbox, type Sandbox } from '../sandbox/server';
import type { Reconciler } from '../services/ordering/reconciler';
import { createServices, startWorkers } from './services';
import { webhookRoutes } from '../http/webhooks.routes';
import type { Outbox } from '../services/realtime/outbox';
import { attachSubscriptions } from './subscriptions';

export interface App {
  readonly config: Config;
  readonly url: string;
  readonly httpServer: Server;
  readonly db: DataSource;
  readonly services: Services;
  readonly registry: ProviderRegistry;
  /** Finishes unfinished orders and top-ups; exposed for tests and operations. */
  readonly reconciler: Reconciler;
  /** Publishes events after their commit, and sweeps up what a dead writer left; exposed for tests. */
  readonly outbox: Outbox;
  readonly sandbox: Sandbox | null;
  readonly logger: Logger;
  /** The generated admin key when none was configured (sandbox mode), to print once. */
  readonly generatedAdminKey: string | null;
  /** Drains HTTP and WebSocket, then closes providers, the database and the cache. Idempotent. */
  dispose(): Promise<void>;
}

/** Requests in flight get this long to finish at shutdown; main.ts exits within 10 s in all. */
const DRAIN_GRACE_MS = 5000;

/** The process keeps files in DATA_DIR: the embedded SQLite database, or the embedded sandbox's state. */
function ownsFiles(config: Config): boolean {
  return config.databaseUrl === null || config.embedSandbox;
}

/** Where this machine reaches a server bound to `host` (a wildcard address is reached on loopback). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The composition root: builds every singleton, wires HTTP + WebSocket on one port, and listens. */
export async function createApp(
  initial: Config,
  options: {
    logger?: Logger;
    host?: string;
    queryLogger?: TypeOrmLogger;
    /** Traces go here instead of OTEL_EXPORTER_OTLP_ENDPOINT's collector (tests). */
    spanExporter?: SpanExporter;
  } = {},
): Promise<App> {
  const logger = options.logger ?? createLogger(initial.logLevel);
  // Read before anything is claimed or opened: a bad manifest stops the start with its file named.
  const trustedDocuments = initial.trustedDocumentsPath ? loadTrustedDocuments(initial.trustedDocumentsPath) : null;
  const expressApp = express();
  expressApp.disable('x-powered-by');
  expressApp.use(requestLog(logger));
  // Before the port and the database: a second process on this DATA_DIR must leave the first
  // one's SQLite file, admin key and sandbox state untouched.
  const claim = ownsFiles(initial) ? await claimDataDir(initial.dataDir) : null;
  const httpServer = createHttpServer(expressApp, initial.http);
  await listen(httpServer, initial.port, options.host ?? initial.host).catch(async (error: unknown) => {
    await claim?.release();
    throw error;
  });
  const config = withListeningPort(initial, (httpServer.address() as AddressInfo).port);
  const url = `http://${reachableHost(initial.host)}:${config.port}`;
  claim?.announce(url);

  const metrics = new Metrics();
  const telemetry = startTelemetry(
    options.spanExporter
      ? { exporter: options.spanExporter }
      : config.otlpEndpoint
        ? { endpoint: config.otlpEndpoint }
        : null,
  );
  const observeUpstream = (event: UpstreamEvent) => {
    metrics.observeUpstream(event);
    telemetry.upstream(event);
  };
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    queryTimeoutMs: config.databaseQueryTimeoutMs,
    logger: options.queryLogger,
  });
  const cache = createCache(config.redisUrl, config.cacheNamespace);
  const { pubSub, dispose: disposePubSub } = createGatewayPubSub({
    redisUrl: config.redisUrl,
    namespace: config.cacheNamespace,
  });
  const registry = createRegistry(
    config.providers,
    { logger, observe: observeUpstream, policy: config.upstream },
    { redisUrl: config.redisUrl, namespace: config.cacheNamespace },
  );
  const graph = createServices(config, db, registry, cache, pubSub, logger, {
    walletMoved: metrics.observeWalletMovement,
  });
  const { services, reconciler, webhooks, outbox } = graph;
  metrics.watchAttention({
    orders: () => services.orderResolution.countOrdersNeedingAttention(),
    topUps: () => services.orderResolution.countTopUpsNeedingAttention(),
  });
  const providers = services.providers;
  const generatedAdminKey = await services.accounts.ensureBootstrapAdmin(config.bootstrapAdminKey);

  const schema = await buildGatewaySchema(pubSub);
  const formatError = createFormatError(logger);
  const subscriptions = attachSubscriptions(
    httpServer,
    schema,
    services,
    formatError,
    config,
    trustedDocuments,
    metrics.observeOperation,
  );
  metrics.watch({
    ordersByStatus: () => countOrdersByStatus(db),
    ordersFailedOver: () => countOrdersFailedOver(db),
    walletBalances: () => sumWalletBalances(db),
    live: () => subscriptions.live(),
  });
  const apollo = new ApolloServer({
    schema,
    // Decided with the other operation rules, for HTTP and graphql-ws alike (graphql/operation-rules.ts,
    // via queryLimitsPlugin): Apollo's own switch would refuse first, with another code, on HTTP only.
    introspection: true,
    // Set explicitly, whatever NODE_ENV says: no stack traces, no "Did you mean", no batches.
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT and disposes everything in order; Apollo's own handlers (on
    // whenever NODE_ENV is not "test") would stop the server first, and our second stop() never
    // returned.
    stopOnTerminationSignals: false,
    parseOptions: PARSE_OPTIONS,
    formatError,
    plugins: [
      operationMetricsPlugin(metrics.observeOperation),
      ...(telemetry.enabled ? [graphqlTracingPlugin(telemetry)] : []),
      queryLimitsPlugin(config),
      // We set no cache hints; the plugin would still wrap every field resolver (a profile of the
      // catalog search showed it among the top costs).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo enables federated tracing (ftv1) for a subgraph schema: it times every field and sends
      // the timings to any caller that asks by header. Not ours to reveal, and not worth its cost.
      ApolloServerPluginInlineTraceDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await Promise.all([subscriptions.dispose(), drainHttpServer(httpServer, DRAIN_GRACE_MS)]);
            },
          };
        },
      },
      // GraphiQL is an express route below; Apollo's own landing page would load from a CDN.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  // /graphql first: express tries routes in order, and every GraphQL request walking through the
  // health, webhook and sandbox routers first cost a fifth of a trivial query's CPU.
  // Browser apps on the listed origins only; same-origin pages (GraphiQL) need no CORS at all.
  if (config.corsOrigins.length) expressApp.use('/graphql', corsFor(config.corsOrigins));
  if (config.graphiql) expressApp.use('/graphql', graphiqlRoutes());
  expressApp.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    // Inside the span from here on: the resolvers' upstream calls become its children.
    ...(telemetry.enabled ? [graphqlSpans(telemetry)] : []),
    trustedDocumentsMiddleware(trustedDocuments, (header) => authenticateCaller(services, header), formatError),
    expressMiddleware(apollo, {
      context: ({ req }) => createContext(services, req.headers.authorization, authenticatedViewer(req)),
    }),
  );
  // A body express.json refuses (not JSON, not an object or array, over the limit) is a request
  // error in GraphQL's shape, never Express's HTML page (which carries a stack outside production).
  expressApp.use(
    '/graphql',
    (
      error: { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (res.headersSent || !error.status || error.status >= 500) return next(error);
      res.status(error.status).json({
        errors: [
          {
            message:
              error.type === 'entity.too.large'
                ? 'The request body is larger than 1 MB.'
                : 'The request body must be a JSON object.',
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    },
  );
  // Its state lives beside the database (<DATA_DIR>/sandbox/<id>.json), under this process's claim.
  const sandbox = config.embedSandbox
    ? createSandbox({ orderDelayMs: config.sandboxOrderDelayMs, stateDir: config.dataDir })
    : null;
  if (sandbox) expressApp.use('/sandbox', sandbox.router);
  expressApp.use(healthRoutes(db, providers, metrics));
  expressApp.use(webhookRoutes(webhooks, logger));
  // Background work starts once every route answers: a provider may call back during registration.
  const workers = startWorkers(config, graph);

  let disposing: Promise<void> | null = null;
  const dispose = () =>
    (disposing ??= (async () => {
      await apollo.stop();
      await workers.stop();
      await services.requestLimits.dispose();
      sandbox?.dispose();
      await registry.dispose();
      await db.destroy();
      await disposeCache(cache);
      await disposePubSub();
      await telemetry.shutdown();
      await claim?.release();
    })());

  return {
    config,
    url,
    httpServer,
    db,
    services,
    registry,
    reconciler,
    outbox,
    sandbox,
    logger,
    generatedAdminKey,
    dispose,
  };
}
