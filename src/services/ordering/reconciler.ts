import { In } from 'typeorm';
import { OrderEntity, TopUpEntity } from '../../db/entities';
import { WorkQueue } from '../../db/work-queue';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import { ProviderLanes, type LaneOptions } from '../per-provider';
import type { OrderFlow, OrderingDeps } from './order-flow';
import type { OrderResolutionService } from './order-resolution.service';
import type { TopUpService } from './top-up.service';

const BATCH = 20;
/** While one instance works on an order, the others leave it alone for this long (at least three deadlines). */
const LEASE_MS = 60_000;
/** The attention flags are swept at most this often (and at least four times per threshold). */
const SWEEP_EVERY_MS = 5000;

/**
 * Finishes what requests left unfinished: orders that a crash, a timeout or asynchronous
 * allocation left PENDING or PROCESSING, and PENDING top-ups. `dispatch` runs at start-up and every
 * RECONCILE_INTERVAL_MS (app/services.ts). It never orders anew: it drives the same persisted state machine
 * (`OrderFlow`), which asks the provider about our reference first.
 *
 * Work runs in one lane per provider (RECONCILE_CONCURRENCY_PER_PROVIDER steps at once, each
 * aborted after RECONCILE_DEADLINE_MS), and a pass does not wait for it: a provider that hangs
 * fills only its own lane, and the other providers' rows keep moving. A step cut off by its
 * deadline is an unknown outcome like any timeout: the row stays PENDING/PROCESSING, its money
 * held, and is looked up again later.
 *
 * Orders and top-ups are each a leased queue on `next_check_at` (the shared one, db/work-queue.ts),
 * so with several instances a row is handled by one of them at a time.
 *
 * It never gives up on a row: an unsettled one is looked up again and again, backing off to once
 * a minute (OrderFlow.settle, TopUpService.later). Past ORDER_ATTENTION_AFTER_MS a person is told
 * (`OrderResolutionService.sweep` flags the row); the looking goes on until it settles.
 */
export class Reconciler {
  private ticks = 0;
  private readonly lanes: ProviderLanes;
  private readonly leaseMs: number;
  private readonly orderQueue: WorkQueue<OrderEntity>;
  private readonly topUpQueue: WorkQueue<TopUpEntity>;
  /** Rows this instance is working on, abandoned ones included, so no pass starts one twice. */
  private readonly busy = new Set<string>();
  private lastSweep = 0;
  private readonly sweepEveryMs: number;

  constructor(
    private readonly deps: OrderingDeps,
    private readonly flow: OrderFlow,
    private readonly topUps: TopUpService,
    private readonly idempotency: IdempotencyService,
    options: LaneOptions,
    private readonly resolution: OrderResolutionService,
  ) {
    this.lanes = new ProviderLanes(options, deps.logger, 'reconciler');
    this.leaseMs = Math.max(LEASE_MS, 3 * options.deadlineMs);
    this.orderQueue = new WorkQueue(deps.db, { entity: OrderEntity, dueAt: 'nextCheckAt' });
    this.topUpQueue = new WorkQueue(deps.db, { entity: TopUpEntity, dueAt: 'nextCheckAt' });
    this.sweepEveryMs = Math.min(SWEEP_EVERY_MS, resolution.options.afterMs / 4);
  }

  /** One pass that resolves once the work it started has finished or passed its deadline. Public for tests. */
  async tick(now = new Date()): Promise<void> {
    this.lastSweep = 0; // a test's pass always sweeps
    await Promise.all(await this.dispatch(now));
  }

  /** Starts what is due now in its provider's lane; answers the started work without waiting for it. */
  async dispatch(now = new Date()): Promise<Promise<void>[]> {
    const started: Promise<void>[] = [];
    try {
      // Throttled on the clock, not on `now`: a pass run for a later moment must not hold the next sweeps back.
      if (Date.now() - this.lastSweep >= this.sweepEveryMs) {
        this.lastSweep = Date.now();
        await this.resolution.sweep(now);
      }
      for (const order of await this.dueOrders(now)) {
        const run = this.start(this.orderQueue, order, order.providerId, now, async (signal) =>
          this.resolution.settled(await this.flow.advance(order.id, signal)),
        );
        if (run) started.push(run);
      }
      for (const topUp of await this.dueTopUps(now)) {
        const run = this.start(this.topUpQueue, topUp, topUp.profile!.providerId, now, (signal) =>
          this.topUps.advance(topUp.id, signal),
        );
        if (run) started.push(run);
      }
      if (++this.ticks % 3600 === 0) await this.idempotency.prune();
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message }, 'reconciler pass failed; next pass retries');
    }
    return started;
  }

  /** Refuses new work and lets the running steps record what they learned. */
  stop(): Promise<void> {
    return this.lanes.stop();
  }

  /** The slot is taken before the lease, so a row is only leased when it will be worked on now. */
  private start<E extends { id: string }>(
    queue: WorkQueue<E>,
    row: E,
    providerId: string,
    now: Date,
    work: (signal: AbortSignal) => Promise<unknown>,
  ): Promise<void> | null {
    if (this.busy.has(row.id)) return null;
    const run = this.lanes.run(providerId, async (signal) => {
      try {
        if (await queue.lease(row, new Date(now.getTime() + this.leaseMs))) await work(signal);
      } finally {
        this.busy.delete(row.id);
      }
    });
    if (run) this.busy.add(row.id);
    return run;
  }

  /** Providers whose lane has room; the others' rows are not even read this pass. */
  private open(): string[] {
    return this.deps.registry
      .all()
      .map((a) => a.id)
      .filter((id) => this.lanes.free(id) > 0);
  }

  private async dueOrders(now: Date): Promise<OrderEntity[]> {
    const open = this.open();
    if (!open.length) return [];
    return this.orderQueue.due(now, BATCH, {
      select: { id: true, nextCheckAt: true, providerId: true },
      where: { status: In(['PENDING', 'PROCESSING']), providerId: In(open) },
    });
  }

  /** The profile comes along for its provider, which picks the lane. */
  private async dueTopUps(now: Date): Promise<TopUpEntity[]> {
    const open = this.open();
    if (!open.length) return [];
    return this.topUpQueue.due(now, BATCH, {
      select: { id: true, nextCheckAt: true, profile: { id: true, providerId: true } },
      relations: { profile: true },
      where: { status: 'PENDING', profile: { providerId: In(open) } },
    });
  }
}
