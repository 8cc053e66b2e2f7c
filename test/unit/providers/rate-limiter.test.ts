import { SlidingWindowLimiter } from '../../../src/providers/http/rate-limiter';

describe('the sliding-window rate limiter', () => {
  it('lets at most `limit` calls start in any window, queueing the rest in order', async () => {
    const limiter = new SlidingWindowLimiter('esimaccess', 4, 200, 5000);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 10 }, () => limiter.acquire().then(() => starts.push(Date.now()))));
    for (let i = 4; i < starts.length; i++) expect(starts[i] - starts[i - 4]).toBeGreaterThanOrEqual(200);
  });

  it('fails fast with RATE_LIMITED when the wait would be too long', async () => {
    const limiter = new SlidingWindowLimiter('esimplatform', 1, 60_000, 100);
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toMatchObject({ code: 'RATE_LIMITED', providerId: 'esimplatform' });
  });
});
