import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';

export interface ScratchDatabase {
  /** The server URL with this database as its path. */
  readonly url: string;
  readonly name: string;
  /** A connection to the server (no database selected), for checks beside the app's own. */
  readonly admin: Connection;
  /** Drops the database and closes `admin`. */
  drop(): Promise<void>;
}

/**
 * A fresh database on the MySQL/MariaDB server of `serverUrl`, for one run of a benchmark or a
 * test that must not see anyone else's rows; `drop` removes it.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const server = new URL(serverUrl);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\``);
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    name,
    admin,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
