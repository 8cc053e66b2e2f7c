import { randomBytes } from 'node:crypto';
import { createKeyedRateLimiter, type KeyedRateLimiter } from '../../../src/infra/rate-limit';

const settings = { perSecond: 3, burst: 2 };
const limiters: KeyedRateLimiter[] = [];
const make = (redisUrl: string | null, namespace = `rl-test-${randomBytes(4).toString('hex')}`) => {
  const limiter = createKeyedRateLimiter(settings, { redisUrl, namespace });
  limiters.push(limiter);
  return limiter;
};
afterAll(() => Promise.all(limiters.map((l) => l.dispose())));

async function admitted(limiter: KeyedRateLimiter, key: string, times: number) {
  const answers = [];
  for (let i = 0; i < times; i++) answers.push(await limiter.admit(key));
  return answers;
}

describe('per-key rate limit (rate-limiter-flexible, bursty)', () => {
  it('admits the steady budget plus the burst, then refuses with a retry delay', async () => {
    const answers = await admitted(make(null), 'key-a', 8);
    expect(answers.filter((a) => a.admitted)).toHaveLength(settings.perSecond + settings.burst);
    const refused = answers.filter((a) => !a.admitted);
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r.admitted === false && r.retryAfterMs > 0 && r.retryAfterMs <= 1000).toBe(true);
  });

  it('counts each key on its own', async () => {
    const limiter = make(null);
    await admitted(limiter, 'key-a', 10);
    expect(await limiter.admit('key-b')).toEqual({ admitted: true });
  });

  it('keeps limiting in memory when Redis cannot be reached', async () => {
    const answers = await admitted(make('redis://127.0.0.1:1'), 'key-a', 8);
    expect(answers.filter((a) => a.admitted)).toHaveLength(settings.perSecond + settings.burst);
  });

  (process.env.REDIS_URL ? it : it.skip)('shares one budget between instances through Redis', async () => {
    const namespace = `rl-test-${randomBytes(4).toString('hex')}`;
    const [a, b] = [make(process.env.REDIS_URL!, namespace), make(process.env.REDIS_URL!, namespace)];
    // Until its connection is up, each instance counts in memory (the insurance limiter).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = await Promise.all([admitted(a, 'key-a', 4), admitted(b, 'key-a', 4)]);
    expect(answers.flat().filter((x) => x.admitted)).toHaveLength(settings.perSecond + settings.burst);
  });
});
