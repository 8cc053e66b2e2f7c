import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { claimDataDir, DataDirInUseError } from '../../../src/infra/data-dir-claim';

describe('claimDataDir: one owner per DATA_DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-claim-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second claim while the first holds, naming the owner it announced; free again once released', async () => {
    const first = await claimDataDir(dir);
    first.announce('http://127.0.0.1:4000');
    const refused = await claimDataDir(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toEqual(
      expect.stringContaining(
        `DATA_DIR ${dir} is in use by another running gateway (pid ${process.pid}, http://127.0.0.1:4000, started `,
      ),
    );
    await first.release();
    const second = await claimDataDir(dir);
    await second.release();
  });

  it('takes over the socket file a dead process left behind', async () => {
    // A crashed owner leaves its socket file; nothing accepts on it any more.
    const stale = path.join(dir, 'gateway.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(stale, resolve));
    const copy = path.join(dir, 'kept.sock');
    fs.linkSync(stale, copy);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.renameSync(copy, stale);
    expect(fs.existsSync(stale)).toBe(true);

    const claim = await claimDataDir(dir);
    await claim.release();
  });

  it('refuses when whatever listens there never says who it is', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(path.join(dir, 'gateway.sock'), resolve));
    try {
      await expect(claimDataDir(dir)).rejects.toThrow(
        /in use by another running gateway \(a process that did not say which\)/,
      );
    } finally {
      silent.close();
    }
  }, 10_000);

  it('holds a directory whose path is too long for a socket file, through an abstract socket', async () => {
    const deep = path.join(dir, 'x'.repeat(60), 'y'.repeat(60));
    const first = await claimDataDir(deep);
    await expect(claimDataDir(deep)).rejects.toBeInstanceOf(DataDirInUseError);
    await first.release();
    await (await claimDataDir(deep)).release();
  });
});
