import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { keyedWebSocket } from './keyed-websocket';
import { freePort, startNode, waitForHttp, type Running } from './processes';

/** The gateway's defaults (SOCKETS_PER_KEY, SUBSCRIPTIONS_PER_KEY): reseller A holds exactly what one key may. */
const SOCKETS = 50;
const SUBSCRIPTIONS = 200;
const STORM_S = Number(process.env.BENCH_STORM_S ?? 15);
/**
 * Wallet credits per second on A's account, each an event for all of A's subscriptions: 20/s is
 * 4,000 deliveries/s, above the 2,800/s of the reported storm (126,000 events in 45 s).
 * BENCH_STORM_EVENTS_PER_S=0 sends them back to back, 8 at a time: the saturation case.
 */
const EVENTS_PER_S = Number(process.env.BENCH_STORM_EVENTS_PER_S ?? 20);
const STORM_CONCURRENCY = 8;
/** B's concurrent `{ viewer { id } }` loops. */
const B_LOOPS = 4;

export interface StormFigures {
  readonly subscriptionsHeld: number;
  readonly refusedPastCap: boolean;
  readonly events: number;
  readonly deliveries: number;
  readonly stormSeconds: number;
  readonly quiet: { readonly p50: number; readonly p95: number; readonly requests: number };
  readonly storm: { readonly p50: number; readonly p95: number; readonly requests: number };
}

/**
 * Reseller A holds its maximum of live `walletUpdated` subscriptions spread over its maximum of
 * sockets and drives an event storm (wallet credits back to back, each one an event for all of
 * them), while reseller B runs `{ viewer { id } }`. B's latency is measured quiet, then during
 * the storm; the target is a storm p95 under 250 ms.
 */
export async function runStormBench(url: string, adminKey: string): Promise<StormFigures> {
  const post = async (query: string, variables: object, key = adminKey) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  };
  const create = async (name: string) =>
    (await post('mutation($n: String!) { createAccount(input: { name: $n }) { apiKey account { id } } }', { n: name }))
      .data.createAccount;
  const a = await create('storm-a');
  const b = await create('storm-b');

  let deliveries = 0;
  const clients: Client[] = Array.from({ length: SOCKETS }, () =>
    createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: keyedWebSocket(a.apiKey),
      retryAttempts: 0,
    }),
  );
  const subscribe = (client: Client) =>
    new Promise<boolean>((resolve) => {
      client.subscribe(
        { query: 'subscription { walletUpdated { id balance { amount } } }' },
        { next: () => void deliveries++, error: () => resolve(false), complete: () => undefined },
      );
      setTimeout(() => resolve(true), 1500);
    });
  const held = await Promise.all(Array.from({ length: SUBSCRIPTIONS }, (_, i) => subscribe(clients[i % SOCKETS])));
  const refusedPastCap = !(await subscribe(clients[0]));

  const quiet = await measureB(post, b.apiKey, 5);
  let events = 0;
  let storming = true;
  const stormStart = Date.now();
  const credit = async () => {
    await post('mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }', {
      i: { accountId: a.account.id, amount: '1.00', idempotencyKey: randomUUID() },
    });
    events++;
  };
  const storm = Array.from({ length: STORM_CONCURRENCY }, async (_, lane) => {
    const started = Date.now();
    for (let n = 0; storming; n++) {
      if (EVENTS_PER_S > 0) {
        const due = started + ((n * STORM_CONCURRENCY + lane) * 1000) / EVENTS_PER_S;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
        if (!storming) break;
      }
      await credit();
    }
  });
  await new Promise((r) => setTimeout(r, 1000)); // the storm is under way
  const during = await measureB(post, b.apiKey, STORM_S);
  storming = false;
  const stormSeconds = (Date.now() - stormStart) / 1000;
  await Promise.all(storm);
  await Promise.all(clients.map((c) => c.dispose()));
  return {
    subscriptionsHeld: held.filter(Boolean).length,
    refusedPastCap,
    events,
    deliveries,
    stormSeconds,
    quiet,
    storm: during,
  };
}

async function measureB(post: (q: string, v: object, key: string) => Promise<any>, key: string, seconds: number) {
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: B_LOOPS }, async () => {
      while (Date.now() < end) {
        const started = performance.now();
        const body = await post('{ viewer { id } }', {}, key);
        if (!body.data?.viewer?.id) throw new Error(`reseller B was refused: ${JSON.stringify(body.errors)}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  return { p50: pct(0.5), p95: pct(0.95), requests: latencies.length };
}

export function stormRow(f: StormFigures): string[] {
  return [
    `6. event storm: reseller A ${f.subscriptionsHeld} subscriptions on ${SOCKETS} sockets, ${f.events} wallet events in ${f.stormSeconds.toFixed(0)} s (${Math.round(f.deliveries / f.stormSeconds)} deliveries/s)`,
    `reseller B \`{ viewer { id } }\` p95 ${f.storm.p95} ms during (p50 ${f.storm.p50}), ${f.quiet.p95} ms quiet`,
    '',
    `p95 < 250 ms: ${f.storm.p95 < 250 ? 'met' : 'missed'}; subscription ${SUBSCRIPTIONS + 1} refused: ${f.refusedPastCap ? 'yes' : 'NO'}`,
  ];
}

/** `npm run bench:storm`: this scenario alone, against its own simulators and gateway processes. */
async function main(): Promise<void> {
  const admin = `bench-admin-${randomBytes(8).toString('hex')}`;
  const running: Running[] = [];
  try {
    const sandboxPort = await freePort();
    running.push(
      startNode('src/sandbox/main.js', {
        SANDBOX_PORT: String(sandboxPort),
        SANDBOX_ORDER_DELAY_MS: '0',
        LOG_LEVEL: 'error',
      }),
    );
    await waitForHttp(`http://127.0.0.1:${sandboxPort}/healthz`);
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-bench-storm-'));
    running.push(
      startNode('src/main.js', {
        PORT: String(port),
        DATA_DIR: dataDir,
        GATEWAY_BOOTSTRAP_ADMIN_KEY: admin,
        LOG_LEVEL: 'error',
        SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
        RATE_LIMIT_PER_SECOND: '1000000',
      }),
    );
    await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    const figures = await runStormBench(`http://127.0.0.1:${port}`, admin);
    const row = stormRow(figures);
    process.stdout.write(
      `\n| scenario | gateway | | notes |\n|---|---|---|---|\n| ${row.join(' | ')} |\n\n${JSON.stringify(figures)}\n`,
    );
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
