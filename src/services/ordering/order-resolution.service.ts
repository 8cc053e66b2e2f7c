import { In, IsNull, LessThanOrEqual, Not, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { requireAdmin, type Viewer } from '../../domain/account';
import { BadUserInputError, NotFoundError } from '../../domain/errors';
import { orderFailureText } from '../../domain/failure';
import { multiplyDecimal } from '../../domain/money';
import type { OrderStatus, ResolveOrderCommand } from '../../domain/order-status';
import { OrderEntity, TopUpEntity } from '../../db/entities';
import { movePart, OPEN_PART, partsOf } from '../../db/repositories/order-parts';
import { inTransaction, isUniqueViolation } from '../../db/transaction';
import { statusOf, type OrderFlow, type OrderingDeps } from './order-flow';

export interface AttentionOptions {
  /** ORDER_ATTENTION_AFTER_MS: how long an order or top-up may stay unsettled before a person is told. */
  readonly afterMs: number;
  /** How long RETRY_LOOKUP waits for the provider (the reconciler's step deadline). */
  readonly lookupDeadlineMs: number;
}

type Change = readonly [
  typeof OrderEntity | typeof TopUpEntity,
  FindOptionsWhere<OrderEntity> | FindOptionsWhere<TopUpEntity>,
  Partial<OrderEntity> | Partial<TopUpEntity>,
];

/** Longest note an admin may give; with its prefix it fits the ledger's description (500). */
export const RESOLUTION_NOTE_MAX = 400;

const OPEN_ORDER: OrderStatus[] = ['PENDING', 'PROCESSING'];
/** A refund racing another writer of the same `refund:<part>` key runs again and then finds it written. */
const REFUND_ATTEMPTS = 3;

/**
 * Money is never held silently: an order or top-up the provider leaves unsettled for
 * ORDER_ATTENTION_AFTER_MS is flagged (`attention`) while the reconciler keeps looking it up, and
 * an admin settles a flagged order with `resolve`. The flags are kept by `sweep`, which the
 * reconciler runs: rows settled by any path (lookup, webhook, cancel, resolve) lose theirs there.
 */
export class OrderResolutionService {
  constructor(
    private readonly deps: OrderingDeps,
    private readonly flow: OrderFlow,
    readonly options: AttentionOptions,
  ) {}

  /** Admin only. REFUND fails and refunds what was not delivered, once; RETRY_LOOKUP asks the provider now. */
  async resolve(viewer: Viewer, input: ResolveOrderCommand): Promise<OrderEntity> {
    requireAdmin(viewer);
    const order = await this.deps.db.getRepository(OrderEntity).findOneBy({ id: input.orderId });
    if (!order) throw new NotFoundError('Order');
    return input.outcome === 'REFUND' ? this.refund(order, input.note?.trim() || null) : this.retryLookup(order);
  }

  /**
   * Flags orders and top-ups unsettled past the threshold, unflags settled ones, and re-arms any
   * open row the reconciler would not see. Each change is looked for with an indexed read first:
   * a pass with nothing to change (nearly every pass) writes nothing.
   */
  async sweep(now = new Date()): Promise<void> {
    const cutoff = new Date(now.getTime() - this.options.afterMs);
    const attention = { attentionReason: attentionReason(this.options.afterMs), attentionSince: now };
    const cleared = { attentionReason: null, attentionSince: null };
    const changes: Change[] = [
      [
        OrderEntity,
        { status: In(OPEN_ORDER), attentionSince: IsNull(), createdAt: LessThanOrEqual(cutoff) },
        attention,
      ],
      [OrderEntity, { status: Not(In(OPEN_ORDER)), attentionSince: Not(IsNull()) }, cleared],
      // Never stop looking: an open row without a next check would be invisible to the reconciler.
      [OrderEntity, { status: In(OPEN_ORDER), nextCheckAt: IsNull() }, { nextCheckAt: now }],
      [TopUpEntity, { status: 'PENDING', attentionSince: IsNull(), createdAt: LessThanOrEqual(cutoff) }, attention],
      [TopUpEntity, { status: Not('PENDING'), attentionSince: Not(IsNull()) }, cleared],
      [TopUpEntity, { status: 'PENDING', nextCheckAt: IsNull() }, { nextCheckAt: now }],
    ];
    const due: Change[] = [];
    for (const change of changes)
      if (await this.deps.db.getRepository(change[0]).exists({ where: change[1] as never })) due.push(change);
    if (!due.length) return;
    // The criteria are applied again by each UPDATE: a row another instance changed meanwhile is left as it is.
    await inTransaction(this.deps.db, async (tx) => {
      for (const [entity, where, values] of due) await tx.getRepository(entity).update(where as never, values as never);
    });
  }

  /** For /metrics: open orders carrying attention, across all accounts. */
  countOrdersNeedingAttention(): Promise<number> {
    return this.deps.db.getRepository(OrderEntity).countBy({ status: In(OPEN_ORDER), attentionSince: Not(IsNull()) });
  }

  countTopUpsNeedingAttention(): Promise<number> {
    return this.deps.db.getRepository(TopUpEntity).countBy({ status: 'PENDING', attentionSince: Not(IsNull()) });
  }

  private async retryLookup(order: OrderEntity): Promise<OrderEntity> {
    if (OPEN_ORDER.includes(order.status)) {
      // The same step the reconciler runs (safe beside it: every write is conditional), bounded by its deadline.
      await this.settled(await this.flow.advance(order.id, AbortSignal.timeout(this.options.lookupDeadlineMs)));
    }
    return this.deps.db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
  }

  private async refund(order: OrderEntity, note: string | null): Promise<OrderEntity> {
    if (order.status === 'FAILED') return order; // refunded when it failed: nothing moves again
    let outcome: { order: OrderEntity; changed: boolean } = { order, changed: false };
    for (let attempt = 1; OPEN_ORDER.includes(order.status); attempt++) {
      try {
        outcome = await inTransaction(this.deps.db, (tx) => this.refundIn(tx, order.id, note));
        break;
      } catch (error) {
        if (!(isUniqueViolation(error) || error instanceof PartMoved) || attempt >= REFUND_ATTEMPTS) throw error;
      }
    }
    const { status } = outcome.order;
    if ((status === 'COMPLETED' && !outcome.changed) || status === 'CANCELLED') {
      throw new BadUserInputError(
        `Order ${order.id} is ${status}: its profiles were delivered, so there is nothing to refund${status === 'COMPLETED' ? ' (cancelOrder refunds unused profiles)' : ''}.`,
        'orderId',
      );
    }
    return this.deps.db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
  }

  /**
   * One transaction. Its first statement locks the order row while it is still open, so of two
   * concurrent calls the second waits and then finds it settled. Each part not delivered fails
   * and is refunded under `refund:<part>`, the key a provider's own failure refunds under
   * (OrderFlow.settle), so the two can never both pay.
   */
  private async refundIn(
    tx: EntityManager,
    orderId: string,
    note: string | null,
  ): Promise<{ order: OrderEntity; changed: boolean }> {
    const orders = tx.getRepository(OrderEntity);
    const now = new Date();
    const locked = await orders.update({ id: orderId, status: In(OPEN_ORDER) }, { updatedAt: now });
    const current = await orders.findOneByOrFail({ id: orderId });
    if (locked.affected !== 1) return { order: current, changed: false };
    const said = `Refunded by an operator${note ? `: ${note}` : ''}`;
    const parts = await partsOf(tx, orderId);
    let failedQuantity = 0;
    for (const part of parts) {
      if (part.status === 'COMPLETED') continue;
      if (part.status !== 'FAILED') {
        const failed = await movePart(tx, part.id, OPEN_PART, {
          status: 'FAILED',
          failureCode: 'PROVIDER_UNAVAILABLE',
          providerFailureCode: null,
          failureReason: said,
          updatedAt: now,
        });
        // The provider's answer was recorded after our read: start again from what it wrote.
        if (!failed) throw new PartMoved();
        part.status = 'FAILED';
      }
      failedQuantity += part.quantity;
      await this.deps.ledger.refundOnce(
        tx,
        {
          accountId: current.accountId,
          amount: multiplyDecimal(current.unitPrice, part.quantity),
          dedupeKey: `refund:${part.id}`,
          orderId,
          description: said,
        },
        now,
      );
    }
    const next: Partial<OrderEntity> = {
      // Every part is final now: FAILED, or COMPLETED with the undelivered rest refunded.
      status: statusOf(parts.map((p) => p.status)),
      failureReason: failedQuantity ? orderFailureText('PROVIDER_UNAVAILABLE', failedQuantity, current.quantity) : null,
      failureCode: failedQuantity ? 'PROVIDER_UNAVAILABLE' : null,
      providerFailureCode: null,
      providerFailureMessage: failedQuantity ? said : null,
      nextCheckAt: null,
      attentionReason: null,
      attentionSince: null,
      updatedAt: now,
    };
    await orders.update({ id: orderId }, next);
    await this.deps.events.orderUpdated(tx, current.accountId, orderId);
    return { order: { ...current, ...next } as OrderEntity, changed: true };
  }

  /** Clears a settled order's flag at once (the reconciler calls it after a step that settled one). */
  async settled(order: Pick<OrderEntity, 'id' | 'status' | 'attentionSince'>): Promise<void> {
    if (OPEN_ORDER.includes(order.status) || !order.attentionSince) return;
    await inTransaction(this.deps.db, (tx) =>
      tx
        .getRepository(OrderEntity)
        .update({ id: order.id, status: Not(In(OPEN_ORDER)) }, { attentionReason: null, attentionSince: null }),
    );
  }
}

/** A part changed under a refund's transaction; the refund runs again on fresh reads. */
class PartMoved extends Error {}

/** The sentence an admin reads; the threshold in the unit it was configured in, roughly. */
function attentionReason(afterMs: number): string {
  const after =
    afterMs >= 60_000
      ? `${Math.round(afterMs / 60_000)} minute(s)`
      : afterMs >= 1000
        ? `${Math.round(afterMs / 1000)} second(s)`
        : `${afterMs} ms`;
  return `The provider has not settled this after ${after}; the gateway keeps looking it up, and the money stays held until it settles or an admin resolves it.`;
}
