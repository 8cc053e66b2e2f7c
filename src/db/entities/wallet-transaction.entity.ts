import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DATETIME, moneyColumn } from '../columns';
import type { WalletTransactionType } from '../../domain/wallet';
import { WalletEntity } from './wallet.entity';

/** An append-only ledger row; `amount` is negative for debits. */
@Check('chk_wallet_tx_balance_after_nonnegative', 'balance_after_units >= 0')
@Entity({ name: 'wallet_transaction' })
@Index('idx_wallet_tx_wallet_created', ['walletId', 'createdAt', 'id'])
@Index('uq_wallet_tx_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_wallet_tx_order', ['orderId'])
export class WalletTransactionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'wallet_id', type: 'varchar', length: 36 })
  walletId: string;

  @ManyToOne(() => WalletEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'wallet_id', foreignKeyConstraintName: 'fk_wallet_tx_wallet' })
  wallet?: WalletEntity;

  @Column({ type: 'varchar', length: 16 })
  type: WalletTransactionType;

  @Column({ name: 'amount_units', type: 'bigint', transformer: moneyColumn })
  amount: string;

  @Column({ name: 'balance_after_units', type: 'bigint', transformer: moneyColumn })
  balanceAfter: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36, nullable: true })
  orderId: string | null;

  @Column({ name: 'top_up_id', type: 'varchar', length: 36, nullable: true })
  topUpId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /**
   * What this movement is for, unique: e.g. `order:<id>`, `refund:<part id>`, `credit:<key id>`.
   * A second attempt at the same movement hits the unique index instead of moving money twice.
   */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 120, nullable: true })
  dedupeKey: string | null;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;
}
