import { ProviderRateLimitedError } from '../../domain/errors';
import type { SlotGate } from '../http/rate-limiter';

/**
 * Paces calls so the provider never sees more than `limit` ARRIVALS in any `windowMs`.
 *
 * The shared limiter spaces call STARTS, but eSIM Access counts arrivals (8 per second): a first
 * burst that reaches the server late (new sockets, signing) and a next burst that reaches it
 * early land in the same server second, and the provider answers 900001. Holding each slot from
 * the call's start until `windowMs` after its answer bounds every server-side window, since the
 * arrival lies between the two. Per process; `SharedLimits.arrivals` gives the same across instances.
 */
export class ArrivalWindowGate implements SlotGate {
  private free: number;
  private readonly waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly providerId: string,
    limit: number,
    private readonly windowMs: number,
    private readonly maxWaitMs: number,
  ) {
    this.free = limit;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.releaseAfterWindow();
    }
  }

  /** Clears the pending slot releases; waiters left behind are never granted. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.free > 0 && this.waiters.length === 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const grant = () => {
        settle();
        resolve();
      };
      const onAbort = () => {
        settle();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new ProviderRateLimitedError(this.providerId, this.windowMs));
      }, this.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  private releaseAfterWindow(): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const next = this.waiters[0];
      if (next) next();
      else this.free++;
    }, this.windowMs);
    timer.unref();
    this.timers.add(timer);
  }
}
