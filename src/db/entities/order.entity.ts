import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DATETIME, moneyColumn } from '../columns';
import type { FailureCode } from '../../domain/failure';
import type { FailoverReason, OrderFallback } from '../../domain/order-fallback';
import type { OrderStatus } from '../../domain/order-status';
import { AccountEntity } from './account.entity';

/**
 * One `placeOrder`. Money columns are what the account was charged, in the wallet currency;
 * `plan_snapshot` is the plan (with its wholesale price) as it was re-priced at order time.
 */
@Entity({ name: 'esim_order' })
@Index('uq_order_account_reference', ['accountId', 'reference'], { unique: true })
@Index('idx_order_account_created', ['accountId', 'createdAt', 'id'])
@Index('idx_order_due', ['status', 'nextCheckAt'])
@Index('idx_order_attention', ['attentionSince'])
// salesSummary's date range over every account (sales-summary.ts).
@Index('idx_order_created', ['createdAt'])
export class OrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_order_account' })
  account?: AccountEntity;

  @Column({ name: 'provider_id', type: 'varchar', length: 32 })
  providerId: string;

  @Column({ name: 'plan_id', type: 'varchar', length: 200 })
  planId: string;

  /** JSON of the CatalogPlan as re-priced at order time. */
  @Column({ name: 'plan_snapshot', type: 'text' })
  planSnapshot: string;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ name: 'unit_price_units', type: 'bigint', transformer: moneyColumn })
  unitPrice: string;

  @Column({ name: 'total_units', type: 'bigint', transformer: moneyColumn })
  total: string;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 16 })
  status: OrderStatus;

  @Column({ type: 'varchar', length: 100, nullable: true })
  reference: string | null;

  @Column({ name: 'customer_email', type: 'varchar', length: 254, nullable: true })
  customerEmail: string | null;

  @Column({ name: 'customer_name', type: 'varchar', length: 200, nullable: true })
  customerName: string | null;

  /** The neutral sentence every caller sees; the provider's words live in `provider_failure_*`. */
  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason: string | null;

  @Column({ name: 'failure_code', type: 'varchar', length: 32, nullable: true })
  failureCode?: FailureCode | null;

  /** The provider's own code and words for the (first) failure: admins and logs only. */
  @Column({ name: 'provider_failure_code', type: 'varchar', length: 100, nullable: true })
  providerFailureCode?: string | null;

  @Column({ name: 'provider_failure_message', type: 'varchar', length: 500, nullable: true })
  providerFailureMessage?: string | null;

  /** Set while one `cancelOrder` works on the order, so a concurrent one waits for its outcome. */
  @Column({ name: 'cancel_lease_until', ...DATETIME, nullable: true })
  cancelLeaseUntil?: Date | null;

  /** When the reconciler should look at this order next; null once it is final. */
  @Column({ name: 'next_check_at', ...DATETIME, nullable: true })
  nextCheckAt: Date | null;

  @Column({ name: 'check_attempts', type: 'int' })
  checkAttempts: number;

  /**
   * Set by the reconciler once the order is still not final ORDER_ATTENTION_AFTER_MS after it was
   * placed, so an admin is told (`needsAttention`, `resolveOrder`); cleared when it settles.
   */
  @Column({ name: 'attention_reason', type: 'varchar', length: 200, nullable: true })
  attentionReason?: string | null;

  @Column({ name: 'attention_since', ...DATETIME, nullable: true })
  attentionSince?: Date | null;

  /** What the order may do if its plan cannot be served (order-fallback.ts). */
  @Column({ type: 'varchar', length: 16, default: 'NONE' })
  fallback?: OrderFallback;

  /**
   * Set once the order went to an equivalent plan: the plan it asked for (provider, id, snapshot as
   * priced then), why, and when. provider_id / plan_id / plan_snapshot are then the plan that fulfils it.
   */
  @Column({ name: 'requested_provider_id', type: 'varchar', length: 32, nullable: true })
  requestedProviderId?: string | null;

  @Column({ name: 'requested_plan_id', type: 'varchar', length: 200, nullable: true })
  requestedPlanId?: string | null;

  @Column({ name: 'requested_plan_snapshot', type: 'text', nullable: true })
  requestedPlanSnapshot?: string | null;

  @Column({ name: 'failover_reason', type: 'varchar', length: 32, nullable: true })
  failoverReason?: FailoverReason | null;

  @Column({ name: 'failed_over_at', ...DATETIME, nullable: true })
  failedOverAt?: Date | null;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;

  @Column({ name: 'updated_at', ...DATETIME })
  updatedAt: Date;
}
