import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';

export interface LaneOptions {
  /** Tasks of one provider in flight at once (RECONCILE_CONCURRENCY_PER_PROVIDER). */
  readonly concurrency: number;
  /** Each task's signal aborts after this long (RECONCILE_DEADLINE_MS). */
  readonly deadlineMs: number;
}

/**
 * Background work split into one lane per provider, so a provider that hangs holds up only its
 * own work. A full lane refuses a task rather than queueing it: the caller leaves that row for a
 * later pass, and no backlog of one provider builds up in memory or in front of another's.
 *
 * A task gets a signal that aborts at its deadline (or on `stop`). Its slot frees when it settles
 * or when that deadline passes, whichever is first: a call that ignores the signal is abandoned,
 * never waited on.
 */
export class ProviderLanes {
  private readonly slots = new Map<string, Set<Promise<void>>>();
  private readonly working = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly options: LaneOptions,
    private readonly logger: Logger,
    private readonly name: string,
  ) {
    // Every running task listens for `stop` (each removes its listener when it settles): up to
    // concurrency × providers at once, more than Node's default warning threshold of 10.
    setMaxListeners(0, this.stopping.signal);
  }

  free(providerId: string): number {
    if (this.stopping.signal.aborted) return 0;
    return Math.max(0, this.options.concurrency - (this.slots.get(providerId)?.size ?? 0));
  }

  /**
   * Starts `task` in the provider's lane without waiting for it. Null when the lane is full or
   * stopping; otherwise a promise (never rejected) of the task settling or being abandoned.
   */
  run(providerId: string, task: (signal: AbortSignal) => Promise<unknown>): Promise<void> | null {
    if (this.free(providerId) === 0) return null;
    // An own timer, not AbortSignal.timeout: Node may collect a timeout signal that only
    // AbortSignal.any refers to, and then it never fires.
    const controller = new AbortController();
    const { signal } = controller;
    const timer = setTimeout(
      () => controller.abort(new DOMException(`${this.name} deadline passed`, 'TimeoutError')),
      this.options.deadlineMs,
    );
    timer.unref();
    const onStop = () => controller.abort(this.stopping.signal.reason);
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const work = (async () => {
      try {
        await task(signal);
      } catch (error) {
        this.logger.error(
          { providerId, err: (error as Error).message },
          `${this.name} step failed; a later pass retries`,
        );
      } finally {
        clearTimeout(timer);
        this.stopping.signal.removeEventListener('abort', onStop);
      }
    })();
    this.working.add(work);
    void work.finally(() => this.working.delete(work));
    const abandoned = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const lane = this.slots.get(providerId) ?? new Set<Promise<void>>();
    this.slots.set(providerId, lane);
    const slot: Promise<void> = Promise.race([work, abandoned]).finally(() => {
      lane.delete(slot);
      if (lane.size === 0 && this.slots.get(providerId) === lane) this.slots.delete(providerId);
    });
    lane.add(slot);
    return slot;
  }

  /**
   * Refuses new tasks, aborts the running ones and waits (at most one deadline) for them to write
   * what they learned, so shutdown does not cut a database write in half.
   */
  async stop(): Promise<void> {
    this.stopping.abort(new Error(`${this.name} stopping`));
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.deadlineMs)));
    await Promise.race([Promise.allSettled([...this.working]), limit]);
    clearTimeout(timer);
  }
}
