import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
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

/** Starts `node dist/<entry>` with `env`, keeping its output for failure messages. */
export function startNode(entry: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
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
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
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
