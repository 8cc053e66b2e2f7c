import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DATETIME } from '../columns';

export type IdempotentOperation = 'placeOrder' | 'topUpProfile' | 'creditWallet';

/**
 * A claimed idempotency key. The unique index is what makes a key "once per account" across
 * every instance: the first INSERT wins, the others read the row and wait for its result.
 * `result_id` is the order, top-up or ledger row the key is bound to, once money moved.
 */
@Entity({ name: 'idempotency_key' })
@Index('uq_idempotency_key', ['accountId', 'operation', 'key'], { unique: true })
@Index('idx_idempotency_created', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @Column({ type: 'varchar', length: 16 })
  operation: IdempotentOperation;

  @Column({ name: 'idem_key', type: 'varchar', length: 200 })
  key: string;

  /** SHA-256 of the canonical input: the same key with other input is refused. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ name: 'result_id', type: 'varchar', length: 36, nullable: true })
  resultId: string | null;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;
}
