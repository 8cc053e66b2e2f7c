import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DeviceReport } from '../../domain/device';
import type { CatalogPlan } from '../../domain/plan';
import { nextProfileStatus, type ProfileStatus } from '../../domain/profile-status';
import type { OrderEntity, ProfileEntity } from '../../db/entities';
import type { ProfileRef, UpstreamProfile } from '../../providers/provider-adapter';

// Pure conversions between upstream DTOs and stored rows, shared by the ordering services.

export function snapshotOf(plan: CatalogPlan): string {
  return JSON.stringify(plan);
}

export function planOfSnapshot(snapshot: string): CatalogPlan {
  return JSON.parse(snapshot) as CatalogPlan;
}

export function profileRef(profile: Pick<ProfileEntity, 'iccid' | 'providerProfileId'>): ProfileRef {
  return { iccid: profile.iccid, providerProfileId: profile.providerProfileId };
}

/**
 * The documented rule for a status word the adapter's table does not know: it is logged, and it
 * never changes a stored status; a profile first seen with one is stored as NOT_INSTALLED (it was
 * just allocated) until a known word arrives.
 */
function statusOf(upstream: UpstreamProfile, current: ProfileStatus | null, logger: Logger): ProfileStatus {
  if (upstream.status === null)
    logger.warn(
      { iccid: upstream.iccid, rawStatus: upstream.rawStatus },
      'unknown upstream profile status word; status kept',
    );
  return current === null ? (upstream.status ?? 'NOT_INSTALLED') : nextProfileStatus(current, upstream.status);
}

export function newProfileRow(order: OrderEntity, upstream: UpstreamProfile, logger: Logger): ProfileEntity {
  const now = new Date();
  return {
    id: randomUUID(),
    orderId: order.id,
    accountId: order.accountId,
    providerId: order.providerId,
    iccid: upstream.iccid,
    providerProfileId: upstream.providerProfileId,
    status: statusOf(upstream, null, logger),
    rawStatus: upstream.rawStatus.slice(0, 64),
    smdpAddress: upstream.smdpAddress,
    matchingId: upstream.matchingId,
    qrCodeUrl: upstream.qrCodeUrl,
    expiresAt: upstream.expiresAt ? new Date(upstream.expiresAt) : null,
    // A new profile has used nothing of its plan: the first usage read then finds nothing to store.
    usedBytes: 0,
    totalBytes: planOfSnapshot(order.planSnapshot).dataBytes,
    usageUpdatedAt: null,
    deviceState: upstream.device?.state ?? null,
    deviceRawState: upstream.device?.rawState.slice(0, 64) ?? null,
    eid: upstream.device?.eid ?? null,
    deviceAt: upstream.device ? now : null,
    usageAlertRemainingPercent: null,
    voiceMinutesRemaining: null,
    smsRemaining: null,
    statusAt: null,
    nextPollAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The columns a fresh upstream read changes on a stored profile. */
export function profileChanges(
  stored: ProfileEntity,
  upstream: UpstreamProfile,
  logger: Logger,
): Partial<ProfileEntity> {
  return {
    status: statusOf(upstream, stored.status, logger),
    rawStatus: upstream.rawStatus.slice(0, 64),
    qrCodeUrl: upstream.qrCodeUrl ?? stored.qrCodeUrl,
    smdpAddress: upstream.smdpAddress ?? stored.smdpAddress,
    matchingId: upstream.matchingId ?? stored.matchingId,
    ...(upstream.device ? { ...deviceChanges(upstream.device, stored), deviceAt: new Date() } : {}),
    expiresAt: upstream.expiresAt ? new Date(upstream.expiresAt) : stored.expiresAt,
    updatedAt: new Date(),
  };
}

/** A device report as stored columns: an unknown word keeps the stored state and records the word. */
export function deviceChanges(
  device: DeviceReport,
  stored: Pick<ProfileEntity, 'deviceState' | 'eid'>,
): Partial<ProfileEntity> {
  return {
    deviceState: device.state ?? stored.deviceState,
    deviceRawState: device.rawState.slice(0, 64),
    eid: device.eid ?? stored.eid,
  };
}
