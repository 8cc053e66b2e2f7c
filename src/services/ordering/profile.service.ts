import type Keyv from 'keyv';
import type { Viewer } from '../../domain/account';
import { planStatusAfterDevice, type DeviceReport } from '../../domain/device';
import { NotFoundError } from '../../domain/errors';
import { parseIccid, parseSmsMessage } from '../../domain/order-input';
import type { EntityManager } from 'typeorm';
import { ProfileEntity } from '../../db/entities';
import { storeExpiry, storeUsage, storeUsageAlert, type StoredUsage } from '../../db/repositories/profiles';
import { inTransaction } from '../../db/transaction';
import { nextProfileStatus } from '../../domain/profile-status';
import type { UpstreamUsage } from '../../providers/provider-adapter';
import type { OrderingDeps } from './order-flow';
import type { OrderQueries } from './order-queries';
import { deviceChanges, profileChanges, profileRef } from './records';

export type UsageReading = StoredUsage;

/** The profile actions a caller may ask for, named as the capability that serves each. */
export type LifecycleAction = 'SUSPEND' | 'RESUME' | 'REVOKE';

/**
 * Profile lifecycle calls and live usage. Status, activation and expiry are served from the
 * database; only usage is read upstream at query time, batched per provider and cached in keyv
 * for USAGE_CACHE_TTL_MS.
 */
export class ProfileService {
  constructor(
    private readonly deps: OrderingDeps,
    private readonly queries: OrderQueries,
    private readonly cache: Keyv,
    private readonly usageTtlMs: number,
  ) {}

  /** The viewer's profile, or NOT_FOUND exactly as for an unknown ICCID. */
  async visibleProfile(viewer: Viewer, iccid: string): Promise<ProfileEntity> {
    const profile = await this.queries.profileByIccid(viewer, parseIccid(iccid));
    if (!profile) throw new NotFoundError('Profile');
    return profile;
  }

  /** Suspend, resume or revoke: NOT_SUPPORTED before any upstream call where the provider cannot. */
  async lifecycle(viewer: Viewer, iccid: string, action: LifecycleAction): Promise<ProfileEntity> {
    const profile = await this.visibleProfile(viewer, iccid);
    const act = this.deps.registry.require(profile.providerId, action);
    await act(profileRef(profile));
    return this.refreshState(profile);
  }

  async sendSms(viewer: Viewer, iccid: string, message: string): Promise<boolean> {
    const profile = await this.visibleProfile(viewer, iccid);
    const sms = this.deps.registry.require(profile.providerId, 'SMS');
    await sms.send(profileRef(profile), parseSmsMessage(message));
    return true;
  }

  /** Re-reads state and usage from the provider now, bypassing the usage cache. */
  async refreshUsage(viewer: Viewer, iccid: string): Promise<ProfileEntity> {
    const profile = await this.visibleProfile(viewer, iccid);
    const [usage] = await this.deps.registry.get(profile.providerId).getUsage([profileRef(profile)]);
    if (usage) await this.recordUsage(profile, usage);
    return this.refreshState(await this.deps.db.getRepository(ProfileEntity).findOneByOrFail({ id: profile.id }));
  }

  /**
   * Usage of many profiles: cached readings first (one keyv round trip), then one upstream call per
   * provider batch (`batchLimits.usage`). Only readings that differ from the stored snapshot touch
   * the database, so a page of unchanged profiles costs no writes. A provider failure falls back
   * to the last stored snapshot.
   */
  async usageOf(profiles: readonly ProfileEntity[]): Promise<(UsageReading | null)[]> {
    const results = new Map<string, UsageReading | null>();
    // Every adapter reads usage (USAGE is part of the port); only a provider we no longer federate is skipped.
    const measurable = profiles.filter((p) => this.deps.registry.find(p.providerId) !== undefined);
    const cached = measurable.length ? await this.cache.getMany<CachedUsage>(measurable.map(usageKey)) : [];
    const missing = new Map<string, ProfileEntity[]>();
    measurable.forEach((p, i) => {
      const hit = cached[i];
      if (hit) results.set(p.id, { ...hit, updatedAt: new Date(hit.updatedAt) });
      else missing.set(p.providerId, [...(missing.get(p.providerId) ?? []), p]);
    });
    const fresh: { profile: ProfileEntity; usage: UpstreamUsage }[] = [];
    await Promise.all(
      [...missing].flatMap(([providerId, list]) => {
        const adapter = this.deps.registry.get(providerId);
        return chunks(list, Math.max(1, adapter.batchLimits.usage)).map(async (batch) => {
          try {
            const readings = await adapter.getUsage(batch.map(profileRef));
            batch.forEach((profile, i) => {
              const usage = readings[i];
              results.set(profile.id, usage ? readingOf(usage) : null);
              if (usage) fresh.push({ profile, usage });
            });
          } catch (error) {
            this.deps.logger.warn(
              { providerId, err: (error as Error).message },
              'usage read failed; serving stored snapshots',
            );
            for (const p of batch) results.set(p.id, snapshotOf(p));
          }
        });
      }),
    );
    if (fresh.length) {
      if (this.usageTtlMs > 0)
        await this.cache.setMany(
          fresh.map(({ profile, usage }) => ({
            key: usageKey(profile),
            value: cachedOf(readingOf(usage)),
            ttl: this.usageTtlMs,
          })),
        );
      await Promise.all(
        fresh
          .filter(({ profile, usage }) => differs(profile, readingOf(usage)))
          .map(({ profile, usage }) => this.store(profile, readingOf(usage))),
      );
    }
    return profiles.map((p) => results.get(p.id) ?? null);
  }

  /**
   * Caches a reading and, when it is new, stores it and announces it (webhooks, polls, reads).
   * One conditional UPDATE decides "new": a different value, and not older than the stored one.
   * So two instances (or a webhook and a poll) recording the same change announce it once, and a
   * late reading never replaces a newer one.
   */
  async recordUsage(profile: ProfileEntity, usage: UpstreamUsage): Promise<UsageReading> {
    const reading = readingOf(usage);
    await this.remember(profile, reading);
    return reading;
  }

  /** Caches and stores a reading; true when it was new and so announced. */
  private async remember(profile: ProfileEntity, reading: UsageReading): Promise<boolean> {
    await this.cacheReading(profile, reading);
    return this.store(profile, reading);
  }

  private async cacheReading(profile: ProfileEntity, reading: UsageReading): Promise<void> {
    if (this.usageTtlMs > 0) await this.cache.set(usageKey(profile), cachedOf(reading), this.usageTtlMs);
  }

  /**
   * A usage alert from the provider (its threshold, as the fraction of the allowance left): kept on
   * the profile with the reading that came with it (or was read for it), and announced once. One
   * transaction, so subscribers who re-read the profile on the announcement find the alert.
   */
  async recordAlert(profile: ProfileEntity, remainingFraction: number, usage: UpstreamUsage | null): Promise<void> {
    const percent = Math.round(Math.min(1, Math.max(0, remainingFraction)) * 100);
    const reading = usage ? readingOf(usage) : null;
    if (reading) await this.cacheReading(profile, reading);
    await inTransaction(this.deps.db, async (tx) => {
      const alerted = await storeUsageAlert(tx, profile.id, percent);
      const announced = reading ? await this.storeIn(tx, profile, reading) : false;
      if (!alerted || announced) return;
      const snapshot = snapshotOf(await tx.getRepository(ProfileEntity).findOneByOrFail({ id: profile.id }));
      if (snapshot) await this.deps.events.usageUpdated(tx, profile.accountId, profile.iccid, snapshot);
    });
  }

  /**
   * The device side as the provider reported it at `at`: never the plan status, and never older
   * than the stored device state. Announced on the profile's order when it changed.
   */
  async applyDevice(profile: ProfileEntity, device: DeviceReport, at: Date): Promise<void> {
    await inTransaction(this.deps.db, async (tx) => {
      const repo = tx.getRepository(ProfileEntity);
      const current = await repo.findOneByOrFail({ id: profile.id });
      if (current.deviceAt && current.deviceAt > at) return;
      const next = { ...deviceChanges(device, current), status: planStatusAfterDevice(current.status, device.state) };
      // statusAt stays: a plan event the provider dated earlier must still apply.
      await repo.update({ id: profile.id }, { ...next, deviceAt: at, updatedAt: new Date() });
      const changed =
        next.deviceState !== current.deviceState ||
        next.deviceRawState !== current.deviceRawState ||
        next.eid !== current.eid ||
        next.status !== current.status;
      if (changed) await this.deps.events.orderUpdated(tx, profile.accountId, profile.orderId);
    });
  }

  /** A new expiry the provider announced (a validity warning or an extension). */
  async applyExpiry(profile: ProfileEntity, expiresAt: Date): Promise<void> {
    if (Number.isNaN(expiresAt.getTime())) return;
    await inTransaction(this.deps.db, async (tx) => {
      if (await storeExpiry(tx, profile.id, expiresAt))
        await this.deps.events.orderUpdated(tx, profile.accountId, profile.orderId);
    });
  }

  /** Stores a new reading; true when it was new and so announced. */
  private store(profile: ProfileEntity, reading: UsageReading): Promise<boolean> {
    return inTransaction(this.deps.db, (tx) => this.storeIn(tx, profile, reading));
  }

  private async storeIn(tx: EntityManager, profile: ProfileEntity, reading: UsageReading): Promise<boolean> {
    if (!(await storeUsage(tx, profile.id, reading))) return false;
    await this.deps.events.usageUpdated(tx, profile.accountId, profile.iccid, reading);
    return true;
  }

  /** Re-reads the profile's state upstream (now, so it is the newest word) and stores what changed. */
  async refreshState(profile: ProfileEntity): Promise<ProfileEntity> {
    const [upstream] = await this.deps.registry.get(profile.providerId).getProfiles([profileRef(profile)]);
    return upstream
      ? this.applyState(profile, profileChanges(profile, upstream, this.deps.logger), new Date())
      : profile;
  }

  /**
   * Stores a state the provider reported as of `at`, unless the stored one is newer: a late or
   * repeated event never moves a profile backwards. Announces a status change on its order.
   */
  async applyState(profile: ProfileEntity, changes: Partial<ProfileEntity>, at: Date): Promise<ProfileEntity> {
    const after = await inTransaction(this.deps.db, async (tx) => {
      const current = await tx.getRepository(ProfileEntity).findOneByOrFail({ id: profile.id });
      if (current.statusAt && current.statusAt > at) return null;
      const next = { ...changes, status: nextProfileStatus(current.status, changes.status ?? null), statusAt: at };
      await tx.getRepository(ProfileEntity).update({ id: profile.id }, next);
      if (next.status !== current.status) await this.deps.events.orderUpdated(tx, profile.accountId, profile.orderId);
      return { ...current, ...next } as ProfileEntity;
    });
    return after ?? profile;
  }
}

interface CachedUsage {
  readonly usedBytes: number;
  readonly totalBytes: number | null;
  readonly updatedAt: string;
  readonly voiceMinutesRemaining?: number | null;
  readonly smsRemaining?: number | null;
}

function readingOf(usage: UpstreamUsage): UsageReading {
  return {
    usedBytes: usage.usedBytes,
    totalBytes: usage.totalBytes,
    updatedAt: new Date(usage.updatedAt),
    voiceMinutesRemaining: usage.voiceMinutesRemaining,
    smsRemaining: usage.smsRemaining,
  };
}

function differs(profile: ProfileEntity, reading: UsageReading): boolean {
  return (
    profile.usedBytes !== reading.usedBytes ||
    profile.totalBytes !== reading.totalBytes ||
    (reading.voiceMinutesRemaining !== undefined && profile.voiceMinutesRemaining !== reading.voiceMinutesRemaining) ||
    (reading.smsRemaining !== undefined && profile.smsRemaining !== reading.smsRemaining)
  );
}

function cachedOf(reading: UsageReading): CachedUsage {
  return { ...reading, updatedAt: reading.updatedAt.toISOString() };
}

function usageKey(profile: ProfileEntity): string {
  return `usage:${profile.providerId}:${profile.providerProfileId}`;
}

function snapshotOf(profile: ProfileEntity): UsageReading | null {
  if (profile.usedBytes === null || !profile.usageUpdatedAt) return null;
  return {
    usedBytes: profile.usedBytes,
    totalBytes: profile.totalBytes,
    updatedAt: profile.usageUpdatedAt,
    voiceMinutesRemaining: profile.voiceMinutesRemaining,
    smsRemaining: profile.smsRemaining,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
