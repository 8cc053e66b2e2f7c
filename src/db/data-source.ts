import fs from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  /** mysql://user:pass@host:3306/db, or null for the embedded SQLite file. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  /** Optional query logger (tests count round trips with it). */
  readonly logger?: TypeOrmLogger;
}

/** SQLite file under DATA_DIR by default, MySQL/MariaDB through mysql2 with DATABASE_URL. Never `synchronize`. */
export function createDataSource(options: DatabaseOptions, mysqlFlavour: 'mysql' | 'mariadb' = 'mysql'): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logger: options.logger, logging: options.logger ? ['query' as const] : false };
  if (options.databaseUrl) {
    return new DataSource({
      ...common,
      type: mysqlFlavour as "mysql",
      url: options.databaseUrl,
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      extra: { connectionLimit: 10 },
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

/** Opens the connection and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options, options.databaseUrl ? await detectFlavour(options.databaseUrl) : 'mysql');
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** MariaDB reports column defaults differently from MySQL; TypeORM's `mariadb` dialect knows how. */
async function detectFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection(url);
  try {
    const [rows] = await connection.query('SELECT VERSION() AS v');
    return /mariadb/i.test(String((rows as { v: string }[])[0]?.v)) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}
