import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, id, int, longText, text } from './columns';

/** Webhook inbox, shared settings, and the profile columns for event ordering and polling. */
export class WebhooksAndPolling1732500000000 implements MigrationInterface {
  name = 'WebhooksAndPolling1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webhook_inbox',
        columns: [
          id(),
          text('provider_id', 32),
          text('event_id', 120),
          longText('event'),
          datetime('occurred_at', true),
          datetime('received_at'),
          datetime('processed_at', true),
          datetime('lease_until', true),
          int('attempts'),
          text('last_error', 500, true),
        ],
        indices: [
          { name: 'uq_webhook_inbox_event', columnNames: ['provider_id', 'event_id'], isUnique: true },
          { name: 'idx_webhook_inbox_pending', columnNames: ['processed_at', 'lease_until'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'gateway_setting',
        columns: [{ ...text('setting_key', 100), isPrimary: true }, text('value', 500), datetime('updated_at')],
      }),
    );
    await q.addColumns('profile', [
      new TableColumn(datetime('status_at', true)),
      new TableColumn(datetime('next_poll_at', true)),
    ]);
    await q.createIndex('profile', new TableIndex({ name: 'idx_profile_poll', columnNames: ['next_poll_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('profile', 'idx_profile_poll');
    await q.dropColumns('profile', ['next_poll_at', 'status_at']);
    await q.dropTable('gateway_setting');
    await q.dropTable('webhook_inbox');
  }
}
