import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime } from './columns';

/**
 * The back office (issue 18): suspending an account and showing when a key was last used. Both
 * are nullable timestamps (no boolean column: one shape on SQLite and MySQL). api_key.prefix
 * exists since the first migration.
 */
export class AccountAdmin1733100000000 implements MigrationInterface {
  name = 'AccountAdmin1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('account', new TableColumn(datetime('suspended_at', true)));
    await q.addColumn('api_key', new TableColumn(datetime('last_used_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('api_key', 'last_used_at');
    await q.dropColumn('account', 'suspended_at');
  }
}
