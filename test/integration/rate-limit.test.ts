import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createReseller } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

/** A budget small enough to spend in a test: 3 per second plus a burst of 3 per ten seconds. */
const LIMITS = { RATE_LIMIT_PER_SECOND: '3', RATE_LIMIT_BURST: '3' };
const BUDGET = 6;
/** A slow machine may cross into the next one-second window mid-test, which refills 3. */
const REFILL = 3;
const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

async function start(env: Record<string, string> = {}) {
  const t = await startTestApp({ ...LIMITS, ...env });
  apps.push(t);
  return t;
}

async function burst(t: TestApp, key: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, () =>
      fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      }),
    ),
  );
}

describe('per-API-key rate limit', () => {
  it('refuses over HTTP with 429, RATE_LIMITED, the retry delay and Retry-After, per key', async () => {
    const t = await start();
    const reseller = await createReseller(t); // the admin spends one operation creating it
    const answers = await burst(t, ADMIN_KEY, 10);
    const refused = answers.filter((r) => r.status === 429);
    const admitted = answers.filter((r) => r.status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(BUDGET - 1);
    expect(admitted).toBeLessThanOrEqual(BUDGET - 1 + REFILL);
    expect(refused).toHaveLength(10 - admitted);
    const body = (await refused[0].json()) as any;
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0].extensions.retryAfterMs).toBeGreaterThan(0);
    expect(body.errors[0].extensions.retryAfterMs).toBeLessThanOrEqual(1000);
    expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key has its own budget.
    expect((await t.gql('{ viewer { id } }', undefined, reseller.key)).status).toBe(200);
  });

  it('refuses over graphql-ws too, on the same budget, without closing the socket', async () => {
    const t = await start();
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const run = () =>
      new Promise<any>((resolve) => {
        client.subscribe(
          { query: '{ viewer { id } }' },
          { next: resolve, error: (errors) => resolve({ errors }), complete: () => undefined },
        );
      });
    const results = [];
    for (let i = 0; i < BUDGET + REFILL + 2; i++) results.push(await run());
    await client.dispose();
    const refused = results.filter((r) => r.errors);
    expect(results.filter((r) => r.data).length).toBeGreaterThanOrEqual(BUDGET);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0].errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused[0].errors[0].extensions.retryAfterMs).toBeGreaterThan(0);
  });

  (process.env.REDIS_URL && process.env.DATABASE_URL?.startsWith('mysql://') ? it : it.skip)(
    'holds across two instances sharing Redis and the database',
    async () => {
      const a = await start({ CACHE_NAMESPACE: `gw-rl-${Date.now()}` });
      const b = await start({ CACHE_NAMESPACE: a.app.config.cacheNamespace, DATABASE_URL: a.app.config.databaseUrl! });
      await new Promise((resolve) => setTimeout(resolve, 300)); // both limiters' Redis connections up
      const answers = [...(await burst(a, ADMIN_KEY, 6)), ...(await burst(b, ADMIN_KEY, 6))];
      const admitted = answers.filter((r) => r.status === 200).length;
      // One instance alone would admit its whole budget of 6 on each: together they share one.
      expect(admitted).toBeGreaterThanOrEqual(BUDGET);
      expect(admitted).toBeLessThanOrEqual(BUDGET + REFILL);
    },
  );
});
