import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DATETIME } from '../columns';
import { AccountEntity } from './account.entity';

/** Only the SHA-256 of a key is stored; keys are 256-bit random, so a fast hash is enough. */
@Entity({ name: 'api_key' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('idx_api_key_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_api_key_account' })
  account?: AccountEntity;

  @Index('uq_api_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  /** The first characters of the key, to tell keys apart in listings. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  /**
   * "bootstrap": generated sandbox admin key (rotated at every start); "configured": created from
   * GATEWAY_BOOTSTRAP_ADMIN_KEY (revoked once the variable changes); "issued": createAccount's keys.
   */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ name: 'created_at', ...DATETIME })
  createdAt: Date;

  /** Best effort, written at most once a minute per key per instance (services/accounts/key-usage.ts). */
  @Column({ name: 'last_used_at', ...DATETIME, nullable: true })
  lastUsedAt?: Date | null;

  @Column({ name: 'revoked_at', ...DATETIME, nullable: true })
  revokedAt: Date | null;
}
