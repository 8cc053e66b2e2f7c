import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DATETIME } from '../columns';

/**
 * Gateway-wide values every instance must share, kept in the database (e.g. the webhook secret
 * registered with providers, a provider's signing secret). Written once, first writer wins.
 */
@Entity({ name: 'gateway_setting' })
export class SettingEntity {
  @PrimaryColumn({ name: 'setting_key', type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'varchar', length: 500 })
  value: string;

  @Column({ name: 'updated_at', ...DATETIME })
  updatedAt: Date;
}
