import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createConnection, type Connection } from 'mysql2/promise';
import type { EntitySubscriberInterface, BeforeQueryEvent } from 'typeorm';
import {
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  ORDER_FIELDS,
  type Reseller,
  TEST_CUSTOMER,
} from '../helpers/ordering';
import { expectLedgerInvariants, LEDGER_QUERY, ledgerFrom } from '../helpers/ledger';
import { startTestApp, type TestApp } from '../helpers/test-app';

const MYSQL = process.env.DATABASE_URL?.startsWith('mysql://') ? process.env.DATABASE_URL : null;
const ORDER_POST = 'POST /api/v1/open/esim/order';
const DEBIT = /^UPDATE `wallet` SET `balance_units` = `balance_units` \+/;

/** The mysql2 connection under a TypeORM query runner. */
type Driven = { databaseConnection: { threadId: number; stream: Socket } };

/**
 * Cuts the MariaDB connection that holds the order's money transaction right after the wallet
 * debit UPDATE ran and before the statement that follows it (the ledger row, the key binding and
 * COMMIT are still to come; the order row was written just before the debit). A TypeORM
 * `beforeQuery` subscriber is awaited before each statement is sent, so the cut lands at exactly
 * that point, on the transaction's own connection.
 */
class CutAfterDebit implements EntitySubscriberInterface {
  private armed = false;
  private debited: unknown = null;
  cut = false;

  constructor(private readonly sever: (connection: Driven['databaseConnection']) => Promise<void>) {}

  arm(): void {
    this.armed = true;
    this.debited = null;
    this.cut = false;
  }

  async beforeQuery(event: BeforeQueryEvent<unknown>): Promise<void> {
    if (!this.armed) return;
    if (this.debited === null) {
      if (event.queryRunner.isTransactionActive && DEBIT.test(event.query)) this.debited = event.queryRunner;
      return;
    }
    if (event.queryRunner !== this.debited) return;
    this.armed = false;
    await this.sever((event.queryRunner as unknown as Driven).databaseConnection);
    this.cut = true;
  }
}

/** A TCP proxy in front of MariaDB whose connections can be cut (both sockets destroyed) one by one. */
async function startProxy(target: URL): Promise<{ server: Server; port: number; cut(localPort: number): void }> {
  const pairs = new Map<number, [Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 3306), target.hostname);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    pairs.set(client.remotePort!, [client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as { port: number }).port,
    cut: (localPort) => pairs.get(localPort)?.forEach((socket) => socket.destroy()),
  };
}

(MYSQL ? describe.each : describe.skip.each)(['KILL CONNECTION', 'a TCP proxy cut'])(
  'the MariaDB connection lost inside the order transaction (%s)',
  (how) => {
    let t: TestApp;
    let r: Reseller;
    let admin: Connection;
    let proxy: Awaited<ReturnType<typeof startProxy>> | null = null;
    let cutter: CutAfterDebit;

    beforeAll(async () => {
      admin = await createConnection(MYSQL!);
      if (how === 'KILL CONNECTION') {
        t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
        cutter = new CutAfterDebit(
          async (connection) => void (await admin.query(`KILL CONNECTION ${connection.threadId}`)),
        );
      } else {
        // startTestApp creates its database through DATABASE_URL: pointed at the proxy, the app's pool goes through it.
        proxy = await startProxy(new URL(MYSQL!));
        const viaProxy = new URL(MYSQL!);
        viaProxy.host = `127.0.0.1:${proxy.port}`;
        process.env.DATABASE_URL = viaProxy.toString();
        try {
          t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
        } finally {
          process.env.DATABASE_URL = MYSQL!;
        }
        cutter = new CutAfterDebit(async (connection) => proxy!.cut(connection.stream.localPort!));
      }
      t.app.db.subscribers.push(cutter);
      r = await createReseller(t);
      await credit(t, r.accountId, '100');
    });
    afterAll(async () => {
      await t?.close();
      await admin?.end();
      await new Promise((resolve) => (proxy ? proxy.server.close(resolve) : resolve(undefined)));
    });

    const gql = (query: string, variables?: Record<string, unknown>) => t.gql(query, variables, r.key);
    const place = (planId: string, idempotencyKey: string) =>
      gql(`mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { ${ORDER_FIELDS} } }`, {
        i: { planId, idempotencyKey, customer: TEST_CUSTOMER },
      });
    const orderPosts = async () => (await t.control('esimaccess', 'stats')).requests[ORDER_POST] ?? 0;
    const count = async (sql: string, params: unknown[]) => Number((await t.app.db.query(sql, params))[0].n);

    it('persists neither the order nor the debit, answers a coded error, and a retry with the same key orders once', async () => {
      const plan = await cheapestPlan(t, r.key, 'esimaccess');
      const key = `kill-${randomUUID()}`;
      const postsBefore = await orderPosts();

      cutter.arm();
      const started = Date.now();
      const failed = await place(plan.id, key);
      expect(cutter.cut).toBe(true);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(failed.status).toBe(200);
      expect(failed.body.data).toBeNull();
      // No contract code names our own database; the masked INTERNAL_SERVER_ERROR with its fixed message is the answer.
      expect(errorCode(failed.body)).toBe('INTERNAL_SERVER_ERROR');
      expect(failed.body.errors[0].message).toBe('Internal server error');

      expect(await count('SELECT COUNT(*) AS n FROM esim_order WHERE account_id = ?', [r.accountId])).toBe(0);
      expect(
        await count(
          "SELECT COUNT(*) AS n FROM wallet_transaction t JOIN wallet w ON w.id = t.wallet_id WHERE w.account_id = ? AND t.type <> 'DEPOSIT'",
          [r.accountId],
        ),
      ).toBe(0);
      expect(
        await count('SELECT COUNT(*) AS n FROM idempotency_key WHERE account_id = ? AND idem_key = ?', [
          r.accountId,
          key,
        ]),
      ).toBe(0);
      const untouched = ledgerFrom((await gql(LEDGER_QUERY)).body.data);
      expect(untouched.balance).toBe('100.00');
      expect(untouched.rows.map((row) => row.type)).toEqual(['DEPOSIT']);
      expect(await orderPosts()).toBe(postsBefore);

      // Every pooled connection is usable afterwards (a dead one kept in the pool would fail one of these).
      const reads = await Promise.all(Array.from({ length: 12 }, () => gql('{ wallet { balance { amount } } }')));
      expect(reads.map((x) => x.body.errors)).toEqual(reads.map(() => undefined));

      const retried = await place(plan.id, key);
      expect(retried.body.errors).toBeUndefined();
      const again = await place(plan.id, key);
      expect(again.body.data.placeOrder.id).toBe(retried.body.data.placeOrder.id);
      const orderId = retried.body.data.placeOrder.id;
      expect(await count('SELECT COUNT(*) AS n FROM esim_order WHERE account_id = ?', [r.accountId])).toBe(1);
      expect(
        await count("SELECT COUNT(*) AS n FROM wallet_transaction WHERE order_id = ? AND type = 'ORDER'", [orderId]),
      ).toBe(1);
      expect(await orderPosts()).toBe(postsBefore + 1);
      const ledger = ledgerFrom((await gql(LEDGER_QUERY)).body.data);
      expect(ledger.rows.map((row) => row.type).sort()).toEqual(['DEPOSIT', 'ORDER']);
      expectLedgerInvariants(ledger, [orderId]);
    });
  },
);
