import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startNode, waitForHttp, type Running } from './processes';
import { runFanOutBench } from './fan-out';
import { runStormBench, stormRow } from './storm';
import { runSubscriptionBench } from './subscriptions';

/**
 * `npm run bench`: every speed figure we claim, measured on this machine, next to the ceiling of
 * our own stack. The gateway and a bare Apollo Server 5 + express5 (bench/bare-server.ts) run as
 * separate processes; autocannon drives both from this one with the same settings.
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/** Which scenarios to run, e.g. BENCH_SCENARIOS=1,2 (default: all). */
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? '1,2,3,4,5,6').split(',').map((s) => s.trim()));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PROVIDER_NOTE = 'each provider alone, then all five';
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

async function load(
  url: string,
  body: string,
  headers: Record<string, string>,
  connections = CONNECTIONS,
  duration = DURATION_S,
): Promise<Load> {
  const options = {
    url: `${url}/graphql`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
  };
  await autocannon({ ...options, duration: 2 }); // warm-up: JIT, caches, connection pools
  const result = await autocannon({ ...options, duration });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Rounds of one server, averaged: the two servers alternate, so a noisy moment of a shared machine hits both. */
function mean(rounds: readonly Load[]): Load {
  const avg = (f: (l: Load) => number) => rounds.reduce((sum, l) => sum + f(l), 0) / rounds.length;
  return {
    rps: avg((l) => l.rps),
    p50: Math.round(avg((l) => l.p50)),
    p99: Math.max(...rounds.map((l) => l.p99)),
    errors: rounds.reduce((n, l) => n + l.errors, 0),
  };
}

/** Progress on stderr, so stdout carries only the results. */
function progress(message: string): void {
  process.stderr.write(`[bench] ${new Date().toISOString()} ${message}\n`);
}

async function post(url: string, query: string, key = ADMIN): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

async function waitForPost(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered`);
}

/**
 * A gateway as `npm start` runs it, but against the simulators in their own process
 * (`npm run sandbox`), as real providers would be: the gateway process holds only the gateway.
 */
async function startGateway(
  sandboxUrl: string,
  env: Record<string, string> = {},
): Promise<{ url: string; process: Running }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-bench-'));
  // One key drives thousands of requests a second: a limit far above that keeps its cost in the figures without refusing any.
  const child = startNode('src/main.js', {
    PORT: String(port),
    DATA_DIR: dataDir,
    GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN,
    LOG_LEVEL: 'error',
    SANDBOX_URL: sandboxUrl,
    RATE_LIMIT_PER_SECOND: '1000000',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`);
  return { url, process: child };
}

async function startSandbox(): Promise<{ url: string; process: Running }> {
  const port = await freePort();
  const child = startNode('src/sandbox/main.js', {
    SANDBOX_PORT: String(port),
    SANDBOX_ORDER_DELAY_MS: '0',
    LOG_LEVEL: 'error',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`);
  return { url, process: child };
}

/** Countries the bench reseller's country rules name, FR among them. */
const RULED_COUNTRIES = [
  'FR',
  'DE',
  'ES',
  'IT',
  'PT',
  'NL',
  'BE',
  'AT',
  'CH',
  'GB',
  'IE',
  'US',
  'CA',
  'MX',
  'BR',
  'JP',
  'KR',
  'TH',
  'VN',
  'AU',
];

/**
 * 2b: scenario 2's search for a reseller whose price book is full: a rule per provider, per
 * country (FR included) and for the first plans of the page, so most plans resolve through a rule.
 * The gateway alone: the bare server has no price rules to compare with; scenario 2 is the reference.
 */
async function ruledSearch(url: string, results: Record<string, unknown>): Promise<string[]> {
  const created = await post(
    url,
    `mutation { createAccount(input: { name: "Bench reseller", markupPercent: "15" }) { apiKey account { id } } }`,
  );
  const { apiKey, account } = created.data.createAccount;
  const plans = (await post(url, PLANS)).data.plans.nodes as { id: string; wholesalePrice: { amount: string } }[];
  const rules = [
    ...['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'].map(
      (p, i) => `providerId: "${p}", markupPercent: "${10 + i}"`,
    ),
    ...RULED_COUNTRIES.map((c, i) => `country: "${c}", markupPercent: "${20 + i}"`),
    ...plans.slice(0, 5).map((p) => `planId: "${p.id}", markupPercent: "40"`),
  ];
  for (const rule of rules) {
    const set = await post(url, `mutation { setPriceRule(input: { accountId: "${account.id}", ${rule} }) { id } }`);
    if (set.errors) throw new Error(`setPriceRule: ${JSON.stringify(set.errors)}`);
  }
  progress(`2b: the same search with ${rules.length} price rules, ${ROUNDS} rounds`);
  const rounds: Load[] = [];
  for (let round = 0; round < ROUNDS; round++)
    rounds.push(await load(url, JSON.stringify({ query: PLANS }), { authorization: `Bearer ${apiKey}` }));
  const g = mean(rounds);
  const name = `2b. the same search, reseller with ${rules.length} price rules`;
  results[name] = { gateway: rounds };
  return [
    name,
    `${g.rps.toFixed(0)} req/s, p50 ${g.p50} ms, p99 ${g.p99} ms`,
    '—',
    `compare with 2${g.errors ? `, ${g.errors} errors` : ''}`,
  ];
}

/** Every child started, stopped at the end; their output is printed when the bench fails. */
const processes: Running[] = [];

async function main(): Promise<void> {
  const rows: string[][] = [];
  let ordersTable = '';
  let fanOutTable = '';
  const results: Record<string, unknown> = {
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    durationS: DURATION_S,
    connections: CONNECTIONS,
    rounds: ROUNDS,
  };
  try {
    const sandbox = await startSandbox();
    processes.push(sandbox.process);

    if (SCENARIOS.has('1') || SCENARIOS.has('2')) {
      const gateway = await startGateway(sandbox.url);
      processes.push(gateway.process);
      // Canned answers for the bare server: exactly what the gateway answers.
      const canned = { ...(await post(gateway.url, VIEWER)).data, ...(await post(gateway.url, PLANS)).data };
      const cannedFile = path.join(os.tmpdir(), `esim-bench-canned-${process.pid}.json`);
      fs.writeFileSync(cannedFile, JSON.stringify(canned));
      const barePort = await freePort();
      // Same NODE_ENV as the gateway under `npm start`: graphql-js skips its development checks in both.
      const bare = startNode('bench/bare-server.js', {
        PORT: String(barePort),
        BENCH_CANNED: cannedFile,
        NODE_ENV: 'production',
      });
      processes.push(bare);
      const bareUrl = `http://127.0.0.1:${barePort}`;
      await waitForPost(`${bareUrl}/graphql`);

      const auth = { authorization: `Bearer ${ADMIN}` };
      const compared = [
        ['1', '1. trivial authenticated query', VIEWER, 0.8],
        ['2', '2. cached catalog search (FR, 50 plans)', PLANS, 0.6],
      ] as const;
      for (const [id, name, query, target] of compared.filter(([id]) => SCENARIOS.has(id))) {
        progress(`${id}: gateway vs bare Apollo, ${ROUNDS} rounds each`);
        const ours: Load[] = [];
        const ceiling: Load[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          ours.push(await load(gateway.url, JSON.stringify({ query }), auth));
          ceiling.push(await load(bareUrl, JSON.stringify({ query }), { 'apollo-require-preflight': 'true' }));
        }
        const [g, b] = [mean(ours), mean(ceiling)];
        const ratio = g.rps / b.rps;
        results[name] = { gateway: ours, bare: ceiling, ratio, target };
        rows.push([
          name,
          `${g.rps.toFixed(0)} req/s, p50 ${g.p50} ms, p99 ${g.p99} ms`,
          `${b.rps.toFixed(0)} req/s, p50 ${b.p50} ms, p99 ${b.p99} ms`,
          `${ratio.toFixed(2)} (target ≥ ${target}: ${ratio >= target ? 'met' : 'missed'})${g.errors ? `, ${g.errors} errors` : ''}`,
        ]);
      }
      if (SCENARIOS.has('2')) rows.push(await ruledSearch(gateway.url, results));
      await Promise.all([gateway.process.stop(), bare.stop()]);
    }

    if (SCENARIOS.has('3')) {
      progress('3: cold fan-out');
      const cold = await startGateway(sandbox.url, { CATALOG_TTL_MS: '1' });
      processes.push(cold.process);
      const fanOut = await runFanOutBench(cold.url, sandbox.url, ADMIN);
      results['3. cold fan-out'] = fanOut;
      const met = fanOut.all.p95 <= fanOut.targetP95;
      rows.push([
        '3. cold fan-out, every simulator +100 ms',
        `p50 ${fanOut.all.p50} ms, p95 ${fanOut.all.p95} ms, p99 ${fanOut.all.p99} ms`,
        '',
        `p95 target ≤ 1.25 × ${fanOut.slowestProvider} alone (p95 ${fanOut.alone[fanOut.slowestProvider].p95} ms) + 15 = ${fanOut.targetP95} ms: ${met ? 'met' : 'missed'}; in sequence it would be ≈ ${fanOut.sequentialP50} ms`,
      ]);
      fanOutTable = `| provider alone | p50 ms | p95 ms |\n|---|---|---|\n${Object.entries(fanOut.alone)
        .map(([id, p]) => `| ${id} | ${p.p50} | ${p.p95} |`)
        .join('\n')}\n| all five | ${fanOut.all.p50} | ${fanOut.all.p95} |`;
      await cold.process.stop();
    }

    if (SCENARIOS.has('5')) {
      progress('5: subscriptions');
      const subs = await startGateway(sandbox.url);
      processes.push(subs.process);
      const subscriptions = await runSubscriptionBench(subs.url, ADMIN, subs.process.child.pid!);
      results['5. subscriptions'] = subscriptions;
      rows.push([
        '5. 2,000 subscribers, an event every 10 ms',
        `delivery p50 ${subscriptions.p50} ms, p99 ${subscriptions.p99} ms; ${subscriptions.delivered} deliveries`,
        '',
        `p99 < 100 ms: ${subscriptions.p99 < 100 ? 'met' : 'missed'}; peak RSS ${subscriptions.peakRssMb} MB (≤ 300 MB: ${subscriptions.peakRssMb <= 300 ? 'met' : 'missed'}; idle before the subscribers: ${subscriptions.idleRssMb} MB)`,
      ]);
      await subs.process.stop();
    }

    if (SCENARIOS.has('6')) {
      progress("6: one reseller's event storm, another reseller's latency");
      const stormed = await startGateway(sandbox.url);
      processes.push(stormed.process);
      const storm = await runStormBench(stormed.url, ADMIN);
      results['6. event storm'] = storm;
      rows.push(stormRow(storm));
      await stormed.process.stop();
    }

    if (SCENARIOS.has('4')) {
      progress('4: placeOrder');
      // 4. placeOrder throughput, per provider (BENCH_MYSQL_URL adds MySQL/MariaDB rows), in its own process.
      ordersTable = execFileSync(process.execPath, [path.join(__dirname, 'orders.js')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
      results['4. placeOrder'] = ordersTable;
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }

  const table = `| scenario | gateway | bare Apollo Server 5 + express5 | ratio / notes |\n|---|---|---|---|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`;
  const sections = [table];
  if (fanOutTable) sections.push(`3. cold fan-out, one read at a time, ${PROVIDER_NOTE}:\n\n${fanOutTable}`);
  if (ordersTable) sections.push(`4. placeOrder, simulators at zero latency, 10 concurrent:\n\n${ordersTable}`);
  sections.push('Usage change to subscriber, per provider: npm run bench:realtime');
  process.stdout.write(`\n${sections.join('\n\n')}\n`);
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify(results, null, 2),
  );
}

main().catch((error) => {
  for (const child of processes)
    process.stderr.write(
      `--- ${child.child.spawnargs.slice(1).join(' ')}: last output\n${child.output.join('').slice(-3000)}\n`,
    );
  process.stderr.write(`${(error as Error).stack}\n${(error as { cause?: Error }).cause?.stack ?? ''}\n`);
  process.exit(1);
});
