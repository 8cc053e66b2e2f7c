import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, startNode, waitForHttp } from './processes';

/**
 * `npm run bench:graphiql`: what an anonymous GraphiQL visitor costs the gateway. The gateway runs
 * as its own process; its CPU is read from /proc (Linux), so the client's work is not counted.
 * Targets: under 5 ms of gateway CPU and 1.5 MB on the wire per GET, and /healthz unaffected
 * by 32 fetchers (it took 1.8 s when the page was rendered per GET). With Debian's Chromium
 * (/usr/bin/chromium) it also reports what a first visit transfers.
 */
const GETS = Number(process.env.BENCH_GRAPHIQL_GETS ?? 200);
const FETCHERS = 32;
const FLOOD_MS = 5000;
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const CHROMIUM = '/usr/bin/chromium';
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number; body: Buffer; encoding?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, bytes: body.length, body, encoding: res.headers['content-encoding'] });
        });
      })
      .on('error', reject);
  });
}

/** User + system CPU of a process in ms, from /proc/<pid>/stat (clock ticks at 100 Hz). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function perGet(
  pid: number,
  url: string,
  headers: Record<string, string>,
): Promise<{ cpu: number; bytes: number; encoding: string }> {
  const warm = await get(url, headers);
  const before = cpuMs(pid);
  for (let i = 0; i < GETS; i++) await get(url, headers);
  return { cpu: (cpuMs(pid) - before) / GETS, bytes: warm.bytes, encoding: warm.encoding ?? 'identity' };
}

async function healthzDuringFlood(base: string, assets: string[]): Promise<{ p50: number; max: number; gets: number }> {
  const end = Date.now() + FLOOD_MS;
  let gets = 0;
  const fetcher = async () => {
    while (Date.now() < end) {
      await get(`${base}/graphql`, { ...BROWSER, 'accept-encoding': 'gzip, deflate, br' });
      for (const asset of assets) await get(`${base}${asset}`, { 'accept-encoding': 'gzip, deflate, br' });
      gets += 1 + assets.length;
    }
  };
  const latencies: number[] = [];
  const probe = async () => {
    while (Date.now() < end) {
      const started = performance.now();
      await get(`${base}/healthz`, {});
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all([...Array.from({ length: FETCHERS }, fetcher), probe()]);
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length / 2)], max: latencies[latencies.length - 1], gets };
}

/**
 * What a first visit in a real browser transfers: every file the page names plus what Chromium
 * asks for (only the fonts its text uses), each counted as this bench receives it with Chromium's
 * Accept-Encoding. Chromium's own per-request sizes are unreliable for worker scripts.
 */
async function firstVisit(base: string, assets: readonly string[]): Promise<string> {
  if (!fs.existsSync(CHROMIUM)) return `(no ${CHROMIUM}: first visit not measured)`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  // Monaco starts its workers lazily, sometimes after the network settles: count them anyway.
  const urls = new Set<string>(['/graphql', ...assets]);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'GET' && url.pathname.startsWith('/graphql')) urls.add(url.pathname);
    });
    await page.goto(`${base}/graphql`);
    await page.locator('.graphiql-container').first().waitFor();
    await page.waitForLoadState('networkidle');
  } finally {
    await browser.close();
  }
  let wire = 0;
  let identity = 0;
  for (const url of urls) {
    const headers = url === '/graphql' ? BROWSER : {};
    wire += (await get(`${base}${url}`, { ...headers, 'accept-encoding': 'gzip, deflate, br, zstd' })).bytes;
    identity += (await get(`${base}${url}`, headers)).bytes;
  }
  return `Chromium first visit: ${urls.size} GETs, ${wire} B on the wire (${identity} B uncompressed)`;
}

async function main(): Promise<void> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-graphiql-'));
  const gateway = startNode('src/main.js', {
    PORT: String(port),
    DATA_DIR: dataDir,
    GATEWAY_BOOTSTRAP_ADMIN_KEY: 'bench-graphiql-admin-key-0123456789',
    LOG_LEVEL: 'error',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/healthz`);
    const pid = gateway.child.pid!;
    const coldCpu = cpuMs(pid);
    const coldStart = performance.now();
    const page = await get(`${base}/graphql`, { ...BROWSER, 'accept-encoding': 'br' });
    process.stdout.write(
      `first visit: ${(performance.now() - coldStart).toFixed(0)} ms, ${(cpuMs(pid) - coldCpu).toFixed(0)} ms gateway CPU (loads dist/graphiql)\n`,
    );
    const html = (await get(`${base}/graphql`, BROWSER)).body.toString();
    const assets = [...html.matchAll(/"(\/graphql\/assets\/[^"]+)"/g)].map((m) => m[1]);
    if (page.status !== 200 || !assets.length) throw new Error(`no GraphiQL page (status ${page.status})`);
    const rows: [string, string, Record<string, string>][] = [
      ['page', '/graphql', { ...BROWSER, 'accept-encoding': 'br' }],
      ['page', '/graphql', { ...BROWSER, 'accept-encoding': 'gzip' }],
      ['page', '/graphql', BROWSER],
      ...assets.flatMap((a): [string, string, Record<string, string>][] => [
        [path.basename(a), a, { 'accept-encoding': 'br' }],
        [path.basename(a), a, { 'accept-encoding': 'gzip' }],
      ]),
    ];
    process.stdout.write(`\n${GETS} sequential GETs each; gateway CPU per GET\n`);
    for (const [name, url, headers] of rows) {
      const { cpu, bytes, encoding } = await perGet(pid, `${base}${url}`, headers);
      process.stdout.write(
        `  ${name.padEnd(40)} ${encoding.padEnd(8)} ${String(bytes).padStart(9)} B on the wire  ${cpu.toFixed(2)} ms CPU\n`,
      );
    }
    process.stdout.write(`\n${await firstVisit(base, assets)}\n`);
    const flood = await healthzDuringFlood(base, assets);
    process.stdout.write(
      `\n${FETCHERS} fetchers of page + assets for ${FLOOD_MS / 1000} s (${flood.gets} GETs): /healthz p50 ${flood.p50.toFixed(1)} ms, max ${flood.max.toFixed(1)} ms\n`,
    );
  } finally {
    agent.destroy();
    await gateway.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
