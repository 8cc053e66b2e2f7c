import { randomUUID } from 'node:crypto';
import type Keyv from 'keyv';
import { IsNull } from 'typeorm';
import { requireAdmin, type Viewer } from '../../domain/account';
import {
  BadUserInputError,
  NotFoundError,
  PlanUnavailableError,
  ProviderRejectedError,
  TopUpNotSupportedError,
} from '../../domain/errors';
import { refusalOf, topUpFailureText, unansweredFailure, upstreamFailure, type Failure } from '../../domain/failure';
import type { CatalogPlan } from '../../domain/plan';
import { applyMarkup } from '../../domain/money';
import type { ResolveTopUpCommand } from '../../domain/order-status';
import { parseTopUp, type RawTopUp } from '../../domain/order-input';
import { OrderEntity, ProfileEntity, TopUpEntity } from '../../db/entities';
import { inTransaction } from '../../db/transaction';
import { WALLET_CURRENCY } from '../catalog/catalog.service';
import { pricePlan, type PricedPlan } from '../catalog/catalog-index';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import { cancelledProfile, guardTopUpAgainstCancel } from './cancel-guard';
import type { OrderingDeps } from './order-flow';
import type { ProfileService } from './profile.service';
import { planOfSnapshot, profileRef, snapshotOf } from './records';

const SUBMIT_GRACE_MS = 30_000;

/**
 * Top-ups: options priced for the caller, and `topUpProfile`, exactly once like `placeOrder`:
 * key claimed, price re-read from the provider, wallet debited with the PENDING top-up row in
 * one transaction, then the provider called under our top-up id (its idempotency key). A refusal
 * refunds; an unknown outcome stays PENDING for the reconciler, which asks again under the same id.
 */
export class TopUpService {
  constructor(
    private readonly deps: OrderingDeps,
    private readonly profiles: ProfileService,
    private readonly idempotency: IdempotencyService,
    private readonly usageCache: Keyv,
    /** How long RETRY_LOOKUP waits for the provider (the reconciler's step deadline). */
    private readonly lookupDeadlineMs: number,
  ) {}

  /** Compatible top-ups priced for the viewer; empty where the provider or the plan has none. */
  async options(viewer: Viewer, iccid: string): Promise<PricedPlan[]> {
    const profile = await this.profiles.visibleProfile(viewer, iccid);
    const topUps = this.deps.registry.find(profile.providerId, 'TOP_UP');
    const basePlan = await this.basePlan(profile);
    if (!topUps || !basePlan.topUpSupported) return [];
    return (await topUps.list({ ...profileRef(profile), basePlan }))
      .filter((p) => p.wholesalePrice.currency === WALLET_CURRENCY)
      .map((p) => pricePlan(p, viewer.markupPercent));
  }

  async topUp(viewer: Viewer, input: RawTopUp): Promise<TopUpEntity> {
    const command = parseTopUp(input);
    const profile = await this.profiles.visibleProfile(viewer, command.iccid);
    const topUps = this.deps.registry.find(profile.providerId, 'TOP_UP');
    if (!topUps)
      throw new TopUpNotSupportedError(`${this.deps.registry.get(profile.providerId).name} does not sell top-ups.`);
    if (command.providerId !== profile.providerId)
      throw new TopUpNotSupportedError(`Plan ${command.planId} is not a top-up of this profile's provider.`);
    const basePlan = await this.basePlan(profile);
    if (!basePlan.topUpSupported) throw new TopUpNotSupportedError('The plan of this profile cannot be topped up.');
    const scope = {
      accountId: viewer.accountId,
      operation: 'topUpProfile' as const,
      key: input.idempotencyKey,
      input: { iccid: profile.iccid, planId: command.planId },
    };
    const bought = await this.idempotency.once(scope, async (bind) => {
      // A replayed key answers above even then; a new one is refused before any upstream call.
      if (profile.status === 'CANCELLED') throw cancelledProfile(profile.iccid);
      const option = (await topUps.list({ ...profileRef(profile), basePlan })).find((p) => p.code === command.planCode);
      if (!option || option.wholesalePrice.currency !== WALLET_CURRENCY)
        throw new PlanUnavailableError(command.planId, 'is not a top-up this profile can take now');
      const total = applyMarkup(option.wholesalePrice, viewer.markupPercent).amount;
      return inTransaction(this.deps.db, async (tx) => {
        const now = new Date();
        // First, so a cancel of this profile's order and this debit exclude each other (cancel-guard.ts).
        await guardTopUpAgainstCancel(tx, profile, now);
        const row: TopUpEntity = {
          id: randomUUID(),
          accountId: profile.accountId,
          profileId: profile.id,
          planId: option.id,
          planSnapshot: snapshotOf(option),
          total,
          currency: WALLET_CURRENCY,
          status: 'PENDING',
          providerTopUpId: null,
          submittedAt: null,
          failureReason: null,
          nextCheckAt: new Date(now.getTime() + SUBMIT_GRACE_MS),
          createdAt: now,
          updatedAt: now,
        };
        await tx.getRepository(TopUpEntity).insert(row);
        await this.deps.ledger.charge(
          tx,
          'TOP_UP',
          {
            accountId: profile.accountId,
            amount: total,
            dedupeKey: `top-up:${row.id}`,
            topUpId: row.id,
            orderId: profile.orderId,
            description: `Top-up ${option.name} for ${profile.iccid}`,
          },
          now,
        );
        await bind(tx, row.id);
        return row.id;
      });
    });
    return bought.fresh
      ? this.advance(bought.id)
      : this.deps.db.getRepository(TopUpEntity).findOneByOrFail({ id: bought.id });
  }

  /**
   * Sends (or re-sends, under the same id) a PENDING top-up and records the outcome. `signal` (the
   * reconciler's deadline) abandons a hung call: the top-up stays PENDING, its money held.
   */
  async advance(topUpId: string, signal?: AbortSignal): Promise<TopUpEntity> {
    const repo = this.deps.db.getRepository(TopUpEntity);
    const topUp = await repo.findOneByOrFail({ id: topUpId });
    if (topUp.status !== 'PENDING') return topUp;
    const profile = await this.deps.db.getRepository(ProfileEntity).findOneByOrFail({ id: topUp.profileId });
    // Only the runner that marks the first send sends it; later passes buy again only under a key
    // the provider documents (moneyCalls.topUp), else they look the top-up up by our reference.
    const now = new Date();
    const first =
      !topUp.submittedAt &&
      (
        await inTransaction(this.deps.db, (tx) =>
          tx
            .getRepository(TopUpEntity)
            .update({ id: topUp.id, submittedAt: IsNull() }, { submittedAt: now, updatedAt: now }),
        )
      ).affected === 1;
    try {
      const plan = planOfSnapshot(topUp.planSnapshot);
      const request = {
        reference: topUp.id,
        profile: profileRef(profile),
        planCode: plan.code,
        expectedPrice: plan.wholesalePrice,
      };
      const topUps = this.deps.registry.require(profile.providerId, 'TOP_UP');
      const resend = first || this.deps.registry.get(profile.providerId).moneyCalls.topUp?.resend === true;
      const result = resend ? await topUps.buy(request, signal) : ((await topUps.find?.(request, signal)) ?? null);
      if (!result) return this.later(topUp, {}); // not found (yet): looked up again, and a person is told past ORDER_ATTENTION_AFTER_MS
      if (result.status === 'FAILED') return this.fail(topUp, upstreamFailure(result.failureReason));
      if (result.status === 'PROCESSING') return this.later(topUp, { providerTopUpId: result.providerTopUpId });
      await inTransaction(this.deps.db, async (tx) => {
        const completed = await tx
          .getRepository(TopUpEntity)
          .update(
            { id: topUp.id, status: 'PENDING' },
            { status: 'COMPLETED', providerTopUpId: result.providerTopUpId, nextCheckAt: null, updatedAt: new Date() },
          );
        if (completed.affected !== 1) return; // settled meanwhile (an operator's refund): its state stands
        if (result.expiresAt)
          await tx
            .getRepository(ProfileEntity)
            .update({ id: profile.id }, { expiresAt: new Date(result.expiresAt), updatedAt: new Date() });
        await this.deps.events.orderUpdated(tx, profile.accountId, profile.orderId);
      });
      await this.usageCache.delete(`usage:${profile.providerId}:${profile.providerProfileId}`);
      return repo.findOneByOrFail({ id: topUp.id });
    } catch (error) {
      if (error instanceof ProviderRejectedError) return this.fail(topUp, refusalOf(error));
      this.deps.logger.warn({ topUpId, err: (error as Error).message }, 'top-up left for the reconciler');
      return this.later(topUp, {});
    }
  }

  /**
   * Admin only, for a top-up the provider left unclear (its `attention`): REFUND fails it and
   * refunds it once (the key a provider's refusal uses, so the two never both pay); RETRY_LOOKUP
   * asks the provider now. The note is kept with the refund in the ledger.
   */
  async resolve(viewer: Viewer, input: ResolveTopUpCommand): Promise<TopUpEntity> {
    requireAdmin(viewer);
    const topUp = await this.deps.db.getRepository(TopUpEntity).findOneBy({ id: input.topUpId });
    if (!topUp) throw new NotFoundError('Top-up');
    if (topUp.status !== 'PENDING') {
      if (input.outcome === 'REFUND' && topUp.status === 'COMPLETED')
        throw new BadUserInputError('This top-up was delivered: there is nothing to refund.', 'topUpId');
      return topUp; // FAILED was refunded when it failed
    }
    if (input.outcome === 'RETRY_LOOKUP') return this.advance(topUp.id, AbortSignal.timeout(this.lookupDeadlineMs));
    const note = input.note?.trim();
    return this.fail(
      topUp,
      unansweredFailure('settled by an operator'),
      `Refunded by an operator${note ? `: ${note}` : ''}`,
    );
  }

  /** Callers see a neutral text and code; the provider's code and words go to admins and the log. */
  private async fail(
    topUp: TopUpEntity,
    failure: Failure,
    description = 'Refund: top-up refused by the provider',
  ): Promise<TopUpEntity> {
    this.deps.logger.warn(
      {
        topUpId: topUp.id,
        failureCode: failure.code,
        providerCode: failure.providerCode,
        providerMessage: failure.providerMessage,
      },
      'provider failed a top-up',
    );
    await inTransaction(this.deps.db, async (tx) => {
      const changed = await tx.getRepository(TopUpEntity).update(
        { id: topUp.id, status: 'PENDING' },
        {
          status: 'FAILED',
          failureReason: topUpFailureText(failure.code),
          failureCode: failure.code,
          providerFailureCode: failure.providerCode,
          providerFailureMessage: failure.providerMessage,
          nextCheckAt: null,
          updatedAt: new Date(),
        },
      );
      if (changed.affected === 1)
        await this.deps.ledger.refundOnce(tx, {
          accountId: topUp.accountId,
          amount: topUp.total,
          dedupeKey: `refund:top-up:${topUp.id}`,
          topUpId: topUp.id,
          description,
        });
    });
    return this.deps.db.getRepository(TopUpEntity).findOneByOrFail({ id: topUp.id });
  }

  private async later(topUp: TopUpEntity, values: Partial<TopUpEntity>): Promise<TopUpEntity> {
    const delay = Math.min(60_000, 500 * 2 ** Math.min(8, Math.floor((Date.now() - topUp.createdAt.getTime()) / 5000)));
    await inTransaction(this.deps.db, (tx) =>
      tx
        .getRepository(TopUpEntity)
        .update(
          { id: topUp.id, status: 'PENDING' },
          { ...values, nextCheckAt: new Date(Date.now() + delay), updatedAt: new Date() },
        ),
    );
    return this.deps.db.getRepository(TopUpEntity).findOneByOrFail({ id: topUp.id });
  }

  /** The plan the profile was ordered with, as it was then (the order's snapshot). */
  private async basePlan(profile: ProfileEntity): Promise<CatalogPlan> {
    const order = await this.deps.db.getRepository(OrderEntity).findOneByOrFail({ id: profile.orderId });
    return planOfSnapshot(order.planSnapshot);
  }
}
