import { In, LessThanOrEqual } from 'typeorm';
import { OrderEntity, TopUpEntity } from '../../db/entities';
import { inTransaction } from '../../db/transaction';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import type { OrderFlow, OrderingDeps } from './order-flow';
import type { TopUpService } from './top-up.service';

const BATCH = 20;
/** While one instance works on an order, the others leave it alone for this long. */
const LEASE_MS = 60_000;

/**
 * Finishes what requests left unfinished: orders that a crash, a timeout or asynchronous
 * allocation left PENDING or PROCESSING, and PENDING top-ups. `tick` runs at start-up and every
 * RECONCILE_INTERVAL_MS (app/services.ts). It never orders anew: it drives the same persisted state machine
 * (`OrderFlow`), which asks the provider about our reference first.
 *
 * With several instances, each due row is leased by a conditional UPDATE of its `next_check_at`
 * (only the instance whose UPDATE changed the row works on it), so a row is handled by one
 * instance at a time.
 */
export class Reconciler {
  private ticks = 0;

  constructor(
    private readonly deps: OrderingDeps,
    private readonly flow: OrderFlow,
    private readonly topUps: TopUpService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** One pass over everything due now. Public for tests and start-up. */
  async tick(now = new Date()): Promise<void> {
    try {
      for (const order of await this.due(OrderEntity, now)) {
        if (await this.lease(OrderEntity, order.id, order.nextCheckAt, now)) await this.flow.advance(order.id);
      }
      for (const topUp of await this.due(TopUpEntity, now)) {
        if (await this.lease(TopUpEntity, topUp.id, topUp.nextCheckAt, now)) await this.topUps.advance(topUp.id);
      }
      if (++this.ticks % 3600 === 0) await this.idempotency.prune();
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message }, 'reconciler pass failed; next pass retries');
    }
  }

  private due<T extends typeof OrderEntity | typeof TopUpEntity>(entity: T, now: Date) {
    return this.deps.db.getRepository(entity as typeof OrderEntity).find({
      select: { id: true, nextCheckAt: true },
      where: { status: In(['PENDING', 'PROCESSING']), nextCheckAt: LessThanOrEqual(now) },
      order: { nextCheckAt: 'ASC' },
      take: BATCH,
    });
  }

  private async lease(entity: typeof OrderEntity | typeof TopUpEntity, id: string, seen: Date | null, now: Date): Promise<boolean> {
    if (!seen) return false;
    const result = await inTransaction(this.deps.db, (tx) => tx.getRepository(entity as typeof OrderEntity).update({ id, nextCheckAt: seen }, { nextCheckAt: new Date(now.getTime() + LEASE_MS) }));
    return result.affected === 1;
  }
}
