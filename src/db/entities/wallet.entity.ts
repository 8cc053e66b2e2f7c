import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DATETIME, moneyColumn } from '../columns';
import { AccountEntity } from './account.entity';

@Check('chk_wallet_balance_nonnegative', 'balance_units >= 0')
@Entity({ name: 'wallet' })
export class WalletEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('uq_wallet_account', { unique: true })
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_wallet_account' })
  account?: AccountEntity;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  /** Always equal to the sum of this wallet's ledger rows. */
  @Column({ name: 'balance_units', type: 'bigint', transformer: moneyColumn })
  balance: string;

  @Column({ name: 'updated_at', ...DATETIME })
  updatedAt: Date;
}
