import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildIfNeeded } from '../../bench/processes';
import { errorCode } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/ws-client';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

/**
 * `npm run accounts -- …` as an operator runs it: the built CLI on a DATA_DIR of its own (SQLite),
 * before the gateway starts (bootstrap) and while it runs on the same file (no DATA_DIR claim).
 */
describe('accounts CLI', () => {
  let dataDir: string;
  let t: TestApp | null = null;

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL; // SQLite here whatever the suite runs on
    delete env.REDIS_URL;
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'dist/src/cli/accounts.js'), ...args], {
        cwd: ROOT,
        env,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }
  const field = (stdout: string, name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(stdout)?.[1];

  beforeAll(() => {
    buildIfNeeded();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-cli-'));
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates, lists and rotates keys, before and while the gateway runs on the same database', async () => {
    const created = await cli('create', '--name', 'Shop', '--markup', '20');
    expect(created).toMatchObject({ code: 0 });
    const accountId = field(created.stdout, 'account_id')!;
    const firstKey = field(created.stdout, 'api_key')!;
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(firstKey).toMatch(/^esg_/);

    t = await startTestApp({}, { data: { dataDir, databaseUrl: undefined } });
    const viewer = async (key: string) => t!.gql('{ viewer { id name markupPercent } }', {}, key);
    expect((await viewer(firstKey)).body.data.viewer).toEqual({ id: accountId, name: 'Shop', markupPercent: '20' });

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n');
    expect(rows[0]).toBe('id\tname\trole\tmarkup_percent\tstatus');
    expect(rows).toContain(`${accountId}\tShop\tRESELLER\t20\tactive`);
    expect(rows.some((row) => row.includes('\tADMIN\t'))).toBe(true);
    expect((await cli('list', '--search', 'sho')).stdout.trim().split('\n')).toHaveLength(2);

    const rotated = await cli('rotate-key', '--account', accountId);
    expect(rotated.code).toBe(0);
    const newKey = field(rotated.stdout, 'api_key')!;
    expect(newKey).toMatch(/^esg_/);
    expect(newKey).not.toBe(firstKey);
    expect((await viewer(newKey)).body.data.viewer.id).toBe(accountId);
    // Another process changed the keys: the gateway's auth memo (5 s, no shared cache here) lets go.
    await waitFor(async () => errorCode((await viewer(firstKey)).body) === 'UNAUTHENTICATED', 8_000);
  }, 60_000);

  it('explains its usage and refuses unknown accounts', async () => {
    const usage = await cli('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: npm run accounts/);
    expect((await cli('create')).code).toBe(2);
    const unknown = await cli('rotate-key', '--account', '00000000-0000-0000-0000-000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Account was not found/);
    const bad = await cli('create', '--name', 'X', '--markup', 'lots');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/markupPercent/);
  });
});
