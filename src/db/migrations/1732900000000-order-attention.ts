import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, text } from './columns';

/**
 * An order or top-up the provider leaves unsettled past ORDER_ATTENTION_AFTER_MS is flagged for a
 * person (`attention_reason`, `attention_since`), so held money is never held silently. Indexed
 * because the reconciler clears flags of settled rows and /metrics counts flagged ones.
 */
export class OrderAttention1732900000000 implements MigrationInterface {
  name = 'OrderAttention1732900000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, index] of [
      ['esim_order', 'idx_order_attention'],
      ['top_up', 'idx_top_up_attention'],
    ] as const) {
      await q.addColumns(table, [
        new TableColumn(text('attention_reason', 200, true)),
        new TableColumn(datetime('attention_since', true)),
      ]);
      await q.createIndex(table, new TableIndex({ name: index, columnNames: ['attention_since'] }));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, index] of [
      ['top_up', 'idx_top_up_attention'],
      ['esim_order', 'idx_order_attention'],
    ] as const) {
      await q.dropIndex(table, index);
      await q.dropColumns(table, ['attention_since', 'attention_reason']);
    }
  }
}
