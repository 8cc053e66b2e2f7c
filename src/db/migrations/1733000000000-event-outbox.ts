import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, id, int, longText, text } from './columns';

/** Events commit with the change they announce and are published after it (services/realtime/outbox.ts). */
export class EventOutbox1733000000000 implements MigrationInterface {
  name = 'EventOutbox1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'event_outbox',
        columns: [
          id(),
          text('topic', 32),
          longText('payload'),
          datetime('created_at'),
          datetime('due_at'),
          int('attempts'),
        ],
        indices: [new TableIndex({ name: 'idx_event_outbox_due', columnNames: ['due_at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('event_outbox');
  }
}
