import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DATETIME, moneyColumn } from '../columns';
import type { FailureCode } from '../../domain/failure';
import type { TopUpStatus } from '../../domain/order-status';
import { ProfileEntity } from './profile.entity';

/** One `topUpProfile`; its id is the reference sent upstream as the idempotency key. */
@Entity({ name: 'top_up' })
@Index('idx_top_up_profile', ['profileId', 'createdAt'])
@Index('idx_top_up_due', ['status', 'nextCheckAt'])
@Index('idx_top_up_attention', ['attentionSince'])
export class TopUpEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @Column({ name: 'profile_id', type: 'varchar', length: 36 })
  profileId: string;

  @ManyToOne(() => ProfileEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'profile_id', foreignKeyConstraintName: 'fk_top_up_profile' })
  profile?: ProfileEntity;

  @Column({ name: 'plan_id', type: 'varchar', length: 200 })
  planId: string;

  @Column({ name: 'plan_snapshot', type: 'text' })
  planSnapshot: string;

  @Column({ name: 'total_units', type: 'bigint', transformer: moneyColumn })
  total: string;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 16 })
  status: TopUpStatus;

  @Column({ name: 'provider_top_up_id', type: 'varchar', length: 100, nullable: true })
  providerTopUpId: string | null;

  @Column({ name: 'submitted_at', ...DATETIME, nullable: true })
  submittedAt: Date | null;

  /** The neutral sentence every caller sees; the provider's words live in `provider_failure_*`. */
  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason: string | null;

  @Column({ name: 'failure_code', type: 'varchar', length: 32, nullable: true })
  failureCode?: FailureCode | null;

  /** The provider's own code and words: admins and logs only. */
  @Column({ name: 'provider_failure_code', type: 'varchar', length: 100, nullable: true })
  providerFailureCode?: string | null;

  @Column({ name: 'provider_failure_message', type: 'varchar', length: 500, nullable: true })
  providerFailureMessage?: string | null;

  @Column({ name: 'next_check_at', ...DATETIME, nullable: true })
  nextCheckAt: Date | null;

  /** As on OrderEntity: still PENDING ORDER_ATTENTION_AFTER_MS after it was bought; cleared when it settles. */
  @Column({ name: 'attention_reason', type: 'varchar', length: 200, nullable: true })
  attentionReason?: string | null;

  @Column({ name: 'attention_since', ...DATETIME, nullable: true })
  attentionSince?: Date | null;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;

  @Column({ name: 'updated_at', ...DATETIME })
  updatedAt: Date;
}
