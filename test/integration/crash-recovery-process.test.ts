import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createClient } from '@redis/client';
import { buildIfNeeded, freePort, startNode, waitForHttp, type Running } from '../../bench/processes';
import { createScratchDatabase } from '../../bench/scratch-database';
import type { CrashPoint } from '../../src/services/ordering/crash-points';
import { expectLedgerInvariants, LEDGER_QUERY, ledgerFrom } from '../helpers/ledger';
import { TEST_CUSTOMER } from '../helpers/ordering';

const MYSQL = process.env.DATABASE_URL?.startsWith('mysql://') ? process.env.DATABASE_URL : null;
const ADMIN = `crash-admin-${randomBytes(8).toString('hex')}`;
/** Every gateway start shares one cache namespace (Redis outlives the process), removed at the end. */
const NAMESPACE = `gw-crash-${randomBytes(4).toString('hex')}`;
/** Past every order's submit grace and lease: due for the reconciler now. */
const LONG_AGO = '2000-01-01 00:00:00.000';

/** The database the gateway processes share across restarts, and a side door to it for the test. */
interface Storage {
  readonly env: Record<string, string>;
  exec(sql: string, params: unknown[]): Promise<void>;
  query(sql: string, params: unknown[]): Promise<any[]>;
  close(): Promise<void>;
}

async function sqliteStorage(): Promise<Storage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-crash-'));
  return {
    env: { DATA_DIR: dir },
    async exec(sql, params) {
      const db = new Database(path.join(dir, 'gateway.sqlite'));
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    },
    async query(sql, params) {
      const db = new Database(path.join(dir, 'gateway.sqlite'));
      try {
        return db.prepare(sql).all(...params);
      } finally {
        db.close();
      }
    },
    async close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function mysqlStorage(url: string): Promise<Storage> {
  const { url: databaseUrl, name, admin, drop } = await createScratchDatabase(url, 'gw_crash');
  return {
    env: { DATABASE_URL: databaseUrl },
    async exec(sql, params) {
      await admin.query(`USE \`${name}\``);
      await admin.query(sql, params);
    },
    async query(sql, params) {
      await admin.query(`USE \`${name}\``);
      return (await admin.query(sql, params))[0] as any[];
    },
    close: drop,
  };
}

/**
 * The gateway as a real process, killed with SIGKILL at each boundary of the order flow
 * (src/services/ordering/crash-points.ts, armed by GATEWAY_CRASH_AT), then restarted without the
 * hook on the same database (a SQLite file in one DATA_DIR, or one MariaDB database) against the
 * same simulator process. The restarted gateway's reconciler must finish each order with exactly
 * one upstream order (the simulator's own count) and an intact ledger. eSIM Access dedupes orders
 * by our reference (`transactionId`); Comium has no idempotency key, so its adapter must find the
 * order by reference before ever sending it again.
 *
 * While the gateway is down the test moves the order's `next_check_at` into the past: that is
 * the 30 s grace the placing request has before another instance may take its order over, which
 * ordering-recovery.test.ts skips with its clock in the same way.
 */
describe(`the gateway SIGKILLed mid-order and restarted (${MYSQL ? 'MariaDB' : 'SQLite'})`, () => {
  let storage: Storage;
  let sandbox: Running;
  let sandboxUrl: string;
  let port: number;
  let gateway: Running | null = null;
  let shop: { key: string; accountId: string };
  const funded: string[] = [];

  beforeAll(async () => {
    buildIfNeeded();
    storage = MYSQL ? await mysqlStorage(MYSQL) : await sqliteStorage();
    const sandboxPort = await freePort();
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    sandbox = startNode('src/sandbox/main.js', { SANDBOX_PORT: String(sandboxPort), SANDBOX_ORDER_DELAY_MS: '100' });
    await waitForHttp(`${sandboxUrl}/healthz`);
    port = await freePort();
    await startGateway(null);
    const created = (
      await gql('mutation($n: String!) { createAccount(input: { name: $n }) { apiKey account { id } } }', {
        n: 'crash-shop',
      })
    ).data.createAccount;
    shop = { key: created.apiKey, accountId: created.account.id };
    await gql('mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }', {
      i: { accountId: shop.accountId, amount: '500', idempotencyKey: randomUUID() },
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await sandbox?.stop();
    await storage?.close();
    if (process.env.REDIS_URL) {
      const redis = createClient({ url: process.env.REDIS_URL });
      await redis.connect();
      for await (const keys of redis.scanIterator({ MATCH: `${NAMESPACE}*`, COUNT: 500 }))
        if (keys.length) await redis.del(keys);
      redis.destroy();
    }
  }, 30_000);

  async function startGateway(crashAt: CrashPoint | null): Promise<void> {
    gateway = startNode('src/main.js', {
      ...storage.env,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SANDBOX_URL: sandboxUrl,
      GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN,
      RECONCILE_INTERVAL_MS: '200',
      ORDER_ATTENTION_AFTER_MS: '1500',
      CACHE_NAMESPACE: NAMESPACE,
      ...(crashAt ? { GATEWAY_CRASH_AT: crashAt } : {}),
    });
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000);
  }

  async function post(query: string, variables: object, key: string): Promise<any> {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  }
  const gql = (query: string, variables: object = {}, key = ADMIN) => post(query, variables, key);
  const simulator = async (providerId: string) =>
    (await fetch(`${sandboxUrl}/sandbox/${providerId}/_control/stats`)).json() as Promise<any>;
  const place = (planId: string, idempotencyKey: string) =>
    post(
      'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id status } }',
      { i: { planId, idempotencyKey, customer: TEST_CUSTOMER } },
      shop.key,
    );

  async function until<T>(find: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((res) => setTimeout(res, 100))) {
      const found = await find();
      if (found !== undefined) return found;
    }
    throw new Error(`timed out waiting for ${what}; gateway output: ${gateway?.output.join('').slice(-3000)}`);
  }

  async function exited(running: Running, ms: number): Promise<void> {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([once(running.child, 'exit'), new Promise((res) => (timer = setTimeout(res, ms)))]);
    clearTimeout(timer);
  }

  async function orders(): Promise<{ id: string; status: string; profiles: unknown[] }[]> {
    return (await gql('{ orders(first: 50) { nodes { id status profiles { iccid } } } }', {}, shop.key)).data.orders
      .nodes;
  }

  const control = (providerId: string, action: string, body: object) =>
    fetch(`${sandboxUrl}/sandbox/${providerId}/_control/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const newestOrder = async (): Promise<
    { orderStatus: string; partStatus: string; providerOrderId: string | null } | undefined
  > =>
    (
      await storage.query(
        'SELECT o.status AS orderStatus, p.status AS partStatus, p.provider_order_id AS providerOrderId FROM esim_order o JOIN order_part p ON p.order_id = o.id WHERE o.account_id = ? ORDER BY o.created_at DESC LIMIT 1',
        [shop.accountId],
      )
    )[0];

  /** What each kill leaves in the database, and how many orders the provider holds by then. */
  const LEFT: Record<CrashPoint, { row: Record<string, string | null>; upstream: number } | null> = {
    'before-commit': null,
    'after-commit': { row: { orderStatus: 'PENDING', partStatus: 'NEW', providerOrderId: null }, upstream: 0 },
    'after-submit': { row: { orderStatus: 'PENDING', partStatus: 'SUBMITTED', providerOrderId: null }, upstream: 0 },
    'after-upstream': { row: { orderStatus: 'PENDING', partStatus: 'SUBMITTED', providerOrderId: null }, upstream: 1 },
    'after-completed': { row: { orderStatus: 'COMPLETED', partStatus: 'COMPLETED' }, upstream: 1 },
  };

  it.each<[string, CrashPoint, 'accepts' | 'refuses' | 'waits']>([
    ['esimaccess', 'before-commit', 'accepts'],
    ['esimaccess', 'after-commit', 'accepts'],
    ['esimaccess', 'after-submit', 'accepts'],
    ['esimaccess', 'after-upstream', 'accepts'],
    ['esimaccess', 'after-completed', 'accepts'],
    // Comium documents no idempotency key: a create whose fate we never learnt is not sent again
    // on a guess, even when the lookup shows nothing yet. A person is told and settles it.
    ['comium', 'after-submit', 'waits'],
    ['comium', 'after-upstream', 'accepts'],
    // The provider has no order for our reference and refuses it after the restart: FAILED, refunded once.
    ['esimaccess', 'after-submit', 'refuses'],
  ])(
    'finishes a %s order killed at %s when the provider then %s it: no second upstream order, ledger intact',
    async (providerId, step, outcome) => {
      const plan = (
        await gql(
          'query($p: [ID!]) { plans(filter: { providerIds: $p }, sort: PRICE_ASC, first: 1) { nodes { id } } }',
          { p: [providerId] },
          shop.key,
        )
      ).data.plans.nodes[0];
      const known = new Set((await orders()).map((o) => o.id));
      const upstreamBefore = (await simulator(providerId)).holdings.orders;
      const balanceBefore = ledgerFrom((await gql(LEDGER_QUERY, {}, shop.key)).data).balance;
      await gateway!.stop();

      await startGateway(step);
      const dying = gateway!;
      const key = `crash-${step}-${randomUUID()}`;
      // Killed mid-request: a socket error, expected. (after-completed may die in a later reconciler pass instead.)
      const first = await place(plan.id, key).catch(() => null);
      await exited(dying, 15_000);
      expect(dying.child.signalCode).toBe('SIGKILL');

      const left = LEFT[step];
      const upstreamAtKill = (await simulator(providerId)).holdings.orders - upstreamBefore;
      if (left === null) {
        expect(first).toBeNull();
        expect(
          Number(
            (await storage.query('SELECT COUNT(*) AS n FROM esim_order WHERE account_id = ?', [shop.accountId]))[0].n,
          ),
        ).toBe(known.size);
        expect(upstreamAtKill).toBe(0);
      } else {
        expect(await newestOrder()).toMatchObject(left.row);
        expect(upstreamAtKill).toBe(left.upstream);
        await storage.exec("UPDATE esim_order SET next_check_at = ? WHERE status IN ('PENDING', 'PROCESSING')", [
          LONG_AGO,
        ]);
      }
      if (outcome === 'refuses') await control(providerId, 'balance', { amount: '0' });
      await startGateway(null);

      try {
        if (left === null) {
          // Rolled back by the database: no order, no debit. The client's retry with the same key orders
          // once, after the dead request's claim on the key goes stale (10 s unrenewed).
          expect(await orders()).toHaveLength(known.size);
          expect(ledgerFrom((await gql(LEDGER_QUERY, {}, shop.key)).data).balance).toBe(balanceBefore);
        }
        // The client retries after its socket error, with the same key: the same order, never a second one.
        const retried = await place(plan.id, key);
        expect(retried.errors).toBeUndefined();
        const created = (await orders()).filter((o) => !known.has(o.id));
        expect(created.map((o) => o.id)).toEqual([retried.data.placeOrder.id]);
        if (first?.data) expect(first.data.placeOrder.id).toBe(retried.data.placeOrder.id);
        const id = created[0].id;
        funded.push(id);

        if (outcome === 'waits') {
          const flagged = await until(
            async () =>
              (await gql('query($id: ID!) { order(id: $id) { status attention { reason } } }', { id })).data.order
                .attention ?? undefined,
            `attention on ${id}`,
          );
          expect(flagged.reason.length).toBeGreaterThan(0);
          const resolved = await gql('mutation($i: ResolveOrderInput!) { resolveOrder(input: $i) { status } }', {
            i: { orderId: id, outcome: 'REFUND', note: 'never sent: killed before the create' },
          });
          expect(resolved.data.resolveOrder.status).toBe('FAILED');
        }
        const finished = await until(
          async () => (await orders()).find((o) => o.id === id && ['COMPLETED', 'FAILED'].includes(o.status)),
          `order ${id} to finish`,
        );
        const ledger = ledgerFrom((await gql(LEDGER_QUERY, {}, shop.key)).data);
        const rows = ledger.rows.filter((row) => row.orderId === id).map((row) => row.type);
        if (outcome === 'accepts') {
          expect(finished).toMatchObject({ status: 'COMPLETED', profiles: [expect.anything()] });
          expect((await simulator(providerId)).holdings.orders - upstreamBefore).toBe(1);
          expect(rows).toEqual(['ORDER']);
        } else {
          expect(finished).toMatchObject({ status: 'FAILED', profiles: [] });
          expect((await simulator(providerId)).holdings.orders - upstreamBefore).toBe(0);
          expect(rows.sort()).toEqual(['ORDER', 'REFUND']);
          expect(ledger.balance).toBe(balanceBefore);
        }
        expectLedgerInvariants(ledger, funded);
      } finally {
        if (outcome === 'refuses') await control(providerId, 'balance', { amount: '100000' });
      }
    },
    45_000,
  );

  it('publishes, after a restart, the COMPLETED of an order killed after settling and before publishing (outbox)', async () => {
    const plan = (
      await gql(
        'query($p: [ID!]) { plans(filter: { providerIds: $p }, sort: PRICE_ASC, first: 1) { nodes { id } } }',
        { p: ['esimaccess'] },
        shop.key,
      )
    ).data.plans.nodes[0];
    await gateway!.stop();
    await startGateway('after-completed');
    const dying = gateway!;
    await place(plan.id, `outbox-${randomUUID()}`).catch(() => null);
    await exited(dying, 15_000);
    expect(dying.child.signalCode).toBe('SIGKILL');

    // Settled and committed; its event is stored, not published.
    const [order] = await storage.query(
      'SELECT id, status FROM esim_order WHERE account_id = ? ORDER BY created_at DESC LIMIT 1',
      [shop.accountId],
    );
    expect(order.status).toBe('COMPLETED');
    funded.push(order.id);
    const stored = async () =>
      (await storage.query("SELECT id, payload FROM event_outbox WHERE topic = 'ORDER_UPDATED'", [])).filter(
        (row) => JSON.parse(row.payload).orderId === order.id,
      );
    expect((await stored()).length).toBeGreaterThanOrEqual(1);
    // Held a few seconds (as a writer's handoff would), so the subscriber below is listening
    // before the restarted gateway's first sweep publishes it.
    const later = new Date(Date.now() + 4000).toISOString().replace('T', ' ').replace('Z', '');
    await storage.exec('UPDATE event_outbox SET due_at = ?', [later]);
    await startGateway(null);

    const client = createWsClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${shop.key}` },
    });
    const seen: string[] = [];
    try {
      const completed = new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: 'subscription($id: ID!) { orderUpdated(id: $id) { id status } }', variables: { id: order.id } },
          {
            next: (result) => {
              seen.push((result.data as any)?.orderUpdated?.status);
              if (seen.includes('COMPLETED')) resolve();
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        completed,
        new Promise(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error(`no COMPLETED event; saw ${JSON.stringify(seen)}`)), 20_000)),
        ),
      ]);
      clearTimeout(timer);
    } finally {
      await client.dispose();
    }
    expect(new Set(seen)).toEqual(new Set(['COMPLETED'])); // each delivery re-reads the order: a stale PENDING event also reads COMPLETED
    await until(
      async () => ((await stored()).length === 0 ? true : undefined),
      'the published event to leave the outbox',
    );
  }, 60_000);
});
