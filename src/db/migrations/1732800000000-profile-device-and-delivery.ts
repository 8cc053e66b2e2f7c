import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, text } from './columns';

const nullableInt = (name: string): TableColumn => new TableColumn({ name, type: 'integer', isNullable: true });

/**
 * Activation as providers give it (SM-DP+ address and matching id may be absent: the eSIM platform
 * gives a QR code URL, Comium e-mails the customer), the device dimension of a profile apart from
 * its plan state, and the usage signals we used to drop (alert level, voice minutes and SMS left).
 */
export class ProfileDeviceAndDelivery1732800000000 implements MigrationInterface {
  name = 'ProfileDeviceAndDelivery1732800000000';

  async up(q: QueryRunner): Promise<void> {
    for (const name of ['smdp_address', 'matching_id']) {
      await q.changeColumn('profile', name, new TableColumn(text(name, 255, true)));
    }
    await q.addColumns('profile', [
      new TableColumn(text('device_state', 16, true)),
      new TableColumn(text('device_raw_state', 64, true)),
      new TableColumn(text('eid', 64, true)),
      new TableColumn(datetime('device_at', true)),
      nullableInt('usage_alert_remaining_percent'),
      nullableInt('voice_minutes_remaining'),
      nullableInt('sms_remaining'),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('profile', [
      'sms_remaining',
      'voice_minutes_remaining',
      'usage_alert_remaining_percent',
      'device_at',
      'eid',
      'device_raw_state',
      'device_state',
    ]);
    for (const name of ['smdp_address', 'matching_id']) {
      await q.query(`UPDATE profile SET ${name} = '' WHERE ${name} IS NULL`);
      await q.changeColumn('profile', name, new TableColumn(text(name, 255)));
    }
  }
}
