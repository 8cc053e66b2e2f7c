import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DATETIME } from '../columns';
import type { FailureCode } from '../../domain/failure';
import { OrderEntity } from './order.entity';

/**
 * NEW: not sent yet. SUBMITTED: the upstream call started and its outcome is unknown (a crash or
 * a timeout): only a lookup by reference may tell. PROCESSING: accepted upstream, profiles not
 * allocated. COMPLETED / FAILED: final.
 */
export type OrderPartStatus = 'NEW' | 'SUBMITTED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

/**
 * One upstream order call of an order: its id is the reference sent as the provider's
 * idempotency key. An order of quantity n is one part at a provider that orders in batches, or n
 * parts of one at providers that order one profile per call.
 */
@Entity({ name: 'order_part' })
@Index('uq_order_part_seq', ['orderId', 'seq'], { unique: true })
export class OrderPartEntity {
  /** The upstream reference: the order id, with `-<seq>` when the order has several parts. */
  @PrimaryColumn({ type: 'varchar', length: 50 })
  id: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_order_part_order' })
  order?: OrderEntity;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ type: 'varchar', length: 16 })
  status: OrderPartStatus;

  @Column({ name: 'provider_order_id', type: 'varchar', length: 100, nullable: true })
  providerOrderId: string | null;

  @Column({ name: 'submitted_at', ...DATETIME, nullable: true })
  submittedAt: Date | null;

  /** The provider's own words (internal: never shown to resellers, see OrderEntity.failureReason). */
  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason: string | null;

  @Column({ name: 'failure_code', type: 'varchar', length: 32, nullable: true })
  failureCode?: FailureCode | null;

  @Column({ name: 'provider_failure_code', type: 'varchar', length: 100, nullable: true })
  providerFailureCode?: string | null;

  /** Set when the order failed over: a part of the provider it left, kept as the record of why. */
  @Column({ name: 'superseded_at', ...DATETIME, nullable: true })
  supersededAt?: Date | null;

  @Column({ name: 'updated_at', ...DATETIME })
  updatedAt: Date;
}
