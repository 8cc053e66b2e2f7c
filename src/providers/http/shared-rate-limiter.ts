import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { ProviderRateLimitedError } from '../../domain/errors';
import { sleep, type LimitPolicy, type RateLimiter, type SharedLimits, type SlotGate } from './rate-limiter';

/** A command waiting longer than this on Redis is treated as Redis being down. */
const COMMAND_TIMEOUT_MS = 500;
/** After a Redis failure, calls use the local limiters this long before Redis is tried again. */
const RETRY_REDIS_MS = 5000;
/** While every slot is held by a call in flight, the head of the queue asks again this often (plus jitter). */
const POLL_MS = 20;
const JITTER_MS = 5;

// Both scripts read the Redis server's clock, so instances with skewed clocks agree on expiry,
// and keep the key alive as long as its longest lease, so an idle provider leaves nothing behind.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = tonumber(ARGV[2])
`;
const KEEP = `if redis.call('PTTL', KEYS[1]) < hold then redis.call('PEXPIRE', KEYS[1], hold) end
`;

/**
 * KEYS[1]: the provider's leases scored by expiry (ms). ARGV: limit, holdMs, lease id, windowMs.
 * {1, 0}: leased. {0, wait}: a lower bound of the ms until a slot frees, exact for a lease that
 * expires within a window; a lease still held frees no sooner than one window after its release.
 */
const TAKE = `${NOW}redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
  ${KEEP}  return {1, 0}
end
local first = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return {0, math.max(1, math.min(first - now + 1, tonumber(ARGV[4])))}
`;

/** KEYS[1], ARGV: lease id, ms. Moves an existing lease's expiry to now + ms (renewal, release). */
const LEASE_FOR = `${NOW}redis.call('ZADD', KEYS[1], 'XX', now + hold, ARGV[1])
${KEEP}return 1
`;

interface LimiterCommands {
  upstreamTake(key: string, limit: number, holdMs: number, lease: string, windowMs: number): Promise<[number, number]>;
  upstreamLeaseFor(key: string, lease: string, ms: number): Promise<number>;
}
type LimiterRedis = Redis & LimiterCommands;

/** Whether to ask Redis, with one warning per outage. */
class Availability {
  private down = false;
  private retryAt = 0;

  constructor(private readonly logger: Logger) {}

  usable(): boolean {
    return !this.down || Date.now() >= this.retryAt;
  }

  failed(reason: unknown): void {
    if (!this.down)
      this.logger.warn(
        { reason: (reason as Error)?.message },
        'Redis unreachable: outbound rate limits are counted per instance until it answers again',
      );
    this.down = true;
    this.retryAt = Date.now() + RETRY_REDIS_MS;
  }

  succeeded(): void {
    if (this.down) this.logger.info('Redis answers again: outbound rate limits are shared across instances');
    this.down = false;
  }
}

/** A null lease: Redis failed, and the caller uses its local limiter. */
type Outcome = { readonly lease: string | null } | { readonly error: unknown };

interface Waiter {
  readonly deadline: number;
  done: boolean;
  finish(outcome: Outcome): void;
}

/**
 * This instance's waiters for one provider, first come first served. Only the head asks Redis,
 * so a long queue costs one poll at a time, and the other instances' heads compete with it.
 */
class LeaseQueue {
  private readonly waiters: Waiter[] = [];
  private pumping = false;
  private disposed = false;
  private seq = 0;

  constructor(
    private readonly redis: LimiterRedis,
    private readonly key: string,
    private readonly owner: string,
    private readonly providerId: string,
    private readonly policy: LimitPolicy,
    private readonly holdMs: number,
    private readonly availability: Availability,
  ) {}

  /** A lease, or null when Redis failed and the caller must use its local limiter. */
  lease(signal?: AbortSignal): Promise<string | null> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.availability.usable()) return Promise.resolve(null);
    const { limit, windowMs, maxQueueMs } = this.policy;
    // Each slot serves at most one call per window, so a waiter this far back cannot be served in time.
    const leastWaitMs = Math.floor(this.waiters.length / limit) * windowMs;
    if (this.disposed || leastWaitMs > maxQueueMs)
      return Promise.reject(new ProviderRateLimitedError(this.providerId, Math.max(leastWaitMs, windowMs)));
    return new Promise<string | null>((resolve, reject) => {
      const onAbort = () => this.leave(waiter, { error: signal?.reason });
      const timer = setTimeout(
        () => this.leave(waiter, { error: new ProviderRateLimitedError(this.providerId, windowMs) }),
        maxQueueMs,
      );
      const waiter: Waiter = {
        deadline: Date.now() + maxQueueMs,
        done: false,
        finish: (outcome) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if ('lease' in outcome) resolve(outcome.lease);
          else reject(outcome.error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      void this.pump();
    });
  }

  /** Moves a lease's expiry to now + ms; a failure leaves it to expire by itself, never sooner than meant. */
  leaseFor(lease: string, ms: number): void {
    this.redis.upstreamLeaseFor(this.key, lease, ms).catch((error: unknown) => this.availability.failed(error));
  }

  dispose(): void {
    this.disposed = true;
    for (const waiter of [...this.waiters])
      this.leave(waiter, { error: new ProviderRateLimitedError(this.providerId, this.policy.windowMs) });
  }

  private leave(waiter: Waiter, outcome: Outcome): void {
    if (waiter.done) return;
    waiter.done = true;
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    waiter.finish(outcome);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const { limit, windowMs } = this.policy;
    try {
      while (this.waiters.length > 0 && !this.disposed) {
        const head = this.waiters[0];
        const lease = `${this.owner}:${++this.seq}`;
        let answer: [number, number];
        try {
          answer = await this.redis.upstreamTake(this.key, limit, this.holdMs, lease, windowMs);
        } catch (error) {
          // Everyone queued would meet the same failure in turn: send them all to the local limiter now.
          this.availability.failed(error);
          for (const waiter of [...this.waiters]) this.leave(waiter, { lease: null });
          continue;
        }
        this.availability.succeeded();
        const [granted, waitMs] = answer;
        if (granted === 1) {
          // A head that left (aborted, timed out) while Redis answered gives its slot back.
          if (head.done) void this.redis.zrem(this.key, lease).catch(() => undefined);
          else this.leave(head, { lease });
          continue;
        }
        if (head.done) continue;
        if (Date.now() + waitMs > head.deadline) {
          this.leave(head, { error: new ProviderRateLimitedError(this.providerId, waitMs) });
          continue;
        }
        await sleep(waitMs < windowMs ? waitMs + Math.random() * JITTER_MS : POLL_MS + Math.random() * POLL_MS);
      }
    } finally {
      this.pumping = false;
    }
  }
}

/**
 * At most `limit` call starts in any window across instances: a start's lease lasts one window,
 * counted from when the caller got the slot, a round trip after Redis granted it. Until then it
 * is held for two windows, so a lost update errs on the slow side.
 */
class SharedStartLimiter implements RateLimiter {
  constructor(
    private readonly queue: LeaseQueue,
    private readonly windowMs: number,
    private readonly local: RateLimiter,
  ) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    const lease = await this.queue.lease(signal);
    // Redis down: the gateway keeps serving, limited per instance, rather than failing every call.
    if (lease === null) return this.local.acquire(signal);
    this.queue.leaseFor(lease, this.windowMs);
  }
}

/**
 * A slot per call from its start until one window after its answer, across instances: the
 * request reached the provider between the two, so the provider never counts more than `limit`
 * arrivals in a window, whatever the network delays.
 */
class SharedArrivalGate implements SlotGate {
  private readonly renewals = new Set<NodeJS.Timeout>();

  constructor(
    private readonly queue: LeaseQueue,
    private readonly policy: LimitPolicy & { readonly leaseMs: number },
    private readonly local: SlotGate,
  ) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const lease = await this.queue.lease(signal);
    // Redis down: the gateway keeps serving, limited per instance, rather than failing every call.
    if (lease === null) return this.local.run(task, signal);
    const { leaseMs, windowMs } = this.policy;
    // A call and its retries may outlast the lease: renewing keeps the slot, a dead holder stops renewing.
    const renewal = setInterval(() => this.queue.leaseFor(lease, leaseMs), Math.max(1, Math.floor(leaseMs / 3)));
    renewal.unref();
    this.renewals.add(renewal);
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      this.renewals.delete(renewal);
      this.queue.leaseFor(lease, windowMs);
    }
  }

  dispose(): void {
    for (const renewal of this.renewals) clearInterval(renewal);
    this.renewals.clear();
    this.queue.dispose();
    this.local.dispose();
  }
}

/**
 * Outbound rate limits in Redis, one sorted set of slot leases per provider under the cache
 * namespace: every instance sharing REDIS_URL and CACHE_NAMESPACE draws on one budget.
 */
export class RedisLimits implements SharedLimits {
  private readonly owner = randomUUID();
  private readonly redis: LimiterRedis;
  private readonly availability: Availability;
  private readonly queues: LeaseQueue[] = [];

  constructor(
    redis: Redis,
    private readonly namespace: string,
    logger: Logger,
  ) {
    redis.defineCommand('upstreamTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('upstreamLeaseFor', { numberOfKeys: 1, lua: LEASE_FOR });
    this.redis = redis as LimiterRedis;
    this.availability = new Availability(logger);
  }

  starts(providerId: string, policy: LimitPolicy, local: RateLimiter): RateLimiter {
    return new SharedStartLimiter(this.queue(providerId, policy, 2 * policy.windowMs), policy.windowMs, local);
  }

  arrivals(providerId: string, policy: LimitPolicy & { readonly leaseMs: number }, local: SlotGate): SlotGate {
    return new SharedArrivalGate(this.queue(providerId, policy, policy.leaseMs), policy, local);
  }

  async dispose(): Promise<void> {
    for (const queue of this.queues) queue.dispose();
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis.disconnect();
  }

  private queue(providerId: string, policy: LimitPolicy, holdMs: number): LeaseQueue {
    const key = `${this.namespace}:upstream-rate:${providerId}`;
    const queue = new LeaseQueue(this.redis, key, this.owner, providerId, policy, holdMs, this.availability);
    this.queues.push(queue);
    return queue;
  }
}

/** Opens the limits' own Redis connection, which fails fast so a call never waits on a dead Redis. */
export function createRedisLimits(redisUrl: string, namespace: string, logger: Logger): RedisLimits {
  // A short disconnectTimeout: ioredis otherwise keeps a 2 s timer after closing a connection that never opened.
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    disconnectTimeout: 200,
  });
  // Connection errors are reported once per outage by the limiters; unhandled, Node would print each one.
  redis.on('error', () => undefined);
  return new RedisLimits(redis, namespace, logger);
}
