import type { EntityManager } from 'typeorm';
import { ProfileEntity } from '../entities/profile.entity';

export interface StoredUsage {
  readonly usedBytes: number;
  readonly totalBytes: number | null;
  readonly updatedAt: Date;
  /** Undefined: the provider did not say, and the stored value stays. */
  readonly voiceMinutesRemaining?: number | null;
  readonly smsRemaining?: number | null;
}

/**
 * Stores a reading only if it differs from the stored one and is not older: one conditional
 * UPDATE decides, so two instances (or a webhook and a poll) recording the same change store it
 * once, and a late reading never replaces a newer one. True when it was stored.
 */
export async function storeUsage(m: EntityManager, id: string, reading: StoredUsage): Promise<boolean> {
  const extras: Partial<ProfileEntity> = {};
  if (reading.voiceMinutesRemaining !== undefined) extras.voiceMinutesRemaining = reading.voiceMinutesRemaining;
  if (reading.smsRemaining !== undefined) extras.smsRemaining = reading.smsRemaining;
  const changed = [
    '(used_bytes IS NULL OR used_bytes <> :used OR (total_bytes IS NULL) <> (:total IS NULL) OR total_bytes <> :total',
  ];
  if ('voiceMinutesRemaining' in extras)
    changed.push('(voice_minutes_remaining IS NULL) <> (:voice IS NULL) OR voice_minutes_remaining <> :voice');
  if ('smsRemaining' in extras) changed.push('(sms_remaining IS NULL) <> (:sms IS NULL) OR sms_remaining <> :sms');
  const result = await m
    .createQueryBuilder()
    .update(ProfileEntity)
    .set({ usedBytes: reading.usedBytes, totalBytes: reading.totalBytes, usageUpdatedAt: reading.updatedAt, ...extras })
    .where('id = :id', { id })
    .andWhere('(usage_updated_at IS NULL OR usage_updated_at <= :at)', { at: reading.updatedAt })
    .andWhere(`${changed.join(' OR ')})`, {
      used: reading.usedBytes,
      total: reading.totalBytes,
      voice: extras.voiceMinutesRemaining ?? null,
      sms: extras.smsRemaining ?? null,
    })
    .execute();
  return Boolean(result.affected);
}

/** Keeps the provider's latest usage alert (percent of the allowance left); true when it changed. */
export async function storeUsageAlert(m: EntityManager, id: string, remainingPercent: number): Promise<boolean> {
  const result = await m
    .createQueryBuilder()
    .update(ProfileEntity)
    .set({ usageAlertRemainingPercent: remainingPercent })
    .where('id = :id AND (usage_alert_remaining_percent IS NULL OR usage_alert_remaining_percent <> :percent)', {
      id,
      percent: remainingPercent,
    })
    .execute();
  return Boolean(result.affected);
}

/** Stores a new expiry; true when it changed. */
export async function storeExpiry(m: EntityManager, id: string, expiresAt: Date): Promise<boolean> {
  const result = await m
    .createQueryBuilder()
    .update(ProfileEntity)
    .set({ expiresAt, updatedAt: new Date() })
    .where('id = :id AND (expires_at IS NULL OR expires_at <> :expiresAt)', { id, expiresAt })
    .execute();
  return Boolean(result.affected);
}
