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

export interface TestApp {
  readonly app: App;
  readonly url: string;
  gql(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<{ status: number; body: any }>;
  control(provider: string, action: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

/**
 * Starts the real app on an ephemeral port with the embedded simulators. Uses MySQL/MariaDB when
 * DATABASE_URL is set (a fresh database per app) and Redis when REDIS_URL is set (a fresh cache
 * namespace per app), the embedded defaults otherwise.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { queryLogger?: TypeOrmLogger; logger?: Logger } = {}): Promise<TestApp> {
  const suffix = randomBytes(5).toString('hex');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-gw-'));
  let databaseUrl = process.env.DATABASE_URL;
  let dropDatabase = async () => undefined as void;
  if (databaseUrl?.startsWith('mysql://')) {
    const server = new URL(databaseUrl);
    const name = `gw_test_${suffix}`;
    const admin = await createConnection(`${server.protocol}//${server.username}${server.password ? `:${server.password}` : ''}@${server.host}/`);
    await admin.query(`CREATE DATABASE \`${name}\``);
    await admin.end();
    server.pathname = `/${name}`;
    databaseUrl = server.toString();
    dropDatabase = async () => {
      const c = await createConnection(databaseUrl!.replace(`/${name}`, '/'));
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    };
  }
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    SANDBOX_ORDER_DELAY_MS: '50',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, CACHE_NAMESPACE: `gw-test-${suffix}` } : {}),
    ...env,
  });
  const app = await createApp(config, { logger: options.logger ?? testLogger, host: '127.0.0.1', queryLogger: options.queryLogger });
  const url = app.url;
  return {
    app,
    url,
    async gql(query, variables, key = ADMIN_KEY) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    async control(provider, action, body) {
      const res = await fetch(`${url}/sandbox/${provider}/_control/${action}`, action === 'stats' ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      return res.json();
    },
    async close() {
      await app.dispose();
      await dropDatabase();
      if (process.env.REDIS_URL) await deleteKeys(process.env.REDIS_URL, `gw-test-${suffix}*`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const PROVIDERS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'];

/** Catalog copies have no TTL ("last good"), so a test run removes its own namespace. */
async function deleteKeys(url: string, pattern: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 })) if (keys.length) await client.del(keys);
  } finally {
    client.destroy();
  }
}
