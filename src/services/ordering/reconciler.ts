import { In, LessThanOrEqual } from 'typeorm';
import { OrderEntity, TopUpEntity } from '../../db/entities';
import { inTransaction } from '../../db/transaction';
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

type Due = { readonly id: string; readonly nextCheckAt: Date | null; readonly providerId: string };

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
 * With several instances, each due row is leased by a conditional UPDATE of its `next_check_at`
 * (only the instance whose UPDATE changed the row works on it), so a row is handled by one
 * instance at a time.
 *
 * It never gives up on a row: an unsettled one is looked up again and again, backing off to once
 * a minute (OrderFlow.settle, TopUpService.later). Past ORDER_ATTENTION_AFTER_MS a person is told
 * (`OrderResolutionService.sweep` flags the row); the looking goes on until it settles.
 */
export class Reconciler {
  private ticks = 0;
  private readonly lanes: ProviderLanes;
  private readonly leaseMs: number;
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
        const run = this.start(order, OrderEntity, now, async (signal) => this.resolution.settled(await this.flow.advance(order.id, signal)));
        if (run) started.push(run);
      }
      for (const topUp of await this.dueTopUps(now)) {
        const run = this.start(topUp, TopUpEntity, now, (signal) => this.topUps.advance(topUp.id, signal));
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
  private start(row: Due, entity: typeof OrderEntity | typeof TopUpEntity, now: Date, work: (signal: AbortSignal) => Promise<unknown>): Promise<void> | null {
    if (this.busy.has(row.id)) return null;
    const run = this.lanes.run(row.providerId, async (signal) => {
      try {
        if (await this.lease(entity, row.id, row.nextCheckAt, now)) await work(signal);
      } finally {
        this.busy.delete(row.id);
      }
    });
    if (run) this.busy.add(row.id);
    return run;
  }

  /** Providers whose lane has room; the others' rows are not even read this pass. */
  private open(): string[] {
    return this.deps.registry.all().map((a) => a.id).filter((id) => this.lanes.free(id) > 0);
  }

  private async dueOrders(now: Date): Promise<Due[]> {
    const open = this.open();
    if (!open.length) return [];
    return this.deps.db.getRepository(OrderEntity).find({
      select: { id: true, nextCheckAt: true, providerId: true },
      where: { status: In(['PENDING', 'PROCESSING']), nextCheckAt: LessThanOrEqual(now), providerId: In(open) },
      order: { nextCheckAt: 'ASC' },
      take: BATCH,
    });
  }

  private async dueTopUps(now: Date): Promise<Due[]> {
    const open = this.open();
    if (!open.length) return [];
    const rows = await this.deps.db.getRepository(TopUpEntity).find({
      select: { id: true, nextCheckAt: true, profile: { id: true, providerId: true } },
      relations: { profile: true },
      where: { status: 'PENDING', nextCheckAt: LessThanOrEqual(now), profile: { providerId: In(open) } },
      order: { nextCheckAt: 'ASC' },
      take: BATCH,
    });
    return rows.map((t) => ({ id: t.id, nextCheckAt: t.nextCheckAt, providerId: t.profile!.providerId }));
  }

  private async lease(entity: typeof OrderEntity | typeof TopUpEntity, id: string, seen: Date | null, now: Date): Promise<boolean> {
    if (!seen) return false;
    const result = await inTransaction(this.deps.db, (tx) => tx.getRepository(entity as typeof OrderEntity).update({ id, nextCheckAt: seen }, { nextCheckAt: new Date(now.getTime() + this.leaseMs) }));
    return result.affected === 1;
  }
}
