import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccountRole } from '../../domain/account';
import { DATETIME } from '../columns';

@Entity({ name: 'account' })
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: AccountRole;

  /** Decimal string, e.g. "20" for +20 %. Never used in SQL arithmetic. */
  @Column({ name: 'markup_percent', type: 'varchar', length: 32 })
  markupPercent: string;

  /** Set while an admin has suspended the account: its keys are refused, nothing it owns changes. */
  @Column({ name: 'suspended_at', ...DATETIME, nullable: true })
  suspendedAt?: Date | null;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;

  @Column({ name: 'updated_at', ...DATETIME })
  updatedAt: Date;
}
