import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';
import { createConnection } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config';
import { testLogger } from './logger';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** Where an app keeps its data: pass it to a later startTestApp to restart on the same database. */
export interface TestAppData {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
}

export interface TestAppOptions {
  queryLogger?: TypeOrmLogger;
  logger?: Logger;
  /** Start on this earlier app's data instead of a fresh database and data dir. */
  data?: TestAppData;
  /** Leave the database and data dir in place on close(), for a restart on them (`data`). */
  keepData?: boolean;
}

export interface TestApp {
  readonly app: App;
  readonly url: string;
  readonly data: TestAppData;
  gql(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<{ status: number; body: any }>;
  control(provider: string, action: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

/**
 * Starts the real app on an ephemeral port with the embedded simulators. Uses MySQL/MariaDB when
 * DATABASE_URL is set (a fresh database per app) and Redis when REDIS_URL is set (a fresh cache
 * namespace per app), the embedded defaults otherwise. `keepData` + `data` restart an app on an
 * earlier one's database and data dir.
 */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const suffix = randomBytes(5).toString('hex');
  const dataDir = options.data?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'esim-gw-'));
  let databaseUrl = options.data ? options.data.databaseUrl : process.env.DATABASE_URL;
  if (databaseUrl?.startsWith('mysql://') && !options.data) {
    const server = new URL(databaseUrl);
    const admin = await createConnection(
      `${server.protocol}//${server.username}${server.password ? `:${server.password}` : ''}@${server.host}/`,
    );
    await admin.query(`CREATE DATABASE \`gw_test_${suffix}\``);
    await admin.end();
    server.pathname = `/gw_test_${suffix}`;
    databaseUrl = server.toString();
  }
  const dropDatabase = async () => {
    if (!databaseUrl?.startsWith('mysql://')) return;
    const server = new URL(databaseUrl);
    const name = server.pathname.slice(1);
    server.pathname = '/';
    const c = await createConnection(server.toString());
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.end();
  };
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    SANDBOX_ORDER_DELAY_MS: '50',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, CACHE_NAMESPACE: `gw-test-${suffix}` } : {}),
    ...env,
  });
  const app = await createApp(config, {
    logger: options.logger ?? testLogger,
    host: '127.0.0.1',
    queryLogger: options.queryLogger,
  });
  const url = app.url;
  return {
    app,
    url,
    data: { dataDir, databaseUrl },
    async gql(query, variables, key = ADMIN_KEY) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    async control(provider, action, body) {
      const res = await fetch(
        `${url}/sandbox/${provider}/_control/${action}`,
        action === 'stats'
          ? {}
          : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) },
      );
      return res.json();
    },
    async close() {
      await app.dispose();
      if (!options.keepData) await dropDatabase();
      if (process.env.REDIS_URL) await deleteKeys(process.env.REDIS_URL, `gw-test-${suffix}*`);
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const PROVIDERS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'];

/** Catalog copies have no TTL ("last good"), so a test run removes its own namespace. */
async function deleteKeys(url: string, pattern: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 }))
      if (keys.length) await client.del(keys);
  } finally {
    client.destroy();
  }
}
