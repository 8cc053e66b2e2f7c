import { In, IsNull, LessThan, Not, Or, type EntityManager } from 'typeorm';
import { ProfileConflictError } from '../../domain/errors';
import { OrderEntity, ProfileEntity, TopUpEntity } from '../../db/entities';

/*
 * A cancel and a top-up of the same profile exclude each other through ONE row: the order's
 * `cancel_lease_until`. A cancel takes the lease (a conditional UPDATE) and renews it before each
 * upstream call only while it still holds that exact value; a top-up's money transaction passes
 * only while no live lease exists, and clears an expired one in the same UPDATE. On MySQL both
 * UPDATEs lock the order row until commit, on SQLite transactions run one at a time, so whatever
 * the interleaving one of them sees the other:
 * - the top-up committed first: the cancel, under its lease, finds the top-up and refuses;
 * - the cancel took the lease first: the top-up is refused before money moves;
 * - a cancel that outlived its lease finds it changed (cleared by a top-up, or taken by another
 *   cancel) and stops before its next upstream call.
 */

/** Top-ups that still hold or may still take money: the outcome of a PENDING one is unknown. */
const LIVE_TOP_UP = ['PENDING', 'COMPLETED'] as const;

/**
 * Inside a top-up's money transaction: refuses (rolling the debit back) while a cancel of the
 * profile's order holds its lease, or once the profile or its order is cancelled.
 */
export async function guardTopUpAgainstCancel(
  tx: EntityManager,
  profile: Pick<ProfileEntity, 'id' | 'orderId' | 'iccid'>,
  now: Date,
): Promise<void> {
  const passed = await tx
    .getRepository(OrderEntity)
    .update(
      { id: profile.orderId, status: Not('CANCELLED'), cancelLeaseUntil: Or(IsNull(), LessThan(now)) },
      { cancelLeaseUntil: null },
    );
  if (passed.affected !== 1) {
    const order = await tx.getRepository(OrderEntity).findOneByOrFail({ id: profile.orderId });
    if (order.status === 'CANCELLED') throw cancelledProfile(profile.iccid);
    throw new ProfileConflictError(
      'CANCEL_IN_PROGRESS',
      `Profile ${profile.iccid} is being cancelled; ask again once the cancellation has ended.`,
      'iccid',
    );
  }
  const current = await tx.getRepository(ProfileEntity).findOneByOrFail({ id: profile.id });
  if (current.status === 'CANCELLED') throw cancelledProfile(profile.iccid);
}

export function cancelledProfile(iccid: string): ProfileConflictError {
  return new ProfileConflictError(
    'PROFILE_CANCELLED',
    `Profile ${iccid} is cancelled: it cannot be topped up.`,
    'iccid',
  );
}

/**
 * Before a cancel sends anything upstream: no provider with a cancel documents that it refunds
 * the profile's top-ups (eSIM Access: "cancel + refund an unused profile", at its order price),
 * so a profile that carries a top-up, or one whose outcome is still unknown, is not cancelled:
 * the money would be kept for a plan that no longer exists.
 */
export async function refuseCancelOfToppedUp(
  db: EntityManager,
  profiles: readonly Pick<ProfileEntity, 'id' | 'iccid'>[],
): Promise<void> {
  if (!profiles.length) return;
  const live = await db.getRepository(TopUpEntity).find({
    where: { profileId: In(profiles.map((p) => p.id)), status: In([...LIVE_TOP_UP]) },
    order: { createdAt: 'ASC' },
  });
  const pending = live.find((t) => t.status === 'PENDING');
  const iccidOf = (profileId: string) => profiles.find((p) => p.id === profileId)?.iccid ?? profileId;
  if (pending)
    throw new ProfileConflictError(
      'TOP_UP_IN_PROGRESS',
      `Profile ${iccidOf(pending.profileId)} has a top-up whose outcome is not known yet; ask again once it is final.`,
      'id',
    );
  if (live.length)
    throw new ProfileConflictError(
      'PROFILE_TOPPED_UP',
      `Profile ${iccidOf(live[0].profileId)} was topped up, and its provider does not refund top-ups on a cancel: it cannot be cancelled.`,
      'id',
    );
}
