import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DATETIME, moneyColumn } from '../columns';
import { AccountEntity } from './account.entity';

/**
 * One price rule of an account (issue 18). `scope` is the rule's target as one string
 * ("plan:<id>", "country:FR", "provider:<id>", "provider:<id>|country:FR"): NULLs are distinct in
 * unique indexes on SQLite and MySQL alike, so uniqueness per account + scope rides on it.
 */
@Entity({ name: 'price_rule' })
@Index('uq_price_rule_scope', ['accountId', 'scope'], { unique: true })
export class PriceRuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_price_rule_account' })
  account?: AccountEntity;

  @Column({ type: 'varchar', length: 240 })
  scope: string;

  @Column({ name: 'provider_id', type: 'varchar', length: 32, nullable: true })
  providerId: string | null;

  /** ISO alpha-2 */
  @Column({ type: 'varchar', length: 2, nullable: true })
  country: string | null;

  @Column({ name: 'plan_id', type: 'varchar', length: 200, nullable: true })
  planId: string | null;

  /** Decimal string as the account's markup ("-5", "12.5"); null for a fixed price. */
  @Column({ name: 'markup_percent', type: 'varchar', length: 32, nullable: true })
  markupPercent: string | null;

  /** In the wallet currency, 1/10 000 units; null for a markup. */
  @Column({ name: 'fixed_price_units', type: 'bigint', nullable: true, transformer: moneyColumn })
  fixedPrice: string | null;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;
}
