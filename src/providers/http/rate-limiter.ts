import { ProviderRateLimitedError } from '../../domain/errors';

/** Waits for a slot to call a provider; rejects with RATE_LIMITED when the wait would be too long. */
export interface RateLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
}

/** Runs a task in a slot held from its start until one window after it settles (ArrivalWindowGate). */
export interface SlotGate {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Stops pending timers; a slot still held is left to expire. */
  dispose(): void;
}

/** One provider's budget: `limit` calls per `windowMs`, waiting at most `maxQueueMs` for a slot. */
export interface LimitPolicy {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxQueueMs: number;
}

/**
 * Rate limits counted outside the process, so every gateway instance draws on one budget per
 * provider (REDIS_URL). Each limiter is given the in-process one it replaces as `local`, which
 * serves while the shared store cannot be reached.
 */
export interface SharedLimits {
  /** SlidingWindowLimiter's semantics (call starts in any window), across instances. */
  starts(providerId: string, policy: LimitPolicy, local: RateLimiter): RateLimiter;
  /**
   * ArrivalWindowGate's semantics, across instances. `leaseMs` bounds how long the slot of a
   * holder that died stays taken; a live holder renews it.
   */
  arrivals(providerId: string, policy: LimitPolicy & { readonly leaseMs: number }, local: SlotGate): SlotGate;
  dispose(): Promise<void>;
}

/**
 * At most `limit` call starts in ANY sliding window of `windowMs`, queued fairly (FIFO).
 * A fixed-window or token-bucket limiter (rate-limiter-flexible, limiter) lets 2 × rate through
 * across a window edge, which eSIM Access's 8 requests/s would refuse; a sliding log does not.
 * Waiters that would wait longer than `maxWaitMs` fail fast instead of piling up.
 */
export class SlidingWindowLimiter implements RateLimiter {
  private readonly starts: number[] = [];
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly providerId: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.take(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(signal?: AbortSignal): Promise<void> {
    const windowMs = this.windowMs;
    let now = this.now();
    while (this.starts.length && this.starts[0] <= now - windowMs) this.starts.shift();
    if (this.starts.length >= this.limit) {
      const waitMs = this.starts[this.starts.length - this.limit] + windowMs - now + 1;
      if (waitMs > this.maxWaitMs) throw new ProviderRateLimitedError(this.providerId, waitMs);
      await sleep(waitMs, signal);
      now = this.now();
    }
    this.starts.push(now);
    if (this.starts.length > this.limit) this.starts.shift();
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
