import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { ProviderRejectedError, notProcessed } from '../../domain/errors';
import { isFailureCode, orderFailureText, refusalOf, upstreamFailure, type Failure } from '../../domain/failure';
import { multiplyDecimal } from '../../domain/money';
import { OrderEntity, OrderPartEntity, ProfileEntity } from '../../db/entities';
import { OrderFallback, failoverReasonOf } from '../../domain/order-fallback';
import type { OrderStatus } from '../../domain/order-status';
import { movePart, OPEN_PART, partsOf } from '../../db/repositories/order-parts';
import { afterCommit, inTransaction, isUniqueViolation } from '../../db/transaction';
import type { ProviderRegistry } from '../../providers/registry';
import type { ProviderAdapter, UpstreamOrder, UpstreamOrderRequest } from '../../providers/provider-adapter';
import type { Events } from '../events';
import type { Ledger } from '../wallets/ledger';
import { crashPoint } from './crash-points';
import type { OrderFailover } from './order-failover';
import { newProfileRow, planOfSnapshot } from './records';

/** Read after `step` mutated the part in place (a call, so TypeScript does not keep the loop's narrowing). */
const wasRefused = (part: OrderPartEntity): boolean => part.status === 'FAILED';

export interface OrderingDeps {
  readonly db: DataSource;
  readonly registry: ProviderRegistry;
  readonly events: Events;
  readonly ledger: Ledger;
  readonly logger: Logger;
}

const FINAL: ReadonlySet<OrderStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const MAX_BACKOFF_MS = 60_000;

/**
 * The persisted state machine of an order after its money was reserved:
 *
 *   part NEW ──mark──▶ SUBMITTED ──provider answers──▶ PROCESSING ──allocated──▶ COMPLETED
 *                          │                               └──────refused──────▶ FAILED (+REFUND)
 *
 * Each arrow is written before the next upstream call, so a crash anywhere leaves a state the
 * reconciler resumes from. A SUBMITTED part (outcome unknown) is first looked up by our reference;
 * only if the provider has no such order is it sent again, under the same reference, which the
 * adapter makes idempotent (the provider's own key, or a lookup before ordering). No path orders
 * twice. Running `advance` twice at once is safe: every write is conditional on the state it read.
 */
/** When a part refused unprocessed (no Retry-After) is sent again. */
const RESEND_UNPROCESSED_AFTER_MS = 1000;

export class OrderFlow {
  constructor(
    private readonly deps: OrderingDeps,
    /** Routes orders placed with `fallback: EQUIVALENT`; without it they settle where they are. */
    private readonly failover?: OrderFailover,
  ) {}

  /**
   * Moves every unfinished part one step, then settles the order. Never throws for upstream trouble.
   * `signal` (the reconciler's deadline) abandons a hung upstream call: an unknown outcome, looked up again later.
   */
  async advance(orderId: string, signal?: AbortSignal): Promise<OrderEntity> {
    const { db, registry } = this.deps;
    const order = await db.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
    if (FINAL.has(order.status)) return order;
    const adapter = registry.get(order.providerId);
    const parts = await partsOf(db.manager, orderId);
    const failover = order.fallback === OrderFallback.EQUIVALENT && !order.failedOverAt ? this.failover : undefined;
    for (const part of parts) {
      if (part.status === 'COMPLETED' || part.status === 'FAILED') continue;
      await this.step(order, part, adapter, signal);
      // Refused while nothing else is upstream: send no more here, so the whole order can go elsewhere.
      if (failover && wasRefused(part) && failoverReasonOf(parts, false)) break;
    }
    if (failover) {
      const reason = failoverReasonOf(parts, adapter.health().circuitOpen);
      if (reason && (await failover.reroute(order, reason))) return this.advance(orderId, signal);
    }
    return this.settle(orderId);
  }

  private async step(
    order: OrderEntity,
    part: OrderPartEntity,
    adapter: ProviderAdapter,
    signal?: AbortSignal,
  ): Promise<void> {
    const request: UpstreamOrderRequest = {
      reference: part.id,
      planCode: planOfSnapshot(order.planSnapshot).code,
      quantity: part.quantity,
      expectedUnitPrice: planOfSnapshot(order.planSnapshot).wholesalePrice,
      customer:
        order.customerEmail || order.customerName
          ? { email: order.customerEmail, name: order.customerName }
          : undefined,
    };
    let sending = false;
    try {
      let upstream: UpstreamOrder | null = null;
      if (part.status === 'NEW') {
        if (!(await this.markSubmitted(part))) return; // another runner took this step
        crashPoint('after-submit');
        sending = true;
        upstream = await adapter.placeOrder(request, signal);
        sending = false;
        crashPoint('after-upstream');
      } else {
        upstream = await adapter.getOrder(
          { reference: part.id, providerOrderId: part.providerOrderId, placedAt: part.submittedAt ?? order.createdAt },
          signal,
        );
        // Sent again only under a key the provider documents; elsewhere a create whose outcome we
        // never learnt is looked up until found, and what stays unclear goes to a person (attention).
        if (!upstream && part.status === 'SUBMITTED' && adapter.moneyCalls.order.resend)
          upstream = await adapter.placeOrder(request, signal);
      }
      if (upstream) await this.record(order, part, upstream);
    } catch (error) {
      if (error instanceof ProviderRejectedError) {
        const failed = this.failedPart(order, part, refusalOf(error));
        if (await this.finishPart(part.id, failed)) Object.assign(part, failed);
        return;
      }
      // Refused unprocessed (rate limit, open circuit): nothing is upstream, so the part goes back
      // to NEW and is sent again on a later pass (Comium's placeOrder looks the reference up first).
      if (sending && notProcessed(error)) await this.unmarkSubmitted(order, part, error);
      this.deps.logger.warn(
        { orderId: order.id, part: part.id, err: (error as Error).message },
        'order step left for the reconciler',
      );
    }
  }

  private async markSubmitted(part: OrderPartEntity): Promise<boolean> {
    const now = new Date();
    if (
      !(await inTransaction(this.deps.db, (tx) =>
        movePart(tx, part.id, 'NEW', { status: 'SUBMITTED', submittedAt: now, updatedAt: now }),
      ))
    )
      return false;
    part.status = 'SUBMITTED';
    part.submittedAt = now;
    return true;
  }

  private async unmarkSubmitted(order: OrderEntity, part: OrderPartEntity, error: unknown): Promise<void> {
    const soon = new Date(
      Date.now() + ((error as { retryAfterMs?: number }).retryAfterMs ?? RESEND_UNPROCESSED_AFTER_MS),
    );
    await inTransaction(this.deps.db, async (tx) => {
      // Not after the submit grace: the next pass sends it, once the refusal's wait is over.
      if (await movePart(tx, part.id, 'SUBMITTED', { status: 'NEW', submittedAt: null }))
        await tx
          .getRepository(OrderEntity)
          .update({ id: order.id, status: In(['PENDING', 'PROCESSING']) }, { nextCheckAt: soon });
    });
    part.status = 'NEW';
  }

  /** Writes what the provider said about a part; profiles once allocated. */
  private async record(order: OrderEntity, part: OrderPartEntity, upstream: UpstreamOrder): Promise<void> {
    if (upstream.status === 'FAILED') {
      await this.finishPart(part.id, {
        ...this.failedPart(order, part, upstreamFailure(upstream.failureReason)),
        providerOrderId: upstream.providerOrderId,
      });
      return;
    }
    const allocated = upstream.status === 'COMPLETED' && upstream.profiles.length >= part.quantity;
    try {
      await inTransaction(this.deps.db, async (tx) => {
        // Conditional on the part still being open: an operator's REFUND (or another runner) that
        // committed since we read it wins, and no profile is delivered on a refunded part.
        const moved = await movePart(tx, part.id, OPEN_PART, {
          status: allocated ? 'COMPLETED' : 'PROCESSING',
          providerOrderId: upstream.providerOrderId,
        });
        if (moved && allocated) await this.insertProfiles(tx, order, upstream);
      });
    } catch (error) {
      // Another runner recorded the same profiles first; its write stands.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  private async insertProfiles(tx: EntityManager, order: OrderEntity, upstream: UpstreamOrder): Promise<void> {
    const repo = tx.getRepository(ProfileEntity);
    const handles = upstream.profiles.map((p) => p.providerProfileId);
    const existing = new Set(
      (
        await repo.find({
          select: { providerProfileId: true },
          where: { providerId: order.providerId, providerProfileId: In(handles) },
        })
      ).map((p) => p.providerProfileId),
    );
    const rows = upstream.profiles
      .filter((p) => !existing.has(p.providerProfileId))
      .map((p) => newProfileRow(order, p, this.deps.logger));
    if (rows.length) await repo.insert(rows);
  }

  /** The provider's words stay on the part row and in the log; callers see a neutral text (settle). */
  private failedPart(order: OrderEntity, part: OrderPartEntity, failure: Failure): Partial<OrderPartEntity> {
    this.deps.logger.warn(
      {
        orderId: order.id,
        part: part.id,
        providerId: order.providerId,
        failureCode: failure.code,
        providerCode: failure.providerCode,
        providerMessage: failure.providerMessage,
      },
      'provider failed an order part',
    );
    return {
      status: 'FAILED',
      failureCode: failure.code,
      providerFailureCode: failure.providerCode,
      failureReason: failure.providerMessage,
    };
  }

  /** True when this call moved the part (it was still open). */
  private finishPart(id: string, values: Partial<OrderPartEntity>): Promise<boolean> {
    return inTransaction(this.deps.db, (tx) => movePart(tx, id, OPEN_PART, values));
  }

  /**
   * Derives the order's status from its parts and refunds every failed part once (the ledger's
   * dedupe key `refund:<part id>` makes a second refund impossible). Its events commit with it.
   */
  async settle(orderId: string): Promise<OrderEntity> {
    return inTransaction(this.deps.db, async (tx) => {
      const current = await tx.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
      if (FINAL.has(current.status)) return current;
      const parts = await partsOf(tx, orderId);
      const failed = parts.filter((p) => p.status === 'FAILED');
      const status = statusOf(parts.map((p) => p.status));
      // Queued first, so a kill there comes after the commit and before any event of it is published.
      if (status === 'COMPLETED' && status !== current.status) afterCommit(tx, () => crashPoint('after-completed'));
      for (const part of failed) {
        await this.deps.ledger.refundOnce(tx, {
          accountId: current.accountId,
          amount: multiplyDecimal(current.unitPrice, part.quantity),
          dedupeKey: `refund:${part.id}`,
          orderId,
          description: `Refund: ${part.quantity} profile(s) not delivered`,
        });
      }
      const attempts = current.checkAttempts + 1;
      const next: Partial<OrderEntity> = {
        status,
        ...failureOf(failed, parts),
        nextCheckAt: FINAL.has(status)
          ? null
          : new Date(Date.now() + Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempts, 8))),
        checkAttempts: attempts,
        updatedAt: new Date(),
      };
      // Conditional on the status we read: a settle that raced an operator's REFUND never writes
      // PROCESSING back over FAILED (and rolls back any refund it wrote above).
      const written = await tx.getRepository(OrderEntity).update({ id: orderId, status: current.status }, next);
      if (written.affected !== 1) throw new SettledMeanwhile();
      if (status !== current.status) await this.deps.events.orderUpdated(tx, current.accountId, orderId);
      return { ...current, ...next } as OrderEntity;
    }).catch(async (error) => {
      if (!(error instanceof SettledMeanwhile)) throw error;
      return this.deps.db.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
    });
  }
}

/** Another writer settled the order after this transaction read it: its state stands. */
class SettledMeanwhile extends Error {}

/** All failed → FAILED; all final → COMPLETED (partial delivery is refunded per part); accepted anywhere → PROCESSING. */
export function statusOf(parts: readonly OrderPartEntity['status'][]): OrderStatus {
  if (parts.every((s) => s === 'FAILED')) return 'FAILED';
  if (parts.every((s) => s === 'COMPLETED' || s === 'FAILED')) return 'COMPLETED';
  if (parts.some((s) => s === 'PROCESSING' || s === 'COMPLETED')) return 'PROCESSING';
  return 'PENDING';
}

/** Neutral text and stable code for every caller; the first failed part's provider code and words for admins. */
function failureOf(failed: readonly OrderPartEntity[], parts: readonly OrderPartEntity[]): Partial<OrderEntity> {
  if (!failed.length)
    return { failureReason: null, failureCode: null, providerFailureCode: null, providerFailureMessage: null };
  const [first] = failed;
  const code = isFailureCode(first.failureCode) ? first.failureCode : 'PROVIDER_FAILED';
  const quantity = (list: readonly OrderPartEntity[]) => list.reduce((sum, p) => sum + p.quantity, 0);
  return {
    failureReason: orderFailureText(code, quantity(failed), quantity(parts)),
    failureCode: code,
    providerFailureCode: first.providerFailureCode ?? null,
    providerFailureMessage: first.failureReason,
  };
}
