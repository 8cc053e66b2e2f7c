import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app/create-app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/infra/logger';
import { createScratchDatabase } from './scratch-database';

/** Comium and the eSIM platform e-mail the eSIM to the customer: their orders need one. */
const CUSTOMER = { email: 'bench@example.com', name: 'Bench Customer' };

/**
 * `npm run bench:orders`: placeOrder throughput and latency on the embedded SQLite database and,
 * when BENCH_MYSQL_URL is set (e.g. mysql://root@127.0.0.1:3306/test), on MySQL/MariaDB, with
 * every simulator at zero latency and zero allocation delay. One row per provider: each order
 * costs a re-price and an order call upstream, so a provider's own request-rate limit (eSIM
 * Access: 8/s, eSIMTrade: 10/s) caps its row; the others show the gateway's own cost.
 */
const ORDERS = Number(process.env.BENCH_ORDERS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PROVIDERS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'];
const ADMIN = `bench-admin-${randomBytes(8).toString('hex')}`;

async function run(label: string, databaseUrl: string | null): Promise<Record<string, string | number>[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-bench-'));
  const app = await createApp(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN,
      RATE_LIMIT_PER_SECOND: '1000000',
      SANDBOX_ORDER_DELAY_MS: '0',
      RECONCILE_INTERVAL_MS: '200',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
    { logger: createLogger('silent'), host: '127.0.0.1' },
  );
  const gql = async (query: string, variables: object, key = ADMIN) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  };
  try {
    const created = await gql('mutation { createAccount(input: { name: "bench" }) { apiKey account { id } } }', {});
    const { apiKey, account } = created.data.createAccount;
    await gql('mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }', {
      i: { accountId: account.id, amount: '1000000', idempotencyKey: randomUUID() },
    });
    const rows: Record<string, string | number>[] = [];
    for (const providerId of PROVIDERS) {
      const body = await gql(
        'query($f: PlanFilter) { plans(filter: $f, sort: PRICE_ASC, first: 1) { nodes { id } } }',
        { f: { providerIds: [providerId] } },
        apiKey,
      );
      const planId = body.data.plans.nodes[0].id;
      const latencies: number[] = [];
      let failures = 0;
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < ORDERS) {
            const t0 = performance.now();
            const placed = await gql(
              'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id status } }',
              { i: { planId, idempotencyKey: randomUUID(), customer: CUSTOMER } },
              apiKey,
            );
            latencies.push(performance.now() - t0);
            if (placed.errors) failures++;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
      rows.push({
        database: label,
        provider: providerId,
        orders: ORDERS,
        concurrency: CONCURRENCY,
        'orders/s': (ORDERS / seconds).toFixed(1),
        'p50 ms': pct(0.5),
        'p99 ms': pct(0.99),
        failures,
      });
    }
    return rows;
  } finally {
    await app.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A throw-away database on the server of `url`, dropped afterwards. */
async function withMysql<T>(url: string, work: (url: string) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(url, 'gw_bench');
  try {
    return await work(scratch.url);
  } finally {
    await scratch.drop();
  }
}

/** Every row: SQLite, then MySQL/MariaDB when BENCH_MYSQL_URL is set. */
async function runOrdersBench(): Promise<Record<string, string | number>[]> {
  const rows = await run('SQLite (embedded)', null);
  if (process.env.BENCH_MYSQL_URL)
    rows.push(...(await withMysql(process.env.BENCH_MYSQL_URL, (url) => run('MySQL/MariaDB', url))));
  return rows;
}

function markdownTable(rows: readonly Record<string, string | number>[]): string {
  const keys = Object.keys(rows[0]);
  return `| ${keys.join(' | ')} |\n|${keys.map(() => '---').join('|')}|\n${rows.map((r) => `| ${keys.map((k) => r[k]).join(' | ')} |`).join('\n')}\n`;
}

runOrdersBench().then(
  (rows) => process.stdout.write(`\n${markdownTable(rows)}\n`),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
