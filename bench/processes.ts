import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Compiled to dist/bench/ or run from bench/ by ts-jest: the repository root is found from either.
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

/** Builds dist/ when a source is newer, as `npm start` does. */
export function buildIfNeeded(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-needed.cjs')], { cwd: ROOT, stdio: 'pipe' });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Running {
  readonly child: ChildProcess;
  readonly output: string[];
  stop(): Promise<void>;
}

/**
 * Starts `node dist/<entry>` with `env`, keeping its output for failure messages. Without a
 * DATA_DIR in `env` it gets a fresh one, removed at stop: every process owns its DATA_DIR (a second
 * one is refused), and a simulator would otherwise restore what an earlier run left in ./data.
 */
export function startNode(entry: string, env: Record<string, string>): Running {
  const scratch = env.DATA_DIR ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'esim-node-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...(scratch ? { DATA_DIR: scratch } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  return {
    child,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Waits until `url` answers 200. */
export async function waitForHttp(url: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`${url} never answered`);
}
