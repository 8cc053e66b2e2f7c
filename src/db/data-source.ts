import fs from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import {
  DEFAULT_QUERY_TIMEOUT_MS,
  DropTimedOutConnection,
  mysqlTimeoutOptions,
  QuietSlowQueryLogger,
} from './query-timeout';

export interface DatabaseOptions {
  /** mysql://user:pass@host:3306/db, or null for the embedded SQLite file. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  /**
   * MySQL/MariaDB: bound on each statement and each new connection's handshake (DB_QUERY_TIMEOUT_MS,
   * default 10 s); `null`: no statement timeout (migrations only, see openDatabase).
   */
  readonly queryTimeoutMs?: number | null;
  /** Optional query logger (tests count round trips with it). */
  readonly logger?: TypeOrmLogger;
}

/**
 * SQLite file under DATA_DIR by default, MySQL/MariaDB through mysql2 with DATABASE_URL. Never
 * `synchronize`. On MySQL/MariaDB every statement has a client-side timeout (query-timeout.ts).
 */
export function createDataSource(options: DatabaseOptions, mysqlFlavour: 'mysql' | 'mariadb' = 'mysql'): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logger: options.logger,
    logging: options.logger ? ['query' as const] : false,
  };
  if (options.databaseUrl) {
    const timeouts =
      options.queryTimeoutMs === null
        ? { connectTimeout: DEFAULT_QUERY_TIMEOUT_MS, extra: {} }
        : mysqlTimeoutOptions(options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
    return new DataSource({
      ...common,
      ...timeouts,
      logger: options.logger ?? new QuietSlowQueryLogger(),
      subscribers: options.queryTimeoutMs === null ? [] : [DropTimedOutConnection],
      type: mysqlFlavour as 'mysql',
      url: options.databaseUrl,
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      extra: { ...timeouts.extra, connectionLimit: 10 },
    });
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: path.join(options.dataDir, 'gateway.sqlite'),
    // WAL lets readers proceed during a write; the busy timeout queues writers instead of failing.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  });
}

/**
 * Opens the connection and applies pending migrations. On MySQL/MariaDB the migrations run first
 * on a short-lived DataSource of their own WITHOUT the statement timeout: an ALTER on a large table
 * may legitimately take longer, and a migration cut off by the client would keep running on the
 * server unrecorded (DDL commits implicitly), so the next start would apply it twice.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  if (!options.databaseUrl) {
    const sqlite = createDataSource(options);
    await sqlite.initialize();
    await sqlite.runMigrations({ transaction: 'each' });
    return sqlite;
  }
  const flavour = await detectFlavour(options.databaseUrl, options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  const migrator = createDataSource({ ...options, queryTimeoutMs: null }, flavour);
  await migrator.initialize();
  try {
    await migrator.runMigrations({ transaction: 'each' });
  } finally {
    await migrator.destroy();
  }
  const dataSource = createDataSource(options, flavour);
  await dataSource.initialize();
  return dataSource;
}

/** MariaDB reports column defaults differently from MySQL; TypeORM's `mariadb` dialect knows how. */
async function detectFlavour(url: string, timeoutMs: number): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection({ uri: url, connectTimeout: timeoutMs });
  try {
    const [rows] = await connection.query({ sql: 'SELECT VERSION() AS v', timeout: timeoutMs });
    await connection.end();
    return /mariadb/i.test(String((rows as { v: string }[])[0]?.v)) ? 'mariadb' : 'mysql';
  } catch (error) {
    connection.destroy(); // a timed-out connection would never answer COM_QUIT either
    throw error;
  }
}
