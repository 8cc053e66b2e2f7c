import { randomUUID } from 'node:crypto';
import { cheapestPlan, createReseller, credit, placeOrder } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const MYSQL = process.env.DATABASE_URL?.startsWith('mysql://');

/**
 * Two gateway instances on one database: an idempotency key holds across them. Only a shared
 * server database can have two instances: a second process on one embedded SQLite file is refused
 * (test/integration/process-lifecycle.test.ts). Each has its own DATA_DIR for its embedded sandbox.
 */
(MYSQL ? describe : describe.skip)('idempotency across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ DATABASE_URL: a.app.config.databaseUrl! });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('answers the same order on both instances for one key sent to both at once, charging once', async () => {
    const r = await createReseller(a);
    await credit(a, r.accountId, '100');
    const plan = await cheapestPlan(a, r.key, 'esimtrade');
    const idempotencyKey = randomUUID();
    const results = await Promise.all(
      [a, b, a, b].map((t) => placeOrder(t, r.key, { planId: plan.id, idempotencyKey })),
    );
    expect(results.map((res) => res.body.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(new Set(results.map((res) => res.body.data.placeOrder.id)).size).toBe(1);
    const orders = (await b.gql('{ orders { totalCount } wallet { transactions { totalCount } } }', {}, r.key)).body
      .data;
    expect(orders).toEqual({ orders: { totalCount: 1 }, wallet: { transactions: { totalCount: 2 } } });
    const upstream =
      (await a.control('esimtrade', 'stats')).holdings.orders + (await b.control('esimtrade', 'stats')).holdings.orders;
    expect(upstream).toBe(1);
  });
});
