import Redis from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/** A steady rate with room for bursts: `perSecond` always, plus `burst` more per ten seconds. */
export interface RateLimitSettings {
  readonly perSecond: number;
  readonly burst: number;
}

/** The answer for one caller: admitted, or refused with how long to wait. */
export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterMs: number };

export interface KeyedRateLimiter {
  admit(key: string): Promise<Admission>;
  dispose(): Promise<void>;
}

const BURST_WINDOW_S = 10;

/**
 * rate-limiter-flexible's BurstyRateLimiter: a one-second budget, and a ten-second burst budget
 * drawn on once the first is spent, which behaves like a token bucket (steady refill, bounded
 * burst). With REDIS_URL the counters live in Redis, so the limit holds across instances; when
 * Redis fails, each instance falls back to its own in-memory counters (the library's "insurance
 * limiter") and goes back to Redis by itself: the gateway keeps serving, limited per instance.
 */
export function createKeyedRateLimiter(
  settings: RateLimitSettings,
  shared: { redisUrl: string | null; namespace: string },
): KeyedRateLimiter {
  const redis = shared.redisUrl
    ? new Redis(shared.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000 })
    : null;
  // ioredis reports a lost connection as an 'error' event; unhandled, it would be logged by Node as a crash risk.
  redis?.on('error', () => undefined);
  const limiter = (points: number, duration: number, prefix: string): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: prefix });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      points,
      duration,
      keyPrefix: `${shared.namespace}:${prefix}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const bursty = new BurstyRateLimiter(
    limiter(settings.perSecond, 1, 'rl:s'),
    limiter(Math.max(1, settings.burst), BURST_WINDOW_S, 'rl:b'),
  );
  return {
    async admit(key) {
      try {
        await bursty.consume(key);
        return { admitted: true };
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes)
          return { admitted: false, retryAfterMs: Math.max(1, Math.ceil(refusal.msBeforeNext)) };
        // Not a refusal but a store failure the insurance limiter did not absorb: admit rather than fail every request.
        return { admitted: true };
      }
    },
    async dispose() {
      // quit (graceful) only on a live connection: with Redis down it would wait for ever.
      if (redis?.status === 'ready') await redis.quit().catch(() => undefined);
      else redis?.disconnect();
    },
  };
}
