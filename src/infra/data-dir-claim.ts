import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StartupError } from '../domain/startup-error';

/** What the running owner tells a second process that tries the same DATA_DIR. */
export interface DataDirOwner {
  readonly pid: number | null;
  readonly startedAt: string | null;
  readonly url: string | null;
}

export interface DataDirClaim {
  /** Shown to a process that tries the directory while we hold it. */
  announce(url: string): void;
  release(): Promise<void>;
}

const SOCKET_NAME = 'gateway.sock';
/** Linux's sun_path holds 108 bytes; macOS's 104. */
const MAX_SOCKET_PATH = 100;
/** How long a listening owner has to say who it is before the socket counts as abandoned. */
const ASK_TIMEOUT_MS = 2000;

/**
 * Makes this process the one owner of `dir` (the embedded SQLite file and the sandbox's saved
 * state): a second process on the same directory would share the SQLite file ("database is
 * locked"), revoke the first one's generated admin key and leave its orders in PROCESSING.
 *
 * The claim is a Unix socket in the directory that this process listens on, not a pid file: the
 * kernel closes it when the process dies however it dies, so a leftover socket file refuses
 * connections and is taken over, and no pid is ever mistaken for ours (in a container every
 * gateway is pid 1). A live owner answers with its pid and URL, which the refusal names. Where the
 * directory's path is too long for a socket address, a Linux abstract socket named after the
 * directory's real path stands in (it vanishes with its process).
 */
export async function claimDataDir(dir: string): Promise<DataDirClaim> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, SOCKET_NAME);
  const address =
    file.length <= MAX_SOCKET_PATH
      ? file
      : `\0esim-gateway-${createHash('sha256').update(fs.realpathSync(dir)).digest('hex').slice(0, 32)}`;
  let owner: DataDirOwner = { pid: process.pid, startedAt: new Date().toISOString(), url: null };
  const server = net.createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(JSON.stringify(owner));
  });
  // The HTTP server keeps the process alive; this one must not keep it from exiting.
  server.unref();
  for (let attempt = 0; ; attempt++) {
    try {
      await listen(server, address);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) throw error;
      const running = await ask(address);
      if (running) throw new DataDirInUseError(dir, running);
      // Nobody listens: the socket of a process that died. Two processes starting at this very
      // moment could both get here; the window is one unlink and one listen wide.
      fs.rmSync(address, { force: true });
    }
  }
  let released: Promise<void> | null = null;
  return {
    announce: (url) => void (owner = { ...owner, url }),
    release: () =>
      (released ??= new Promise<void>((resolve) => server.close(() => resolve())).then(() => {
        // server.close unlinks the socket file itself; this is for a claim left by a crash mid-way.
        if (address === file) fs.rmSync(file, { force: true });
      })),
  };
}

export class DataDirInUseError extends StartupError {
  constructor(dir: string, owner: DataDirOwner) {
    super(
      `DATA_DIR ${dir} is in use by another running gateway (${describe(owner)}); ` +
        'stop it first, or give this one its own DATA_DIR.',
    );
  }
}

function describe(owner: DataDirOwner): string {
  if (owner.pid === null) return 'a process that did not say which';
  return [`pid ${owner.pid}`, owner.url, owner.startedAt && `started ${owner.startedAt}`].filter(Boolean).join(', ');
}

function listen(server: net.Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * The owner listening at `address`, or null when the connection is refused (a dead process's
 * socket). Whatever accepts the connection holds the directory, even if it never says who it is.
 */
function ask(address: string): Promise<DataDirOwner | null> {
  const unknown: DataDirOwner = { pid: null, startedAt: null, url: null };
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let connected = false;
    const socket = net.connect(address, () => (connected = true));
    const done = (owner: DataDirOwner | null) => {
      socket.destroy();
      resolve(owner);
    };
    socket.setTimeout(ASK_TIMEOUT_MS, () => done(connected ? unknown : null));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => done(connected ? unknown : null));
    socket.on('end', () => {
      try {
        done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as DataDirOwner);
      } catch {
        done(unknown);
      }
    });
  });
}
