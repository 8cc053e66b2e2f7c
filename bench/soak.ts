import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createApp, type App } from '../src/app/create-app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/infra/logger';
import { createScratchDatabase } from './scratch-database';

/** Comium and the eSIM platform e-mail the eSIM to the customer: their orders need one. */
const CUSTOMER = { email: 'bench@example.com', name: 'Bench Customer' };

/**
 * `npm run soak`: a mixed load on one reseller's wallet for SOAK_SECONDS (default 60), on
 * MySQL/MariaDB when DATABASE_URL is set (a fresh database, dropped afterwards), SQLite otherwise:
 * orders on every provider (one of them flaky), top-ups, cancels, admin credits, catalog and
 * wallet reads, all at once. Then, once every order is final, the invariants:
 * - no client ever saw INTERNAL_SERVER_ERROR or a 5xx (a deadlock or lock timeout would);
 * - the ledger: sum of movements = balance, every balanceAfter >= 0 and each one the previous
 *   plus its amount, one ORDER debit per order, at most one REFUND per order and equal to it;
 * - upstream: every provider's orders = our order parts sent there, no provider reference twice;
 * - events: the outbox drains (every event of the load published and deleted).
 * test/integration/soak.test.ts runs the same for a few seconds in CI.
 */
export interface SoakOptions {
  readonly seconds: number;
  readonly concurrency: number;
  readonly databaseUrl: string | null;
  readonly flakyProvider?: string;
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly operations: Record<string, number>;
  readonly codes: Record<string, number>;
  readonly violations: string[];
  readonly orders: number;
  readonly ledgerRows: number;
  readonly seconds: number;
  /** Orders and top-ups the provider left unclear, refunded through resolveOrder / resolveTopUp after the load. */
  readonly settledByOperator: { readonly orders: number; readonly topUps: number };
}

const PROVIDERS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'];
const ADMIN = `soak-admin-${randomBytes(8).toString('hex')}`;
/** Codes a client may legitimately get under this load; anything else is a violation. */
const EXPECTED = new Set([
  'INSUFFICIENT_FUNDS',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_ERROR',
  'RATE_LIMITED',
  'NOT_SUPPORTED',
  'PLAN_UNAVAILABLE',
  'TOP_UP_NOT_SUPPORTED',
  'BAD_USER_INPUT',
  'NOT_FOUND',
]);

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const database = options.databaseUrl?.startsWith('mysql://')
    ? await createScratchDatabase(options.databaseUrl, 'gw_soak')
    : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-soak-'));
  const app = await createApp(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN,
      RATE_LIMIT_PER_SECOND: '1000000',
      SANDBOX_ORDER_DELAY_MS: '50',
      RECONCILE_INTERVAL_MS: '100',
      CATALOG_TTL_MS: '2000',
      ...(database ? { DATABASE_URL: database.url } : {}),
    }),
    { logger: createLogger('silent'), host: '127.0.0.1' },
  );
  const operations: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const violations: string[] = [];
  try {
    const gql = client(app.url);
    const created = await gql(
      'mutation { createAccount(input: { name: "soak", markupPercent: "10" }) { apiKey account { id } } }',
      {},
      ADMIN,
    );
    const { apiKey: key, account } = created.data.createAccount;
    const credit = (amount: string) =>
      gql(
        'mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }',
        { i: { accountId: account.id, amount, idempotencyKey: randomUUID() } },
        ADMIN,
      );
    await credit('300');
    const plans: string[] = [];
    for (const providerId of PROVIDERS) {
      const body = await gql(
        'query($f: PlanFilter) { plans(filter: $f, sort: PRICE_ASC, first: 3) { nodes { id } } }',
        { f: { providerIds: [providerId] } },
        key,
      );
      plans.push(...body.data.plans.nodes.map((n: { id: string }) => n.id));
    }
    const flaky = options.flakyProvider ?? 'esimtrade';
    await fetch(`${app.url}/sandbox/${flaky}/_control/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'flaky', errorRate: 0.2 }),
    });
    const before = await upstreamOrders(app.url);
    const orderIds: string[] = [];
    const iccids: string[] = [];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

    /** One random operation; its outcome is tallied by code. */
    const operation = async (): Promise<void> => {
      const roll = Math.random();
      let name: string;
      let body: any;
      if (roll < 0.3) {
        name = 'placeOrder';
        body = await gql(
          'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
          { i: { planId: pick(plans), idempotencyKey: randomUUID(), customer: CUSTOMER } },
          key,
        );
        if (body.data?.placeOrder) orderIds.push(body.data.placeOrder.id);
      } else if (roll < 0.4 && iccids.length) {
        name = 'topUpProfile';
        const iccid = pick(iccids);
        const options = await gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, key);
        const planId = options.data?.topUpOptions?.[0]?.id;
        body = planId
          ? await gql(
              'mutation($i: TopUpInput!) { topUpProfile(input: $i) { id } }',
              { i: { iccid, planId, idempotencyKey: randomUUID() } },
              key,
            )
          : options;
      } else if (roll < 0.5 && orderIds.length) {
        name = 'cancelOrder';
        body = await gql('mutation($id: ID!) { cancelOrder(id: $id) { id status } }', { id: pick(orderIds) }, key);
      } else if (roll < 0.6) {
        name = 'creditWallet';
        body = await credit('5');
      } else if (roll < 0.8) {
        name = 'plans';
        body = await gql(
          'query($c: String) { plans(first: 20, filter: { country: $c }) { nodes { id price { amount } } } }',
          { c: pick(['FR', 'DE', 'US', 'JP', 'ES']) },
          key,
        );
      } else {
        name = 'orders';
        body = await gql(
          '{ wallet { balance { amount } } orders(first: 20) { nodes { id status profiles { iccid } } } }',
          {},
          key,
        );
        for (const order of body.data?.orders.nodes ?? [])
          for (const p of order.profiles) if (!iccids.includes(p.iccid)) iccids.push(p.iccid);
      }
      operations[name] = (operations[name] ?? 0) + 1;
      for (const error of body.errors ?? []) {
        const code = String(error.extensions?.code);
        codes[code] = (codes[code] ?? 0) + 1;
        if (!EXPECTED.has(code)) violations.push(`${name}: ${code} ${error.message}`);
      }
      if (!body.errors) codes.OK = (codes.OK ?? 0) + 1;
    };

    const started = Date.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (Date.now() < deadline) {
          try {
            await operation();
          } catch (error) {
            violations.push(`transport: ${(error as Error).message}`);
          }
        }
      }),
    );
    log(`load done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(operations)}`);
    await fetch(`${app.url}/sandbox/${flaky}/_control/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'ok' }),
    });
    await untilSettled(app.db);
    // What the provider left unclear (its create or top-up failed in a way that may or may not have
    // happened) is never sent again: a person settles it, as an operator would here.
    const settledByOperator = await settleAsOperator(app.db, gql);
    log(`settled by an operator: ${JSON.stringify(settledByOperator)}`);
    violations.push(
      ...(await untilFinal(app.db).then(
        () => [],
        (error: Error) => [error.message],
      )),
    );
    violations.push(
      ...(await ledgerViolations(app.db)),
      ...(await upstreamViolations(app, before)),
      ...(await outboxViolations(app)),
    );
    const [{ n: orders }] = await app.db.query('SELECT COUNT(*) AS n FROM esim_order');
    const [{ n: ledgerRows }] = await app.db.query('SELECT COUNT(*) AS n FROM wallet_transaction');
    return {
      operations,
      codes,
      violations,
      orders: Number(orders),
      ledgerRows: Number(ledgerRows),
      seconds: options.seconds,
      settledByOperator,
    };
  } finally {
    await app.dispose();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function client(url: string) {
  return async (query: string, variables: object, key: string): Promise<any> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as any;
    if (res.status >= 500)
      body.errors = [
        ...(body.errors ?? []),
        { message: `HTTP ${res.status}`, extensions: { code: `HTTP_${res.status}` } },
      ];
    return body;
  };
}

const OPEN_ROWS =
  "SELECT (SELECT COUNT(*) FROM esim_order WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')) + (SELECT COUNT(*) FROM top_up WHERE status NOT IN ('COMPLETED', 'FAILED')) AS n";

/** Waits (up to a minute) until the reconciler has nothing left to settle: no open row, or none settled for 3 s. */
async function untilSettled(db: DataSource): Promise<void> {
  let last = -1;
  let quietSince = Date.now();
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const [{ n }] = await db.query(OPEN_ROWS);
    if (Number(n) === 0) return;
    if (Number(n) !== last) [last, quietSince] = [Number(n), Date.now()];
    else if (Date.now() - quietSince > 3000) return;
  }
}

/** REFUNDs every order and top-up still open, through the admin API (resolveOrder, resolveTopUp). */
async function settleAsOperator(
  db: DataSource,
  gql: ReturnType<typeof client>,
): Promise<{ orders: number; topUps: number }> {
  const orders: Array<{ id: string }> = await db.query(
    "SELECT id FROM esim_order WHERE status IN ('PENDING', 'PROCESSING')",
  );
  const topUps: Array<{ id: string }> = await db.query("SELECT id FROM top_up WHERE status = 'PENDING'");
  for (const { id } of orders)
    await gql(
      'mutation($i: ResolveOrderInput!) { resolveOrder(input: $i) { id } }',
      { i: { orderId: id, outcome: 'REFUND', note: 'soak: unclear after the load' } },
      ADMIN,
    );
  for (const { id } of topUps)
    await gql(
      'mutation($i: ResolveTopUpInput!) { resolveTopUp(input: $i) { id } }',
      { i: { topUpId: id, outcome: 'REFUND', note: 'soak: unclear after the load' } },
      ADMIN,
    );
  return { orders: orders.length, topUps: topUps.length };
}

/** Waits (up to a minute) until no order or top-up is left unfinished. */
async function untilFinal(db: DataSource): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [{ n }] = await db.query(OPEN_ROWS);
    if (Number(n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('orders or top-ups still unfinished a minute after the load');
}

export interface LedgerRow {
  wallet_id: string;
  type: string;
  amount_units: string;
  balance_after_units: string;
  order_id: string | null;
}

export async function ledgerViolations(db: DataSource): Promise<string[]> {
  const violations: string[] = [];
  const wallets: Array<{ id: string; balance_units: string }> = await db.query('SELECT id, balance_units FROM wallet');
  const rows: LedgerRow[] = await db.query(
    'SELECT wallet_id, type, amount_units, balance_after_units, order_id FROM wallet_transaction',
  );
  for (const wallet of wallets) {
    const mine = rows.filter((r) => r.wallet_id === wallet.id);
    const sum = mine.reduce((total, r) => total + BigInt(r.amount_units), 0n);
    if (sum !== BigInt(wallet.balance_units))
      violations.push(`wallet ${wallet.id}: movements sum to ${sum}, balance is ${wallet.balance_units}`);
    if (mine.some((r) => BigInt(r.balance_after_units) < 0n))
      violations.push(`wallet ${wallet.id}: a balanceAfter below zero`);
    if (!chains(mine))
      violations.push(`wallet ${wallet.id}: balanceAfter values do not chain (each = previous + amount)`);
  }
  const orders: Array<{ id: string; total_units: string }> = await db.query('SELECT id, total_units FROM esim_order');
  for (const order of orders) {
    const debits = rows.filter((r) => r.order_id === order.id && r.type === 'ORDER');
    const refunds = rows.filter((r) => r.order_id === order.id && r.type === 'REFUND');
    if (debits.length !== 1) violations.push(`order ${order.id}: ${debits.length} ORDER debits`);
    if (refunds.length > 1) violations.push(`order ${order.id}: ${refunds.length} refunds`);
    if (
      refunds.length === 1 &&
      debits.length === 1 &&
      BigInt(refunds[0].amount_units) !== -BigInt(debits[0].amount_units)
    )
      violations.push(`order ${order.id}: refund differs from its debit`);
  }
  return violations;
}

/**
 * Whether the movements can be put in one order where each balanceAfter is the previous one plus
 * its amount, starting from zero. Each movement is an edge from its starting balance to its
 * balanceAfter, and balances revisit values (a debit, then a credit of the same amount), so this
 * asks for an Eulerian trail from 0: every balance entered as often as left, except 0 (left once
 * more) and the final balance (entered once more), and every movement reachable from 0.
 */
export function chains(rows: readonly LedgerRow[]): boolean {
  if (rows.length === 0) return true;
  const degree = new Map<bigint, number>();
  const edges = new Map<bigint, bigint[]>();
  let final = 0n;
  for (const r of rows) {
    const end = BigInt(r.balance_after_units);
    const start = end - BigInt(r.amount_units);
    final += BigInt(r.amount_units);
    degree.set(start, (degree.get(start) ?? 0) + 1);
    degree.set(end, (degree.get(end) ?? 0) - 1);
    edges.set(start, [...(edges.get(start) ?? []), end]);
  }
  for (const [balance, surplus] of degree) {
    const expected = final === 0n ? 0 : balance === 0n ? 1 : balance === final ? -1 : 0;
    if (surplus !== expected) return false;
  }
  const seen = new Set<bigint>([0n]);
  const queue = [0n];
  while (queue.length)
    for (const next of edges.get(queue.pop()!) ?? [])
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
  return [...edges.keys()].every((start) => seen.has(start));
}

/** Every event the load wrote was published: the outbox is empty once its writers' deletes have run. */
async function outboxViolations(app: App): Promise<string[]> {
  await app.outbox.flush();
  const [{ n }] = await app.db.query('SELECT COUNT(*) AS n FROM event_outbox');
  return Number(n) === 0 ? [] : [`${n} events left unpublished in the outbox`];
}

async function upstreamOrders(url: string): Promise<Record<string, number>> {
  const entries = await Promise.all(
    PROVIDERS.map(
      async (p) =>
        [
          p,
          ((await (await fetch(`${url}/sandbox/${p}/_control/stats`)).json()) as any).holdings.orders as number,
        ] as const,
    ),
  );
  return Object.fromEntries(entries);
}

async function upstreamViolations(app: App, before: Record<string, number>): Promise<string[]> {
  const violations: string[] = [];
  const after = await upstreamOrders(app.url);
  const parts: Array<{ provider_id: string; provider_order_id: string }> = await app.db.query(
    'SELECT o.provider_id, p.provider_order_id FROM order_part p JOIN esim_order o ON o.id = p.order_id WHERE p.provider_order_id IS NOT NULL',
  );
  const references = new Set<string>();
  for (const part of parts) {
    const reference = `${part.provider_id}:${part.provider_order_id}`;
    if (references.has(reference)) violations.push(`upstream order ${reference} belongs to two order parts`);
    references.add(reference);
  }
  for (const providerId of PROVIDERS) {
    const ours = parts.filter((p) => p.provider_id === providerId).length;
    const theirs = after[providerId] - before[providerId];
    if (ours !== theirs) violations.push(`${providerId}: ${theirs} upstream orders for ${ours} order parts`);
  }
  return violations;
}

if (require.main === module) {
  const seconds = Number(process.env.SOAK_SECONDS ?? 60);
  const databaseUrl = process.env.DATABASE_URL ?? null;
  console.log(
    `soak: ${seconds} s on ${databaseUrl ? 'MySQL/MariaDB' : 'SQLite'}, concurrency ${process.env.SOAK_CONCURRENCY ?? 16}`,
  );
  runSoak({
    seconds,
    concurrency: Number(process.env.SOAK_CONCURRENCY ?? 16),
    databaseUrl,
    log: (line) => console.log(line),
  })
    .then((report) => {
      console.log(
        JSON.stringify(
          {
            operations: report.operations,
            codes: report.codes,
            orders: report.orders,
            ledgerRows: report.ledgerRows,
            settledByOperator: report.settledByOperator,
          },
          null,
          2,
        ),
      );
      if (report.violations.length) {
        console.error(`${report.violations.length} violations:\n${report.violations.slice(0, 50).join('\n')}`);
        process.exit(1);
      }
      console.log('invariants hold');
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
