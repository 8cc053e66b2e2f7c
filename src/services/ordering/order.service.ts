import { randomUUID } from 'node:crypto';
import { IsNull, LessThan, Or, type EntityManager } from 'typeorm';
import type { Viewer } from '../../domain/account';
import { BadUserInputError, NotFoundError, ProviderUnavailableError } from '../../domain/errors';
import { multiplyDecimal } from '../../domain/money';
import { OrderFallback } from '../../domain/order-fallback';
import {
  parsePlaceOrder,
  requireCustomerFields,
  type PlaceOrderCommand,
  type RawPlaceOrder,
} from '../../domain/order-input';
import { OrderEntity, OrderPartEntity, ProfileEntity } from '../../db/entities';
import { newParts } from '../../db/repositories/order-parts';
import { inTransaction, isUniqueViolation } from '../../db/transaction';
import type { ProfileAction } from '../../providers/provider-adapter';
import { WALLET_CURRENCY } from '../catalog/catalog.service';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import { crashPoint } from './crash-points';
import type { OrderFlow, OrderingDeps } from './order-flow';
import { refuseCancelOfToppedUp } from './cancel-guard';
import type { Placement, PlacementPlanner } from './order-placement';
import { profileRef, snapshotOf } from './records';

/** How long the request that placed an order has before the reconciler may take it over. */
const SUBMIT_GRACE_MS = 30_000;
/** How long one cancelOrder may work before another may take over; concurrent calls poll meanwhile. */
const CANCEL_LEASE_MS = 60_000;
const CANCEL_POLL_MS = 50;

/** `placeOrder` and `cancelOrder`: validation, pricing, the money transaction, then the flow. */
export class OrderService {
  constructor(
    private readonly deps: OrderingDeps,
    private readonly idempotency: IdempotencyService,
    private readonly flow: OrderFlow,
    private readonly planner: PlacementPlanner,
  ) {}

  async placeOrder(viewer: Viewer, input: RawPlaceOrder): Promise<OrderEntity> {
    const request = parsePlaceOrder(input);
    const adapter = this.deps.registry.get(request.providerId);
    requireCustomerFields(request, adapter.customerFields, adapter.name);
    const scope = {
      accountId: viewer.accountId,
      operation: 'placeOrder' as const,
      key: input.idempotencyKey,
      input: {
        planId: request.planId,
        quantity: request.quantity,
        reference: request.reference,
        customer: request.customer,
        // Absent for NONE, so keys claimed before fallbacks existed keep their fingerprint.
        fallback: request.fallback === OrderFallback.NONE ? undefined : request.fallback,
      },
    };
    const placed = await this.idempotency.once(scope, async (bind) => {
      if (
        request.reference &&
        (await this.deps.db
          .getRepository(OrderEntity)
          .existsBy({ accountId: viewer.accountId, reference: request.reference }))
      )
        throw duplicateReference();
      // Re-priced by the provider (or, failing over, routed at the quoted price): order-placement.ts.
      const placement = await this.planner.place(viewer, request);
      const id = await inTransaction(this.deps.db, async (tx) => {
        const row = await this.insertOrder(tx, viewer, request, placement);
        await bind(tx, row.id);
        crashPoint('before-commit');
        return row.id;
      }).catch((error) => {
        throw isUniqueViolation(error) ? duplicateReference() : error;
      });
      crashPoint('after-commit');
      if (placement.requested)
        this.deps.logger.info(
          { orderId: id, from: placement.requested.plan.id, to: placement.plan.id, reason: placement.requested.reason },
          'order failed over',
        );
      return id;
    });
    if (!placed.fresh) return this.deps.db.getRepository(OrderEntity).findOneByOrFail({ id: placed.id });
    return this.flow.advance(placed.id);
  }

  /** The order, its parts and its one charge, in the caller's transaction. */
  private async insertOrder(
    tx: EntityManager,
    viewer: Viewer,
    request: PlaceOrderCommand,
    { plan, unitPrice, requested }: Placement,
  ): Promise<OrderEntity> {
    const now = new Date();
    const total = multiplyDecimal(unitPrice, request.quantity);
    const row: OrderEntity = {
      id: randomUUID(),
      accountId: viewer.accountId,
      providerId: plan.providerId,
      planId: plan.id,
      planSnapshot: snapshotOf(plan),
      quantity: request.quantity,
      unitPrice,
      total,
      currency: WALLET_CURRENCY,
      status: 'PENDING',
      reference: request.reference,
      customerEmail: request.customer?.email ?? null,
      customerName: request.customer?.name ?? null,
      failureReason: null,
      failureCode: null,
      providerFailureCode: null,
      providerFailureMessage: null,
      cancelLeaseUntil: null,
      nextCheckAt: new Date(now.getTime() + SUBMIT_GRACE_MS),
      checkAttempts: 0,
      fallback: request.fallback,
      requestedProviderId: requested?.plan.providerId ?? null,
      requestedPlanId: requested?.plan.id ?? null,
      requestedPlanSnapshot: requested ? snapshotOf(requested.plan) : null,
      failoverReason: requested?.reason ?? null,
      failedOverAt: requested ? now : null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.getRepository(OrderEntity).insert(row);
    const batch = this.deps.registry.get(plan.providerId).batchLimits.orderQuantity;
    await tx.getRepository(OrderPartEntity).insert(newParts(row.id, request.quantity, batch, now));
    await this.deps.ledger.charge(
      tx,
      'ORDER',
      {
        accountId: viewer.accountId,
        amount: total,
        dedupeKey: `order:${row.id}`,
        orderId: row.id,
        description: `${request.quantity} × ${(requested?.plan ?? plan).name}`,
      },
      now,
    );
    await this.deps.events.orderUpdated(tx, viewer.accountId, row.id);
    return row;
  }

  /**
   * Cancels every profile of a completed order while all are unused, refunding each as the
   * provider confirms it; the order is CANCELLED once all are. Asking again is harmless: one call
   * at a time holds the order's cancel lease (on any replica), and a concurrent call waits for it
   * and answers with the cancelled order. Refunds are deduplicated per profile besides.
   */
  async cancelOrder(viewer: Viewer, id: string): Promise<OrderEntity> {
    for (const deadline = Date.now() + CANCEL_LEASE_MS + CANCEL_POLL_MS; ;) {
      const order = await this.visibleOrder(viewer, id);
      const cancel = this.deps.registry.require(order.providerId, 'CANCEL');
      if (order.status === 'CANCELLED') return order;
      if (order.status !== 'COMPLETED')
        throw new BadUserInputError(`Only a completed order can be cancelled; this one is ${order.status}.`, 'id');
      const lease = await this.claimCancel(order.id);
      if (lease) return this.cancelLeased(order, cancel, lease);
      if (Date.now() > deadline)
        throw new ProviderUnavailableError(
          order.providerId,
          'TIMEOUT',
          'Another cancellation of this order is still waiting for the provider; ask again later.',
        );
      await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
    }
  }

  /** Takes the order's cancel lease unless another call holds a live one; null if it does. */
  private async claimCancel(orderId: string): Promise<Date | null> {
    const now = new Date();
    const until = new Date(now.getTime() + CANCEL_LEASE_MS);
    const claimed = await inTransaction(this.deps.db, (tx) =>
      tx
        .getRepository(OrderEntity)
        .update(
          { id: orderId, status: 'COMPLETED', cancelLeaseUntil: Or(IsNull(), LessThan(now)) },
          { cancelLeaseUntil: until },
        ),
    );
    return claimed.affected === 1 ? until : null;
  }

  /**
   * Renews the lease before an upstream call, only while it is still exactly ours: a changed value
   * means it expired and a top-up (which clears it) or another cancel came in meanwhile.
   */
  private async renewCancel(order: OrderEntity, held: Date): Promise<Date> {
    const until = new Date(Date.now() + CANCEL_LEASE_MS);
    const renewed = await inTransaction(this.deps.db, (tx) =>
      tx
        .getRepository(OrderEntity)
        .update({ id: order.id, status: 'COMPLETED', cancelLeaseUntil: held }, { cancelLeaseUntil: until }),
    );
    if (renewed.affected !== 1)
      throw new ProviderUnavailableError(
        order.providerId,
        'TIMEOUT',
        'This cancellation outlived its lease and was stopped; ask again.',
      );
    return until;
  }

  private async cancelLeased(order: OrderEntity, cancel: ProfileAction, lease: Date): Promise<OrderEntity> {
    let held = lease;
    try {
      // Read under the lease: an earlier attempt may have cancelled some profiles already.
      const profiles = await this.deps.db
        .getRepository(ProfileEntity)
        .find({ where: { orderId: order.id }, order: { createdAt: 'ASC' } });
      const open = profiles.filter((p) => p.status !== 'CANCELLED');
      const used = open.find((p) => p.status !== 'NOT_INSTALLED' || (p.usedBytes ?? 0) > 0);
      if (used)
        throw new BadUserInputError(
          `Profile ${used.iccid} is ${used.status.toLowerCase().replace('_', ' ')}: only unused profiles can be cancelled.`,
          'id',
        );
      // Under the lease no new top-up can start (cancel-guard.ts), so this read is final.
      await refuseCancelOfToppedUp(this.deps.db.manager, open);
      const adapter = this.deps.registry.get(order.providerId);
      for (const profile of open) {
        held = await this.renewCancel(order, held);
        // A cancel is sent again only under a documented key. Elsewhere an earlier attempt whose
        // answer we lost may have worked: the provider's word on the profile decides first.
        const resend = adapter.moneyCalls.cancel?.resend === true;
        const [upstream] = resend ? [null] : await adapter.getProfiles([profileRef(profile)]);
        if (upstream?.status !== 'CANCELLED') await cancel(profileRef(profile));
        await inTransaction(this.deps.db, async (tx) => {
          await tx
            .getRepository(ProfileEntity)
            .update({ id: profile.id }, { status: 'CANCELLED', rawStatus: 'CANCELLED', updatedAt: new Date() });
          await this.deps.ledger.refundOnce(tx, {
            accountId: order.accountId,
            amount: order.unitPrice,
            dedupeKey: `refund:cancel:${profile.id}`,
            orderId: order.id,
            description: `Cancelled ${profile.iccid}`,
          });
        }).catch((error) => {
          if (!isUniqueViolation(error)) throw error; // refunded already, by a call whose lease expired mid-way
        });
      }
      await inTransaction(this.deps.db, async (tx) => {
        const cancelled = await tx
          .getRepository(OrderEntity)
          .update(
            { id: order.id, status: 'COMPLETED' },
            { status: 'CANCELLED', cancelLeaseUntil: null, nextCheckAt: null, updatedAt: new Date() },
          );
        if (cancelled.affected === 1) await this.deps.events.orderUpdated(tx, order.accountId, order.id);
      });
    } catch (error) {
      await inTransaction(this.deps.db, (tx) =>
        tx
          .getRepository(OrderEntity)
          .update({ id: order.id, status: 'COMPLETED', cancelLeaseUntil: held }, { cancelLeaseUntil: null }),
      );
      throw error;
    }
    return this.deps.db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
  }

  /** The order if the viewer may see it; NOT_FOUND otherwise, exactly as for an unknown id. */
  async visibleOrder(viewer: Viewer, id: string): Promise<OrderEntity> {
    const order = await this.deps.db.getRepository(OrderEntity).findOneBy({ id });
    if (!order || (viewer.role !== 'ADMIN' && order.accountId !== viewer.accountId)) throw new NotFoundError('Order');
    return order;
  }
}

function duplicateReference(): BadUserInputError {
  return new BadUserInputError('reference is already used by another order of this account.', 'reference');
}
