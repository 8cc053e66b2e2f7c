import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * salesSummary (issue 18) reads every account's orders placed in [from, to): without this index
 * each report scanned the whole order table. idx_order_account_created serves one account only.
 */
export class SalesRangeIndex1733400000000 implements MigrationInterface {
  name = 'SalesRangeIndex1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('esim_order', new TableIndex({ name: 'idx_order_created', columnNames: ['created_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('esim_order', 'idx_order_created');
  }
}
