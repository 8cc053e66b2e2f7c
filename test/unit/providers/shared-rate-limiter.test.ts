import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { ProviderRateLimitedError } from '../../../src/domain/errors';
import { ArrivalWindowGate } from '../../../src/providers/esimaccess/esimaccess.rate-gate';
import { SlidingWindowLimiter, type SlotGate } from '../../../src/providers/http/rate-limiter';
import { createRedisLimits, type RedisLimits } from '../../../src/providers/http/shared-rate-limiter';

const REDIS_URL = process.env.REDIS_URL;
const EIGHT_PER_SECOND = { limit: 8, windowMs: 1000, maxQueueMs: 10_000 };

function fakeLogger(): Logger & { warn: jest.Mock; info: jest.Mock } {
  return { warn: jest.fn(), info: jest.fn(), error: jest.fn(), debug: jest.fn() } as unknown as Logger & {
    warn: jest.Mock;
    info: jest.Mock;
  };
}

/** The most timestamps in any half-open window (t - windowMs, t], as the simulators count `peakPerSecond`. */
function peakInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, first = 0; i < sorted.length; i++) {
    while (sorted[first] <= sorted[i] - windowMs) first++;
    peak = Math.max(peak, i - first + 1);
  }
  return peak;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` in the gate; resolves once the task has started, i.e. holds its slot. */
function hold<T>(gate: SlotGate, task: () => Promise<T>): Promise<{ startedAt: number; done: Promise<T> }> {
  return new Promise((started, failed) => {
    const done = gate.run(() => {
      started({ startedAt: Date.now(), done });
      return task();
    });
    done.catch(failed);
  });
}

(REDIS_URL ? describe : describe.skip)('the Redis-backed provider rate limit, two instances on one Redis', () => {
  const namespace = `rl-test-${randomBytes(4).toString('hex')}`;
  let a: RedisLimits;
  let b: RedisLimits;
  beforeEach(() => {
    a = createRedisLimits(REDIS_URL!, namespace, fakeLogger());
    b = createRedisLimits(REDIS_URL!, namespace, fakeLogger());
  });
  afterEach(async () => {
    await Promise.all([a.dispose(), b.dispose()]);
    const redis = new Redis(REDIS_URL!);
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  const gates = (policy: typeof EIGHT_PER_SECOND & { leaseMs: number }, id = 'esimaccess') =>
    [a, b].map((limits) =>
      limits.arrivals(id, policy, new ArrivalWindowGate(id, policy.limit, policy.windowMs, policy.maxQueueMs)),
    );

  it('starts no more than 8 of 40 concurrent calls in any second, holding each slot a window past its answer', async () => {
    const [gateA, gateB] = gates({ ...EIGHT_PER_SECOND, leaseMs: 5000 });
    const calls: { start: number; end: number }[] = [];
    const task = async () => {
      const start = Date.now();
      await pause(5);
      calls.push({ start, end: Date.now() });
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? gateA : gateB).run(task)));
    expect(calls).toHaveLength(40);
    expect(
      peakInWindow(
        calls.map((c) => c.start),
        1000,
      ),
    ).toBeLessThanOrEqual(8);
    // The 9th call may start only one window after one of the first 8 answered.
    const byStart = [...calls].sort((x, y) => x.start - y.start);
    const firstEnds = byStart
      .slice(0, 8)
      .map((c) => c.end)
      .sort((x, y) => x - y);
    expect(byStart[8].start - firstEnds[0]).toBeGreaterThanOrEqual(999);
    gateA.dispose();
    gateB.dispose();
  }, 20_000);

  it('lets at most 8 starts through in any second for the other providers', async () => {
    const [limiterA, limiterB] = [a, b].map((limits) =>
      limits.starts('esimtrade', EIGHT_PER_SECOND, new SlidingWindowLimiter('esimtrade', 8, 1000, 10_000)),
    );
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => (i % 2 ? limiterA : limiterB).acquire().then(() => starts.push(Date.now()))),
    );
    expect(starts).toHaveLength(24);
    expect(peakInWindow(starts, 1000)).toBeLessThanOrEqual(8);
  }, 20_000);

  it('frees the slot of a holder that died once its lease expires', async () => {
    const [gateA, gateB] = gates({ limit: 1, windowMs: 100, maxQueueMs: 3000, leaseMs: 400 });
    const { startedAt: heldAt } = await hold(gateA, () => new Promise<never>(() => undefined));
    gateA.dispose(); // the instance dies: no more renewals, no release
    const startedAt = await gateB.run(async () => Date.now());
    expect(startedAt - heldAt).toBeGreaterThanOrEqual(390);
    expect(startedAt - heldAt).toBeLessThan(1500);
    gateB.dispose();
  });

  it('keeps the slot of a live holder past its lease by renewing it', async () => {
    const [gateA, gateB] = gates({ limit: 1, windowMs: 100, maxQueueMs: 3000, leaseMs: 300 });
    let answeredAt = 0;
    const holder = await hold(gateA, async () => {
      await pause(900);
      answeredAt = Date.now();
    });
    const startedAt = await gateB.run(async () => Date.now());
    await holder.done;
    expect(startedAt - answeredAt).toBeGreaterThanOrEqual(99);
    gateA.dispose();
    gateB.dispose();
  });

  it('fails RATE_LIMITED with retryAfterMs, without waiting, when no slot can free within maxQueueMs', async () => {
    const [limiterA, limiterB] = [a, b].map((limits) =>
      limits.starts(
        'comium',
        { limit: 1, windowMs: 1000, maxQueueMs: 200 },
        new SlidingWindowLimiter('comium', 1, 1000, 200),
      ),
    );
    await limiterA.acquire();
    const asked = Date.now();
    const refusal = await limiterB.acquire().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ProviderRateLimitedError);
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', providerId: 'comium' });
    const { retryAfterMs } = refusal as ProviderRateLimitedError;
    expect(retryAfterMs).toBeGreaterThan(700);
    expect(retryAfterMs).toBeLessThanOrEqual(1001);
    expect(Date.now() - asked).toBeLessThan(150);
  });

  it('fails RATE_LIMITED at once when a call in flight holds the slot and a window exceeds maxQueueMs', async () => {
    const [gateA, gateB] = gates({ limit: 1, windowMs: 1000, maxQueueMs: 300, leaseMs: 5000 });
    const holder = await hold(gateA, () => pause(500));
    const asked = Date.now();
    // Answered now or later, the held slot frees one window after the answer at the soonest.
    await expect(gateB.run(async () => 'ran')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
    expect(Date.now() - asked).toBeLessThan(150);
    await holder.done;
    gateA.dispose();
    gateB.dispose();
  });

  it('stops waiting when the caller aborts, and the abandoned turn takes no slot', async () => {
    const [limiterA, limiterB] = [a, b].map((limits) =>
      limits.starts(
        'esimplatform',
        { limit: 1, windowMs: 300, maxQueueMs: 5000 },
        new SlidingWindowLimiter('esimplatform', 1, 300, 5000),
      ),
    );
    const firstAt = Date.now();
    await limiterA.acquire();
    const controller = new AbortController();
    const waiting = limiterB.acquire(controller.signal);
    await pause(50);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    await limiterA.acquire();
    // The next slot went to the next caller, one window after the first, not a window later still.
    expect(Date.now() - firstAt).toBeLessThan(550);
  });
});

describe('the Redis-backed provider rate limit with Redis down', () => {
  it('falls back to the in-process limiter for each call and warns once', async () => {
    const logger = fakeLogger();
    const limits = createRedisLimits('redis://127.0.0.1:1', 'rl-test-down', logger);
    try {
      const limiter = limits.starts(
        'esimtrade',
        { limit: 2, windowMs: 60_000, maxQueueMs: 2000 },
        new SlidingWindowLimiter('esimtrade', 2, 60_000, 2000),
      );
      await limiter.acquire();
      await limiter.acquire();
      // The local limiter counts: a third start in the window is refused.
      await expect(limiter.acquire()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      const gate = limits.arrivals(
        'esimaccess',
        { limit: 8, windowMs: 1000, maxQueueMs: 500, leaseMs: 2000 },
        new ArrivalWindowGate('esimaccess', 8, 1000, 500),
      );
      await expect(gate.run(async () => 'served')).resolves.toBe('served');
      gate.dispose();
      expect(logger.warn).toHaveBeenCalledTimes(1);
    } finally {
      await limits.dispose();
    }
  });
});
