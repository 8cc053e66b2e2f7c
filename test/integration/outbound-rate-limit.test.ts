import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

const REDIS_URL = process.env.REDIS_URL;
/**
 * Every read below goes to eSIM Access: balances are cached for 1 ms and `refreshUsage` bypasses
 * the usage cache (two calls: usage, then the profile). The per-key API limit is off, so every
 * RATE_LIMITED comes from the outbound limit.
 */
const ENV = { BALANCE_TTL_MS: '1', RATE_LIMIT_PER_SECOND: '0' };
const BALANCE = '{ provider(id: "esimaccess") { balance { amount } } }';
const REFRESH = 'mutation($i: String!) { refreshUsage(iccid: $i) { iccid } }';

interface Outcome {
  readonly served: number;
  readonly codes: Record<string, number>;
}

/** Sends `count` reads at once, spread over the instances; counts answers with data and error codes. */
async function burst(
  instances: readonly TestApp[],
  count: number,
  iccid: string,
  resellerKey: string,
): Promise<Outcome> {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const instance = instances[i % instances.length];
      return i % 2 ? instance.gql(BALANCE, {}, ADMIN_KEY) : instance.gql(REFRESH, { i: iccid }, resellerKey);
    }),
  );
  const codes: Record<string, number> = {};
  let served = 0;
  for (const { body } of answers) {
    if (!body.errors) served++;
    for (const error of body.errors ?? []) codes[error.extensions?.code] = (codes[error.extensions?.code] ?? 0) + 1;
  }
  return { served, codes };
}

describe('the outbound rate limit of eSIM Access under load', () => {
  const namespace = `gw-test-rl-${randomBytes(4).toString('hex')}`;
  const shared: Record<string, string> = REDIS_URL ? { CACHE_NAMESPACE: namespace } : {};
  let a: TestApp;
  let b: TestApp | null = null;
  let iccid: string;
  let resellerKey: string;

  beforeAll(async () => {
    a = await startTestApp({ ...ENV, ...shared });
    const reseller = await createReseller(a);
    resellerKey = reseller.key;
    await credit(a, reseller.accountId, '100');
    const plan = await cheapestPlan(a, reseller.key, 'esimaccess');
    const placed = await placeOrder(a, reseller.key, { planId: plan.id });
    const order = await waitForOrder(a, reseller.key, placed.body.data.placeOrder.id);
    iccid = order.profiles[0].iccid;
  });

  afterAll(async () => {
    await b?.close();
    await a.close();
    if (REDIS_URL) {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${namespace}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  /** 200 reads spread over `instances`: at most 8 a second reach eSIM Access, and clients get data or RATE_LIMITED. */
  async function expectWithinLimit(instances: TestApp[]) {
    await a.control('esimaccess', 'reset-stats');
    const outcome = await burst(instances, 200, iccid, resellerKey);
    const stats = await a.control('esimaccess', 'stats');
    expect(stats.peakPerSecond).toBeLessThanOrEqual(8);
    // More than a window's worth went upstream, so the limit was really under load.
    expect(stats.total).toBeGreaterThan(16);
    expect(Object.keys(outcome.codes)).toEqual(['RATE_LIMITED']);
    expect(outcome.served).toBeGreaterThan(0);
  }

  it('never lets the simulator see more than 8 calls in a second from one instance; clients get data or RATE_LIMITED', async () => {
    await expectWithinLimit([a]);
  }, 30_000);

  (REDIS_URL ? it : it.skip)(
    'keeps two instances sharing Redis and one simulator within 8 calls in a second together',
    async () => {
      b = await startTestApp({
        ...ENV,
        ...shared,
        SANDBOX_URL: a.url,
        ...(a.app.config.databaseUrl ? { DATABASE_URL: a.app.config.databaseUrl } : {}),
      });
      await expectWithinLimit([a, b]);
    },
    30_000,
  );
});
