import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { buildIfNeeded, freePort, waitForHttp } from '../../bench/processes';
import { createScratchDatabase, type ScratchDatabase } from '../../bench/scratch-database';

const ROOT = path.join(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
const ADMIN = `lifecycle-admin-${randomBytes(8).toString('hex')}`;
const MYSQL = process.env.DATABASE_URL?.startsWith('mysql://') ? process.env.DATABASE_URL : null;

interface Gateway {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; ms: number }>;
}

/**
 * `npm start`'s process as an operator runs it: NODE_ENV=production, where Apollo Server installs
 * its own signal handlers (jest's NODE_ENV=test turns them off, which is how a hanging shutdown
 * went unnoticed). Only `env` and the working directory's `.env` configure it.
 */
function startGateway(cwd: string, env: Record<string, string>): Gateway {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['DATABASE_URL', 'REDIS_URL', 'PORT', 'DATA_DIR', 'HOST'].includes(name),
    ),
  );
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: { ...base, NODE_ENV: 'production', LOG_LEVEL: 'info', GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  let signalledAt = 0;
  const kill = child.kill.bind(child);
  child.kill = (signal?: NodeJS.Signals | number) => {
    signalledAt = Date.now();
    return kill(signal);
  };
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, ms: signalledAt ? Date.now() - signalledAt : 0 })),
  );
  return { child, output: () => output, exited };
}

/** The local address a process listens on for `port`, read from the kernel's table (no traffic sent). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return fs
    .readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A')
    .map((cols) => {
      const hex = cols[1].split(':')[0];
      return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
    });
}

const gql = async (port: number, query: string) => {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
};

/** The last non-empty line a refused start printed, and how many lines it printed. */
function refusal(output: string): { line: string; lines: number } {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return { line: lines.at(-1) ?? '', lines: lines.length };
}

describe('npm start as a production process', () => {
  const started: Gateway[] = [];
  let work: string;
  let dataDir: string;
  let port: number;
  let storage: Record<string, string> = {};
  let scratch: ScratchDatabase | null = null;

  beforeAll(async () => {
    buildIfNeeded();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-lifecycle-'));
    dataDir = path.join(work, 'data');
    port = await freePort();
    if (MYSQL) {
      scratch = await createScratchDatabase(MYSQL, 'gw_lifecycle');
      storage = { DATABASE_URL: scratch.url };
      if (process.env.REDIS_URL)
        storage = {
          ...storage,
          REDIS_URL: process.env.REDIS_URL,
          CACHE_NAMESPACE: `gw-life-${randomBytes(4).toString('hex')}`,
        };
    }
    // The operator's .env: read from the working directory, beneath what the environment sets.
    fs.writeFileSync(path.join(work, '.env'), `PORT=${port}\nDATA_DIR=${dataDir}\nSANDBOX_ORDER_DELAY_MS=50\n`);
  }, 120_000);

  afterAll(async () => {
    for (const gateway of started) if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
    await scratch?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const start = (env: Record<string, string> = {}, cwd = work) => {
    const gateway = startGateway(cwd, { ...storage, ...env });
    started.push(gateway);
    return gateway;
  };

  it('reads .env from its working directory, and listens on 127.0.0.1 only by default', async () => {
    const first = start();
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
    expect((await gql(port, '{ providers { id } }')).data.providers).toHaveLength(5);
    expect(first.child.exitCode).toBeNull();
  }, 90_000);

  it('refuses a second instance on the same DATA_DIR in one line naming the directory and the owner; the first keeps serving', async () => {
    const first = started[0];
    const second = start({ PORT: String(await freePort()) });
    const { code } = await second.exited;
    expect(code).not.toBe(0);
    const { line, lines } = refusal(second.output());
    expect(lines).toBe(1);
    expect(line).toContain(`DATA_DIR ${dataDir} is in use`);
    expect(line).toContain(`pid ${first.child.pid}`);
    expect(line).toContain(`http://127.0.0.1:${port}`);
    expect((await gql(port, '{ providers { id } }')).data.providers).toHaveLength(5);
    expect(first.child.exitCode).toBeNull();
  }, 60_000);

  it('says in one line that the port is busy, and exits non-zero', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-busy-'));
    const busy = start({ PORT: String(port), DATA_DIR: other, DATABASE_URL: '', REDIS_URL: '' }, other);
    const { code } = await busy.exited;
    fs.rmSync(other, { recursive: true, force: true });
    expect(code).not.toBe(0);
    expect(refusal(busy.output())).toEqual({
      line: `Port ${port} on 127.0.0.1 is already in use: stop what listens there, or set PORT.`,
      lines: 1,
    });
  }, 60_000);

  it('drains on SIGTERM, closing a live subscription, and exits 0 within 10 s', async () => {
    const first = started[0];
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${ADMIN}` },
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe(
        { query: 'subscription { walletUpdated { balance { amount } } }' },
        {
          next: () => undefined,
          error: () => undefined,
          complete: () => undefined,
        },
      );
    });
    // The subscription is live once the server has acknowledged it; a query on the same key proves the server is up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    first.child.kill('SIGTERM');
    const { code, ms } = await first.exited;
    expect({ code, within10s: ms < 10_000 }).toEqual({ code: 0, within10s: true });
    expect(await closed).toBe(1001);
    expect(first.output()).toMatch(/"msg":"stopped"/);
  }, 30_000);

  it('gives the directory up at exit: the next start on it serves, and SIGINT stops it with 0 too', async () => {
    const next = start();
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    expect((await gql(port, '{ providers { id } }')).data.providers).toHaveLength(5);
    next.child.kill('SIGINT');
    const { code, ms } = await next.exited;
    expect({ code, within10s: ms < 10_000 }).toEqual({ code: 0, within10s: true });
  }, 90_000);
});
