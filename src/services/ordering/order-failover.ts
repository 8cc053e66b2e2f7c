import { In, IsNull } from 'typeorm';
import type { Viewer } from '../../domain/account';
import { failoverReasonOf, type FailoverReason } from '../../domain/order-fallback';
import { AccountEntity, OrderEntity, OrderPartEntity } from '../../db/entities';
import { movePart, newParts, partsOf } from '../../db/repositories/order-parts';
import { inTransaction } from '../../db/transaction';
import type { PriceBooks } from '../pricing/price-books';
import type { FailoverRouter } from './failover-router';
import type { OrderingDeps } from './order-flow';
import { planOfSnapshot, snapshotOf } from './records';

/** Prefixed to the new parts' references, so the new provider never sees one the first was sent. */
const FAILOVER_PART_PREFIX = '-f';
/** How long the runner that failed the order over has before the reconciler may take it over. */
const RESEND_GRACE_MS = 30_000;
const NOT_SENT = 'Not sent: the order went to an equivalent plan at another provider.';

/** Another runner moved the order or one of its parts since the decision was read. */
class MovedMeanwhile extends Error {}

/**
 * Moves an order placed with `fallback: EQUIVALENT` to an equivalent plan at another provider,
 * once, after its provider refused it outright or could not be reached before anything was sent
 * (order-fallback.ts decides which). Nothing moves money here: the order keeps the price it was
 * charged, and the route is chosen within FAILOVER_TOLERANCE_PERCENT of that price for its
 * account. One transaction supersedes the old parts, points the order at the new plan (keeping
 * the one it asked for) and adds new parts; every write is conditional on what was read, so two
 * runners cannot both move it, and a part that was sent meanwhile cancels the move.
 */
export class OrderFailover {
  constructor(
    private readonly deps: OrderingDeps,
    private readonly router: FailoverRouter,
    private readonly books: PriceBooks,
  ) {}

  /** True when the order now points at an equivalent plan with new parts to send. */
  async reroute(order: OrderEntity, reason: FailoverReason): Promise<boolean> {
    const viewer = await this.viewerOf(order.accountId);
    const route = await this.router.confirmedRoute(viewer, await this.books.freshBookFor(viewer), {
      chosen: planOfSnapshot(order.planSnapshot),
      unitPrice: { amount: order.unitPrice, currency: order.currency },
      customer:
        order.customerEmail || order.customerName ? { email: order.customerEmail, name: order.customerName } : null,
    });
    if (!route) return false;
    const moved = await inTransaction(this.deps.db, async (tx) => {
      const now = new Date();
      const parts = await partsOf(tx, order.id);
      if (failoverReasonOf(parts, true) === null) return false;
      for (const part of parts) {
        const superseded =
          part.status === 'NEW'
            ? await movePart(tx, part.id, 'NEW', { status: 'FAILED', failureReason: NOT_SENT, supersededAt: now })
            : await movePart(tx, part.id, 'FAILED', { supersededAt: now });
        if (!superseded) throw new MovedMeanwhile();
      }
      const updated = await tx.getRepository(OrderEntity).update(
        { id: order.id, providerId: order.providerId, failedOverAt: IsNull(), status: In(['PENDING', 'PROCESSING']) },
        {
          providerId: route.providerId,
          planId: route.id,
          planSnapshot: snapshotOf(route),
          requestedProviderId: order.providerId,
          requestedPlanId: order.planId,
          requestedPlanSnapshot: order.planSnapshot,
          failoverReason: reason,
          failedOverAt: now,
          status: 'PENDING',
          nextCheckAt: new Date(now.getTime() + RESEND_GRACE_MS),
          updatedAt: now,
        },
      );
      if (updated.affected !== 1) throw new MovedMeanwhile();
      const batch = this.deps.registry.get(route.providerId).batchLimits.orderQuantity;
      const firstSeq = Math.max(...parts.map((p) => p.seq)) + 1;
      await tx
        .getRepository(OrderPartEntity)
        .insert(newParts(order.id, order.quantity, batch, now, { firstSeq, prefix: FAILOVER_PART_PREFIX }));
      await this.deps.events.orderUpdated(tx, order.accountId, order.id);
      return true;
    }).catch((error) => {
      if (error instanceof MovedMeanwhile) return false;
      throw error;
    });
    if (moved)
      this.deps.logger.info({ orderId: order.id, from: order.planId, to: route.id, reason }, 'order failed over');
    return moved;
  }

  /** The account as the route prices it: its markup and price rules, whoever runs the order. */
  private async viewerOf(accountId: string): Promise<Viewer> {
    const account = await this.deps.db.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
    return { accountId, role: account.role, markupPercent: account.markupPercent };
  }
}
