import '../env-file';
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { loadConfig, StartupError } from '../config';
import { AccountRole, type Viewer } from '../domain/account';
import { DomainError } from '../domain/errors';
import { openDatabase } from '../db/data-source';
import { createCache, disposeCache } from '../infra/cache';
import { AccountService } from '../services/accounts/account.service';
import { parseArgs, USAGE, UsageError } from './args';

/**
 * The accounts CLI (`npm run accounts -- …`): bootstrap and scripts, straight on the database
 * through the account service, no HTTP. Whoever can run it can read DATA_DIR or DATABASE_URL, so
 * it acts as an administrator. It does not claim DATA_DIR: it may run beside a gateway on the
 * same SQLite file (WAL, busy timeout); a change reaches that gateway within its 5 s auth memo,
 * or at once on every instance when REDIS_URL is set (the shared auth epoch).
 */
const OPERATOR: Viewer = { accountId: '(cli)', role: 'ADMIN', markupPercent: '0' };

async function run(argv: readonly string[], out: (line: string) => void): Promise<void> {
  const { command, flags } = parseArgs(argv);
  const need = (name: string) => {
    const value = flags.get(name);
    if (value === undefined) throw new UsageError(`--${name} is required.`);
    return value;
  };
  if (!command || !['create', 'list', 'rotate-key'].includes(command)) throw new UsageError('Unknown command.');
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const cache = config.redisUrl ? createCache(config.redisUrl, config.cacheNamespace) : null;
  const accounts = new AccountService(db, cache);
  try {
    if (command === 'create') {
      const role = flags.get('role');
      if (role !== undefined && !Object.values(AccountRole).includes(role as AccountRole))
        throw new UsageError('--role must be RESELLER or ADMIN.');
      const { account, apiKey } = await accounts.createAccount(OPERATOR, {
        name: need('name'),
        markupPercent: flags.get('markup') ?? null,
        role: (role as AccountRole | undefined) ?? null,
      });
      out(`account_id=${account.id}`);
      out(`api_key=${apiKey}`);
    } else if (command === 'list') {
      for await (const line of listLines(accounts, flags.get('search'))) out(line);
    } else {
      out(`api_key=${await accounts.rotateKeys(need('account'))}`);
    }
  } finally {
    await close(db, cache);
  }
}

async function* listLines(accounts: AccountService, search: string | undefined): AsyncGenerator<string> {
  yield ['id', 'name', 'role', 'markup_percent', 'status'].join('\t');
  let after: string | null = null;
  do {
    const page = await accounts.listAccounts(OPERATOR, search, 100, after);
    for (const { node: a } of page.edges)
      yield [a.id, a.name, a.role, a.markupPercent, a.suspendedAt ? 'suspended' : 'active'].join('\t');
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);
}

async function close(db: DataSource, cache: ReturnType<typeof createCache> | null): Promise<void> {
  await db.destroy();
  if (cache) await disposeCache(cache);
}

run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
    else if (error instanceof DomainError || error instanceof StartupError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
