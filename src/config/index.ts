import path from 'node:path';
import { isMarkupPercent } from '../domain/account';
import { SANDBOX_CREDENTIALS } from '../domain/sandbox-credentials';
import { SANDBOX_API_PREFIX } from '../domain/sandbox-api-prefix';
import { StartupError } from '../domain/startup-error';
import { LIVE_BASE_URL, type ProvidersConfig, type UpstreamConfig } from './provider-config';

export type { ProvidersConfig, UpstreamConfig } from './provider-config';

/** The gateway's whole configuration, parsed once from the environment and frozen. */
export interface Config {
  /** HTTP and WebSocket port (PORT, default 4000). */
  readonly port: number;
  /** Address to listen on (HOST, default 127.0.0.1: only this machine); 0.0.0.0 is opt-in. */
  readonly host: string;
  /**
   * Browser origins allowed to call /graphql and open subscriptions (CORS_ORIGINS, comma-separated,
   * none by default). A WebSocket whose Origin header names another origin is refused.
   */
  readonly corsOrigins: readonly string[];
  /**
   * A persisted-documents manifest (TRUSTED_DOCUMENTS, the JSON graphql-codegen's client preset writes):
   * when set, only those documents run, by hash; admin keys may still send free-form operations.
   */
  readonly trustedDocumentsPath: string | null;
  /** OTLP/HTTP endpoint for traces (OTEL_EXPORTER_OTLP_ENDPOINT); null: no tracing. */
  readonly otlpEndpoint: string | null;
  /** Where the SQLite file lives (DATA_DIR, default ./data). */
  readonly dataDir: string;
  /** mysql://… for MySQL/MariaDB (DATABASE_URL); null = embedded SQLite under dataDir. */
  readonly databaseUrl: string | null;
  /**
   * MySQL/MariaDB only: longest wait for the server to answer one statement, or a new connection to
   * complete its handshake (DB_QUERY_TIMEOUT_MS, default 10 s). A silent network path then fails the
   * operation instead of hanging it. SQLite is embedded and needs none.
   */
  readonly databaseQueryTimeoutMs: number;
  /** Shared cache, pub/sub and limits (REDIS_URL); null = in-process. */
  readonly redisUrl: string | null;
  /** Key namespace in the shared cache (CACHE_NAMESPACE, default esim-gateway); gateways sharing catalogs use the same. */
  readonly cacheNamespace: string;
  /** Base URL providers call back (PUBLIC_URL, default http://127.0.0.1:<port>). */
  readonly publicUrl: string;
  /** A running `npm run sandbox` to use instead of the embedded simulators (SANDBOX_URL). */
  readonly sandboxUrl: string | null;
  /** True when at least one provider has no real credentials and so runs on a simulator. */
  readonly sandboxMode: boolean;
  /** Mount the simulators under /sandbox on this server (sandbox mode without SANDBOX_URL). */
  readonly embedSandbox: boolean;
  readonly sandboxPort: number;
  readonly sandboxOrderDelayMs: number;
  /** Ensure an ADMIN answers to this key at start-up (GATEWAY_BOOTSTRAP_ADMIN_KEY). */
  readonly bootstrapAdminKey: string | null;
  /** GRAPHQL_INTROSPECTION=false turns introspection off for everyone. */
  readonly introspection: boolean;
  /** Catalog cache TTL per provider (CATALOG_TTL_MS, default 5 minutes). */
  readonly catalogTtlMs: number;
  /**
   * How much dearer than the chosen plan an equivalent at another provider may be and still be the
   * fallback route, in percent (FAILOVER_TOLERANCE_PERCENT, decimal string, default "0": never dearer).
   */
  readonly failoverTolerancePercent: string;
  /** Provider balance cache TTL (BALANCE_TTL_MS, default 30 s). */
  readonly balanceTtlMs: number;
  readonly usagePollIntervalMs: number;
  /** How often the order reconciler looks for due orders and top-ups (RECONCILE_INTERVAL_MS, default 1000). */
  readonly reconcileIntervalMs: number;
  /**
   * An order or top-up still not final this long after it was placed gets `attention` for an admin
   * (ORDER_ATTENTION_AFTER_MS, default 30 minutes); the reconciler keeps looking it up meanwhile.
   */
  readonly orderAttentionAfterMs: number;
  /** Secret in the callback URL registered with providers (WEBHOOK_SECRET); null: generated once, kept in the database. */
  readonly webhookSecret: string | null;
  /**
   * Webhook credentials per provider: `current` from WEBHOOK_SECRET_<PROVIDER> (null: derived from
   * the master secret), `previous` from WEBHOOK_SECRET_<PROVIDER>_PREVIOUS, still accepted during a
   * rotation. `previousMaster` (WEBHOOK_SECRET_PREVIOUS) is the master secret being rotated out.
   */
  readonly webhookSecrets: {
    readonly previousMaster: string | null;
    readonly perProvider: Readonly<
      Record<keyof ProvidersConfig, { readonly current: string | null; readonly previous: string | null }>
    >;
  };
  /** GraphiQL on GET /graphql from a browser (GRAPHIQL, default true). */
  readonly graphiql: boolean;
  /** HTTP server timeouts (HTTP_*_TIMEOUT_MS): slow headers, whole requests, idle keep-alive, silent sockets. */
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    /** A connection that sends nothing for this long is closed (HTTP_IDLE_TIMEOUT_MS, default 30 s). */
    readonly idleTimeoutMs: number;
  };
  /** What one client may hold over graphql-ws (WS_*, SUBSCRIPTIONS_PER_KEY, SOCKETS_PER_KEY). */
  readonly ws: {
    /** Largest frame accepted at all (WS_MAX_PAYLOAD_BYTES, default 1 MiB, like HTTP bodies). */
    readonly maxPayloadBytes: number;
    /** Largest frame before connection_init is acknowledged (WS_MAX_INIT_BYTES, default 16 KiB); more closes with 1009. */
    readonly maxInitBytes: number;
    /** Sockets per client IP not yet authenticated (WS_MAX_UNAUTHENTICATED_PER_IP, default 16). */
    readonly maxUnauthenticatedPerIp: number;
    /** Live subscriptions per API key (SUBSCRIPTIONS_PER_KEY, default 200). */
    readonly subscriptionsPerKey: number;
    /** Open sockets per API key (SOCKETS_PER_KEY, default 50). */
    readonly socketsPerKey: number;
  };
  /** Background work per provider, so a hung provider delays only its own orders. */
  readonly reconcile: {
    /** Upstream lookups in flight per provider (RECONCILE_CONCURRENCY_PER_PROVIDER, default 4). */
    readonly concurrencyPerProvider: number;
    /** Deadline of one order's or top-up's reconciliation step (RECONCILE_DEADLINE_MS, default 20 s). */
    readonly deadlineMs: number;
  };
  /** How long live usage read upstream is reused (USAGE_CACHE_TTL_MS, default 60 s). */
  readonly usageCacheTtlMs: number;
  /** Timeout, retry and circuit-breaker tuning of every provider's client (UPSTREAM_*). */
  readonly upstream: UpstreamConfig;
  /**
   * Operations per API key (RATE_LIMIT_PER_SECOND, default 100; 0 turns the limit off), plus a
   * burst allowance per ten seconds (RATE_LIMIT_BURST, default 2000).
   */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number } | null;
  /** LOG_LEVEL, default info (silent in tests). */
  readonly logLevel: string;
  readonly providers: ProvidersConfig;
}

export { StartupError };

export class ConfigError extends StartupError {}

/** Each provider's id and the prefix of its environment variables. */
const PROVIDER_ENV_PREFIXES: ReadonlyArray<readonly [keyof ProvidersConfig, string]> = [
  ['esimaccess', 'ESIMACCESS'],
  ['connectedyou', 'CONNECTEDYOU'],
  ['comium', 'COMIUM'],
  ['esimplatform', 'ESIMPLATFORM'],
  ['esimtrade', 'ESIMTRADE'],
];

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment. Fails with the NAMES of bad variables, never their values.
 * A provider leaves sandbox mode only when all of its credentials are set.
 */
export function loadConfig(env: Env = process.env): Config {
  const bad: string[] = [];
  const int = (name: string, fallback: number, min = 0) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) bad.push(name);
    return n;
  };
  const str = (name: string) => (env[name] === undefined || env[name] === '' ? null : (env[name] as string));
  const percent = (name: string, fallback: string) => {
    const raw = str(name);
    if (raw === null) return fallback;
    if (!isMarkupPercent(raw)) bad.push(name);
    return raw.trim();
  };
  const url = (name: string) => {
    const value = str(name);
    if (value !== null && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) bad.push(name);
    return value;
  };

  const port = int('PORT', 4000);
  const corsOrigins = (str('CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
  // An origin is scheme://host[:port], compared as the browser sends it; '*' is not offered.
  for (const origin of corsOrigins) if (!/^https?:\/\/[^/\s]+$/i.test(origin)) bad.push('CORS_ORIGINS');
  const databaseUrl = url('DATABASE_URL');
  if (databaseUrl && !/^mysql:\/\//.test(databaseUrl)) bad.push('DATABASE_URL');
  const redisUrl = url('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) bad.push('REDIS_URL');
  const sandboxUrl = url('SANDBOX_URL')?.replace(/\/$/, '') ?? null;
  const publicUrl = (url('PUBLIC_URL') ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');
  const sandboxRoot = sandboxUrl ?? `http://127.0.0.1:${port}`;

  const slice = <K extends keyof ProvidersConfig>(
    id: K,
    prefix: string,
    names: Record<string, string>,
  ): ProvidersConfig[K] => {
    const values = Object.fromEntries(Object.entries(names).map(([key, suffix]) => [key, str(`${prefix}_${suffix}`)]));
    const given = Object.values(values).filter((v) => v !== null).length;
    if (given > 0 && given < Object.keys(names).length)
      bad.push(
        ...Object.entries(values)
          .filter(([, v]) => v === null)
          .map(([k]) => `${prefix}_${names[k]}`),
      );
    const live = given === Object.keys(names).length;
    const baseUrl =
      url(`${prefix}_BASE_URL`) ?? (live ? LIVE_BASE_URL[id] : `${sandboxRoot}/sandbox/${id}${SANDBOX_API_PREFIX[id]}`);
    return { ...(live ? values : SANDBOX_CREDENTIALS[id]), baseUrl, sandbox: !live } as unknown as ProvidersConfig[K];
  };
  const providers: ProvidersConfig = {
    esimaccess: slice('esimaccess', 'ESIMACCESS', { accessCode: 'ACCESS_CODE', secretKey: 'SECRET_KEY' }),
    connectedyou: slice('connectedyou', 'CONNECTEDYOU', {
      clientId: 'CLIENT_ID',
      clientSecret: 'CLIENT_SECRET',
      resellerAccountId: 'RESELLER_ACCOUNT_ID',
    }),
    comium: slice('comium', 'COMIUM', { username: 'USERNAME', password: 'PASSWORD' }),
    esimplatform: slice('esimplatform', 'ESIMPLATFORM', { email: 'EMAIL', password: 'PASSWORD' }),
    esimtrade: slice('esimtrade', 'ESIMTRADE', { accessCode: 'ACCESS_CODE', secretKey: 'SECRET_KEY' }),
  };
  const sandboxMode = Object.values(providers).some((p) => p.sandbox);
  const upstream: UpstreamConfig = {
    timeoutMs: int('UPSTREAM_TIMEOUT_MS', 8000, 1),
    maxAttempts: int('UPSTREAM_MAX_ATTEMPTS', 5, 1),
    breakerThreshold: int('UPSTREAM_BREAKER_THRESHOLD', 3, 1),
    halfOpenAfterMs: int('UPSTREAM_HALF_OPEN_MS', 10_000, 1),
  };

  const config: Config = {
    port,
    host: str('HOST') ?? '127.0.0.1',
    corsOrigins,
    trustedDocumentsPath: str('TRUSTED_DOCUMENTS') ? path.resolve(str('TRUSTED_DOCUMENTS') as string) : null,
    otlpEndpoint: url('OTEL_EXPORTER_OTLP_ENDPOINT'),
    dataDir: path.resolve(str('DATA_DIR') ?? './data'),
    databaseUrl,
    databaseQueryTimeoutMs: int('DB_QUERY_TIMEOUT_MS', 10_000, 100),
    redisUrl,
    cacheNamespace: str('CACHE_NAMESPACE') ?? 'esim-gateway',
    publicUrl,
    sandboxUrl,
    sandboxMode,
    embedSandbox: sandboxMode && sandboxUrl === null,
    sandboxPort: int('SANDBOX_PORT', 4100),
    sandboxOrderDelayMs: int('SANDBOX_ORDER_DELAY_MS', 500),
    bootstrapAdminKey: str('GATEWAY_BOOTSTRAP_ADMIN_KEY'),
    introspection: env.GRAPHQL_INTROSPECTION !== 'false',
    catalogTtlMs: int('CATALOG_TTL_MS', 300_000, 1),
    failoverTolerancePercent: percent('FAILOVER_TOLERANCE_PERCENT', '0'),
    balanceTtlMs: int('BALANCE_TTL_MS', 30_000, 0),
    usagePollIntervalMs: int('USAGE_POLL_INTERVAL_MS', 180_000, 1000),
    upstream,
    reconcileIntervalMs: int('RECONCILE_INTERVAL_MS', 1000, 10),
    orderAttentionAfterMs: int('ORDER_ATTENTION_AFTER_MS', 1_800_000, 1),
    usageCacheTtlMs: int('USAGE_CACHE_TTL_MS', 60_000, 0),
    webhookSecret: str('WEBHOOK_SECRET'),
    webhookSecrets: {
      previousMaster: str('WEBHOOK_SECRET_PREVIOUS'),
      perProvider: Object.fromEntries(
        PROVIDER_ENV_PREFIXES.map(([id, prefix]) => [
          id,
          { current: str(`WEBHOOK_SECRET_${prefix}`), previous: str(`WEBHOOK_SECRET_${prefix}_PREVIOUS`) },
        ]),
      ) as Config['webhookSecrets']['perProvider'],
    },
    graphiql: env.GRAPHIQL !== 'false',
    http: {
      headersTimeoutMs: int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1),
      requestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1),
      keepAliveTimeoutMs: int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 1),
      idleTimeoutMs: int('HTTP_IDLE_TIMEOUT_MS', 30_000, 1),
    },
    ws: {
      maxPayloadBytes: int('WS_MAX_PAYLOAD_BYTES', 1024 * 1024, 1024),
      maxInitBytes: int('WS_MAX_INIT_BYTES', 16 * 1024, 256),
      maxUnauthenticatedPerIp: int('WS_MAX_UNAUTHENTICATED_PER_IP', 16, 1),
      subscriptionsPerKey: int('SUBSCRIPTIONS_PER_KEY', 200, 1),
      socketsPerKey: int('SOCKETS_PER_KEY', 50, 1),
    },
    reconcile: {
      concurrencyPerProvider: int('RECONCILE_CONCURRENCY_PER_PROVIDER', 4, 1),
      deadlineMs: int('RECONCILE_DEADLINE_MS', 20_000, 100),
    },
    rateLimit: rateLimit(int('RATE_LIMIT_PER_SECOND', 100), int('RATE_LIMIT_BURST', 2000)),
    logLevel: str('LOG_LEVEL') ?? 'info',
    providers,
  };
  if (config.bootstrapAdminKey !== null && config.bootstrapAdminKey.length < 16)
    bad.push('GATEWAY_BOOTSTRAP_ADMIN_KEY (at least 16 characters)');
  const secretNames: Array<[string, string | null]> = [
    ['WEBHOOK_SECRET', config.webhookSecret],
    ['WEBHOOK_SECRET_PREVIOUS', config.webhookSecrets.previousMaster],
    ...PROVIDER_ENV_PREFIXES.flatMap(([id, prefix]): Array<[string, string | null]> => [
      [`WEBHOOK_SECRET_${prefix}`, config.webhookSecrets.perProvider[id].current],
      [`WEBHOOK_SECRET_${prefix}_PREVIOUS`, config.webhookSecrets.perProvider[id].previous],
    ]),
  ];
  for (const [name, value] of secretNames)
    if (value !== null && value.length < 24) bad.push(`${name} (at least 24 characters)`);
  if (bad.length) throw new ConfigError(`Invalid configuration: ${[...new Set(bad)].join(', ')}`);
  return deepFreeze(config);
}

function rateLimit(perSecond: number, burst: number): Config['rateLimit'] {
  return perSecond > 0 ? { perSecond, burst } : null;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * With PORT=0 (tests) the real port is known only after listening: rewrites the defaults derived
 * from the port (embedded simulator URLs, PUBLIC_URL) to the port actually bound.
 */
export function withListeningPort(config: Config, port: number): Config {
  if (config.port === port) return config;
  const from = `http://127.0.0.1:${config.port}`;
  const to = `http://127.0.0.1:${port}`;
  const move = (url: string) => (url === from || url.startsWith(`${from}/`) ? to + url.slice(from.length) : url);
  const providers = Object.fromEntries(
    Object.entries(config.providers).map(([id, slice]) => [id, { ...slice, baseUrl: move(slice.baseUrl) }]),
  ) as unknown as ProvidersConfig;
  return deepFreeze({ ...config, port, publicUrl: move(config.publicUrl), providers });
}
