import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { DeviceState } from '../../domain/device';
import type { ProfileStatus } from '../../domain/profile-status';
import { DATETIME, bytesColumn } from '../columns';
import { OrderEntity } from './order.entity';

/**
 * An allocated eSIM profile. Status, activation and expiry are kept here (fresh from order reads,
 * lifecycle calls, webhooks and polls); usage is read upstream and its last snapshot kept.
 */
@Entity({ name: 'profile' })
@Index('uq_profile_provider_handle', ['providerId', 'providerProfileId'], { unique: true })
@Index('idx_profile_iccid', ['iccid'])
@Index('idx_profile_account_created', ['accountId', 'createdAt', 'id'])
@Index('idx_profile_order', ['orderId'])
@Index('idx_profile_poll', ['nextPollAt'])
export class ProfileEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_profile_order' })
  order?: OrderEntity;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @Column({ name: 'provider_id', type: 'varchar', length: 32 })
  providerId: string;

  @Column({ type: 'varchar', length: 22 })
  iccid: string;

  /** The provider's own handle (eSIM Access esimTranNo), else the ICCID. */
  @Column({ name: 'provider_profile_id', type: 'varchar', length: 64 })
  providerProfileId: string;

  @Column({ type: 'varchar', length: 16 })
  status: ProfileStatus;

  /** The provider's last word for the status, kept for support and for unknown words. */
  @Column({ name: 'raw_status', type: 'varchar', length: 64 })
  rawStatus: string;

  /** Null where the provider gives none (it e-mails the customer, or gives only a QR code URL). */
  @Column({ name: 'smdp_address', type: 'varchar', length: 255, nullable: true })
  smdpAddress: string | null;

  @Column({ name: 'matching_id', type: 'varchar', length: 255, nullable: true })
  matchingId: string | null;

  @Column({ name: 'qr_code_url', type: 'varchar', length: 500, nullable: true })
  qrCodeUrl: string | null;

  @Column({ name: 'expires_at', ...DATETIME, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'used_bytes', type: 'bigint', nullable: true, transformer: bytesColumn })
  usedBytes: number | null;

  @Column({ name: 'total_bytes', type: 'bigint', nullable: true, transformer: bytesColumn })
  totalBytes: number | null;

  @Column({ name: 'usage_updated_at', ...DATETIME, nullable: true })
  usageUpdatedAt: Date | null;

  /** The device side (downloaded, installed, enabled…), apart from the plan state in `status`. */
  @Column({ name: 'device_state', type: 'varchar', length: 16, nullable: true })
  deviceState: DeviceState | null;

  @Column({ name: 'device_raw_state', type: 'varchar', length: 64, nullable: true })
  deviceRawState: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  eid: string | null;

  /** When the provider said the stored device state happened: an older device event never overrides it. */
  @Column({ name: 'device_at', ...DATETIME, nullable: true })
  deviceAt: Date | null;

  /** The last usage alert the provider sent, as the percentage of the allowance left. */
  @Column({ name: 'usage_alert_remaining_percent', type: 'integer', nullable: true })
  usageAlertRemainingPercent: number | null;

  @Column({ name: 'voice_minutes_remaining', type: 'integer', nullable: true })
  voiceMinutesRemaining: number | null;

  @Column({ name: 'sms_remaining', type: 'integer', nullable: true })
  smsRemaining: number | null;

  /** When the provider said the stored status happened: an older event never overrides it. */
  @Column({ name: 'status_at', ...DATETIME, nullable: true })
  statusAt: Date | null;

  /** When the poller should read this profile next (a lease while one instance polls it); null: never. */
  @Column({ name: 'next_poll_at', ...DATETIME, nullable: true })
  nextPollAt: Date | null;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;

  @Column({ name: 'updated_at', ...DATETIME })
  updatedAt: Date;
}
