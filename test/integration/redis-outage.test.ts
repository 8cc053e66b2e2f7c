import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { createClient as createRedisClient } from '@redis/client';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from '../../bench/processes';
import {
  cheapestPlan,
  createReseller,
  credit,
  errorCode,
  placeOrder,
  waitForOrder,
  type Reseller,
} from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;

/**
 * Redis (shared cache, pub/sub, rate limits) stopped under a running gateway, then started again.
 * Uses a Redis of its own on a free port, so other tests' Redis is never touched. The documented
 * behaviour (README, "Configuration"): one instance keeps serving queries and mutations, from its
 * providers and its own memory; events published while Redis is away reach the instance's own
 * subscribers only once it is back; everything resumes when Redis returns.
 */
(HAS_REDIS_SERVER ? describe : describe.skip)('Redis going away and coming back', () => {
  let port: number;
  let redis: ChildProcess | null = null;
  let t: TestApp;
  let r: Reseller;
  let client: Client;

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((res) => setTimeout(res, 50));
  };
  const stopRedis = async () => {
    const exited = new Promise((res) => redis!.once('exit', res));
    redis!.kill('SIGKILL');
    await exited;
    redis = null;
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    t = await startTestApp({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      CACHE_NAMESPACE: 'outage',
      RECONCILE_INTERVAL_MS: '50',
    });
    r = await createReseller(t);
    await credit(t, r.accountId, '100');
    client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${r.key}` },
    });
  });
  afterAll(async () => {
    await client.dispose();
    await t.close();
    if (redis) await stopRedis();
  });

  const walletEvents: string[] = [];
  const timed = async <T>(work: () => Promise<T>) => {
    const started = Date.now();
    const value = await work();
    return { value, ms: Date.now() - started };
  };

  it('serves queries and mutations while Redis is down, fast', async () => {
    client.subscribe(
      { query: 'subscription { walletUpdated { balance { amount } } }' },
      {
        next: (m: any) => walletEvents.push(m.data.walletUpdated.balance.amount),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((res) => setTimeout(res, 300));
    await stopRedis();

    const plans = await timed(() =>
      t.gql('{ plans(first: 5, filter: { country: "FR" }) { nodes { id } } }', undefined, r.key),
    );
    expect(plans.value.body.errors).toBeUndefined();
    expect(plans.value.body.data.plans.nodes.length).toBeGreaterThan(0);
    expect(plans.ms).toBeLessThan(5000);

    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const ordered = await timed(() => placeOrder(t, r.key, { planId: plan.id }));
    expect(ordered.value.body.errors).toBeUndefined();
    expect(ordered.ms).toBeLessThan(5000);
    expect((await waitForOrder(t, r.key, ordered.value.body.data.placeOrder.id)).status).toBe('COMPLETED');
    expect(errorCode((await credit(t, r.accountId, '1.00')).body)).toBeUndefined();
  });

  it('resumes shared work when Redis returns: events flow again', async () => {
    await startRedis();
    // ioredis reconnects with backoff and resubscribes; wait until a credit's event comes through.
    const before = walletEvents.length;
    for (let i = 0; i < 40 && walletEvents.length === before; i++) {
      await credit(t, r.accountId, '1.00');
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(walletEvents.length).toBeGreaterThan(before);
    const { body } = await t.gql('{ viewer { wallet { balance { amount } } } }', undefined, r.key);
    expect(walletEvents.at(-1)).toBe(body.data.viewer.wallet.balance.amount);
  });

  it('fills the shared cache again once Redis is back', async () => {
    const probe = createRedisClient({ url: `redis://127.0.0.1:${port}` });
    await probe.connect();
    try {
      let keys: string[] = [];
      for (let i = 0; i < 40 && keys.length === 0; i++) {
        await t.gql('{ plans(first: 5, filter: { country: "DE" }) { nodes { id } } }', undefined, r.key);
        keys = await probe.keys('outage*');
        if (!keys.length) await new Promise((res) => setTimeout(res, 250));
      }
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      await probe.quit();
    }
  });
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
