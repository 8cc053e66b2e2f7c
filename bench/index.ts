import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startNode, waitForHttp, type Running } from './processes';
import { runSubscriptionBench } from './subscriptions';

/**
 * `npm run bench`: every speed figure we claim, measured on this machine, next to the ceiling of
 * our own stack. The gateway and a bare Apollo Server 5 + express5 (bench/bare-server.ts) run as
 * separate processes; autocannon drives both from this one with the same settings.
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ADMIN = `bench-admin-${randomBytes(8).toString('hex')}`;
const ROOT = path.resolve(__dirname, '..', '..');

const VIEWER = '{ viewer { id name role markupPercent } }';
const PLANS = `{ plans(filter: { country: "FR" }, sort: PRICE_ASC, first: 50) { totalCount pageInfo { hasNextPage endCursor }
  unavailableProviders { code message }
  nodes { id code name coverage regionName validityDays topUpSupported profileType voiceMinutes smsCount
    countries { code alpha3 name } data { bytes unlimited } wholesalePrice { amount currency } price { amount currency }
    pricePerGb { amount currency } provider { id name } } } }`;

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

async function load(url: string, body: string, headers: Record<string, string>, connections = CONNECTIONS, duration = DURATION_S): Promise<Load> {
  const options = { url: `${url}/graphql`, method: 'POST' as const, headers: { 'content-type': 'application/json', ...headers }, body, connections };
  await autocannon({ ...options, duration: 2 }); // warm-up: JIT, caches, connection pools
  const result = await autocannon({ ...options, duration });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Progress on stderr, so stdout carries only the results. */
function progress(message: string): void {
  process.stderr.write(`[bench] ${new Date().toISOString()} ${message}\n`);
}

async function post(url: string, query: string, key = ADMIN): Promise<any> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
  return res.json();
}

async function waitForPost(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered`);
}

async function startGateway(env: Record<string, string> = {}): Promise<{ url: string; process: Running }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-bench-'));
  const child = startNode('src/main.js', { PORT: String(port), DATA_DIR: dataDir, GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN, LOG_LEVEL: 'error', ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`);
  return { url, process: child };
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  let ordersTable = '';
  const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version }, durationS: DURATION_S, connections: CONNECTIONS };
  const processes: Running[] = [];
  try {
    const gateway = await startGateway();
    processes.push(gateway.process);
    // Canned answers for the bare server: exactly what the gateway answers.
    const canned = { ...(await post(gateway.url, VIEWER)).data, ...(await post(gateway.url, PLANS)).data };
    const cannedFile = path.join(os.tmpdir(), `esim-bench-canned-${process.pid}.json`);
    fs.writeFileSync(cannedFile, JSON.stringify(canned));
    const barePort = await freePort();
    // Same NODE_ENV as the gateway under `npm start`: graphql-js skips its development checks in both.
    const bare = startNode('bench/bare-server.js', { PORT: String(barePort), BENCH_CANNED: cannedFile, NODE_ENV: 'production' });
    processes.push(bare);
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await waitForPost(`${bareUrl}/graphql`);

    const auth = { authorization: `Bearer ${ADMIN}` };
    progress('1-2: gateway vs bare Apollo');
    for (const [name, query, target] of [['1. trivial authenticated query', VIEWER, 0.8], ['2. cached catalog search (FR, 50 plans)', PLANS, 0.6]] as const) {
      const ours = await load(gateway.url, JSON.stringify({ query }), auth);
      const ceiling = await load(bareUrl, JSON.stringify({ query }), { 'apollo-require-preflight': 'true' });
      const ratio = ours.rps / ceiling.rps;
      results[name] = { gateway: ours, bare: ceiling, ratio, target };
      rows.push([name, `${ours.rps.toFixed(0)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms`, `${ceiling.rps.toFixed(0)} req/s, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms`, `${ratio.toFixed(2)} (target ≥ ${target})${ours.errors ? `, ${ours.errors} errors` : ''}`]);
    }
    await gateway.process.stop();

    progress('3: cold fan-out');
    // 3. Cold fan-out: a fresh gateway whose catalog cache expires at once, every simulator at 100 ms.
    const cold = await startGateway({ CATALOG_TTL_MS: '1', SANDBOX_ORDER_DELAY_MS: '0' });
    processes.push(cold.process);
    for (const id of ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade']) {
      await fetch(`${cold.url}/sandbox/${id}/_control/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'slow', latencyMs: 100 }) });
    }
    const fanOut = await load(cold.url, JSON.stringify({ query: PLANS }), auth, 1, DURATION_S);
    results['3. cold fan-out'] = fanOut;
    rows.push(['3. cold fan-out, every simulator +100 ms', `p50 ${fanOut.p50} ms, p99 ${fanOut.p99} ms (${fanOut.rps.toFixed(1)} req/s, 1 connection)`, 'slowest provider: 100 ms × its sequential calls', 'a sum of latencies (≥ 500 ms) would mean sequential providers']);
    await cold.process.stop();

    progress('5: subscriptions');
    // 5. Subscriptions: 2,000 graphql-ws subscribers, an event every 10 ms.
    const subs = await startGateway();
    processes.push(subs.process);
    const subscriptions = await runSubscriptionBench(subs.url, ADMIN, subs.process.child.pid!);
    results['5. subscriptions'] = subscriptions;
    rows.push(['5. 2,000 subscribers, an event every 10 ms', `delivery p50 ${subscriptions.p50} ms, p99 ${subscriptions.p99} ms; ${subscriptions.delivered} deliveries`, '', `peak RSS ${subscriptions.peakRssMb} MB (targets: p99 < 100 ms, RSS ≤ 300 MB)`]);
    await subs.process.stop();

    progress('4: placeOrder');
    // 4. placeOrder throughput, per provider (BENCH_MYSQL_URL adds MySQL/MariaDB rows), in its own process.
    ordersTable = execFileSync(process.execPath, [path.join(__dirname, 'orders.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    results['4. placeOrder'] = ordersTable;
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }

  const table = `| scenario | gateway | bare Apollo Server 5 + express5 | ratio / notes |\n|---|---|---|---|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`;
  process.stdout.write(`\n${table}\n4. placeOrder, simulators at zero latency, 10 concurrent:\n\n${ordersTable}\n\nUsage change to subscriber, per provider: npm run bench:realtime\n`);
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
