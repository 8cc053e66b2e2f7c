import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { createConnection, type Connection } from 'mysql2/promise';
import type { BeforeQueryEvent, EntitySubscriberInterface } from 'typeorm';
import { startBlackholeProxy, type BlackholeProxy } from '../helpers/blackhole-proxy';
import { expectLedgerInvariants, LEDGER_QUERY, ledgerFrom } from '../helpers/ledger';
import { createReseller, credit, errorCode, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const MYSQL = process.env.DATABASE_URL?.startsWith('mysql://') ? process.env.DATABASE_URL : null;
/** DB_QUERY_TIMEOUT_MS of the app under test. */
const TIMEOUT_MS = 1500;
/** How much later than the timeout the client may hear of it (the GraphQL round trip, CI jitter). */
const MARGIN_MS = 1000;
const CREDIT = /^UPDATE `wallet` SET `balance_units` = `balance_units` \+/;

/** The mysql2 connection under a TypeORM query runner. */
type Driven = { databaseConnection: { stream: Socket } };

/**
 * Silences the network path of the connection that holds creditWallet's transaction right after
 * its wallet UPDATE ran on the server (the row is changed and locked, uncommitted; the ledger row,
 * the key binding and COMMIT are still to come). `beforeQuery` is awaited before each statement
 * is sent, so the next statement of that transaction is the first one to vanish.
 */
class SilenceAfterCredit implements EntitySubscriberInterface {
  private armed = false;
  private credited: unknown = null;
  silenced = false;

  constructor(private readonly proxy: BlackholeProxy) {}

  arm(): void {
    this.armed = true;
    this.credited = null;
    this.silenced = false;
  }

  beforeQuery(event: BeforeQueryEvent<unknown>): void {
    if (!this.armed) return;
    if (this.credited === null) {
      if (event.queryRunner.isTransactionActive && CREDIT.test(event.query)) this.credited = event.queryRunner;
      return;
    }
    if (event.queryRunner !== this.credited) return;
    this.armed = false;
    this.proxy.silence((event.queryRunner as unknown as Driven).databaseConnection.stream.localPort!);
    this.silenced = true;
  }
}

(MYSQL ? describe : describe.skip)('MariaDB behind a network path that goes silent (no RST, no FIN)', () => {
  let t: TestApp;
  let r: Reseller;
  let proxy: BlackholeProxy;
  let direct: Connection;
  let silencer: SilenceAfterCredit;

  beforeAll(async () => {
    proxy = await startBlackholeProxy(MYSQL!);
    // startTestApp creates its database through DATABASE_URL: pointed at the proxy, the app's pool goes through it.
    process.env.DATABASE_URL = proxy.url;
    try {
      t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', DB_QUERY_TIMEOUT_MS: String(TIMEOUT_MS) });
    } finally {
      process.env.DATABASE_URL = MYSQL!;
    }
    // The test's own view of the database, around the proxy.
    const database = new URL(MYSQL!);
    database.pathname = new URL(t.data.databaseUrl!).pathname;
    direct = await createConnection(database.toString());
    silencer = new SilenceAfterCredit(proxy);
    t.app.db.subscribers.push(silencer);
    r = await createReseller(t);
    expect((await credit(t, r.accountId, '100')).body.errors).toBeUndefined();
  });
  afterAll(async () => {
    proxy?.heal();
    await t?.close();
    await direct?.end();
    await proxy?.close();
  });

  /** Committed state, read around the proxy (uncommitted rows of a stranded transaction are invisible). */
  const committed = async () => {
    const [[w]] = (await direct.query('SELECT balance_units AS b FROM wallet WHERE account_id = ?', [
      r.accountId,
    ])) as any;
    const [rows] = (await direct.query(
      'SELECT t.type, t.amount_units AS a FROM wallet_transaction t JOIN wallet w ON w.id = t.wallet_id WHERE w.account_id = ?',
      [r.accountId],
    )) as any;
    const [keys] = (await direct.query(
      "SELECT idem_key AS k, result_id AS bound FROM idempotency_key WHERE operation = 'creditWallet'",
    )) as any;
    return {
      balanceUnits: String(w.b),
      rows: rows.length as number,
      keys: keys as Array<{ k: string; bound: string | null }>,
    };
  };
  const ledger = async () => ledgerFrom((await t.gql(LEDGER_QUERY, {}, r.key)).body.data);
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const result = await work();
    return [result, Date.now() - started];
  };
  /** The masked answer the app gives for a failure of its own database (the contract has no code for it). */
  const expectCleanFailure = (res: { status: number; body: any }) => {
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(errorCode(res.body)).toBe('INTERNAL_SERVER_ERROR');
    expect(res.body.errors[0].message).toBe('Internal server error');
  };
  /** Every pooled connection answers (a connection left waiting on a lost answer would time out here). */
  const expectPoolHealthy = async () => {
    const reads = await Promise.all(
      Array.from({ length: 12 }, () => t.gql('{ wallet { balance { amount } } }', {}, r.key)),
    );
    expect(reads.map((x) => x.body.errors)).toEqual(reads.map(() => undefined));
  };

  it('fails a credit whose transaction goes silent after the UPDATE within the timeout, strands nothing, and the key can be retried', async () => {
    const before = await committed();
    const key = randomUUID();

    silencer.arm();
    const [failed, elapsed] = await timed(() => credit(t, r.accountId, '25', key));
    expect(silencer.silenced).toBe(true);
    expectCleanFailure(failed);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50); // it was the timeout, not a reset, that ended it
    expect(elapsed).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    console.info(`silent mid-transaction: failed after ${elapsed} ms (DB_QUERY_TIMEOUT_MS=${TIMEOUT_MS})`);

    // Still silent: the server holds the uncommitted UPDATE; nothing of it is visible, and the key was released.
    expect(await committed()).toEqual(before);

    proxy.heal(); // the server's side of the abandoned connection closes: it rolls the UPDATE back
    await expectPoolHealthy();
    expect(await committed()).toEqual(before);

    const retried = await credit(t, r.accountId, '25', key);
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.creditWallet.balance.amount).toBe('125.00');
    const again = await credit(t, r.accountId, '25', key);
    expect(again.body.data.creditWallet.balance.amount).toBe('125.00');
    const after = await ledger();
    expect(after.rows.map((row) => row.type)).toEqual(['DEPOSIT', 'DEPOSIT']);
    expectLedgerInvariants(after);
  });

  it('fails a credit within the timeout when the whole path goes silent, and recovers when it comes back', async () => {
    const before = await committed();
    const balanceBefore = (await ledger()).balance;
    const key = randomUUID();

    proxy.silenceAll();
    const [failed, elapsed] = await timed(() => credit(t, r.accountId, '10', key));
    expectCleanFailure(failed);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    console.info(`silent path: failed after ${elapsed} ms (DB_QUERY_TIMEOUT_MS=${TIMEOUT_MS})`);

    // A read fails just as fast, on a pooled connection or a new one (whose handshake times out).
    const [read, readElapsed] = await timed(() => t.gql('{ wallet { balance { amount } } }', {}, r.key));
    expectCleanFailure(read);
    expect(readElapsed).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect((await committed()).balanceUnits).toBe(before.balanceUnits);
    expect((await committed()).rows).toBe(before.rows);

    proxy.heal();
    await expectPoolHealthy();

    // The failed attempt moved nothing; the same key now credits exactly once, and answers the same after.
    const afterOutage = await committed();
    expect(afterOutage.balanceUnits).toBe(before.balanceUnits);
    expect(afterOutage.rows).toBe(before.rows);
    expect(afterOutage.keys.filter((row) => row.k === key && row.bound)).toEqual([]);
    const retried = await credit(t, r.accountId, '10', key);
    expect(retried.body.errors).toBeUndefined();
    const again = await credit(t, r.accountId, '10', key);
    expect(again.body.data.creditWallet).toEqual(retried.body.data.creditWallet);
    const after = await ledger();
    expect(Number(after.balance)).toBe(Number(balanceBefore) + 10);
    expect(after.rows.filter((row) => row.type === 'DEPOSIT')).toHaveLength(before.rows + 1);
    expectLedgerInvariants(after);
    // Abandoned connections are not kept open behind the proxy.
    expect(proxy.openPairs()).toBeLessThanOrEqual(10);
  }, 30_000);
});
