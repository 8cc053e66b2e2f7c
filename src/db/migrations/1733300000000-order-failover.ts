import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, longText, text } from './columns';

/**
 * Failover to an equivalent plan (issue 18): the order keeps the fallback it was placed with and,
 * once it went elsewhere, the plan it asked for and why. provider_id, plan_id and plan_snapshot
 * stay the plan that fulfils it, so profiles, top-ups and the sales report follow what was bought.
 * A part sent to the first provider is kept (its refusal is the record) but set aside by
 * superseded_at: only the parts of the current provider are sent, settled and refunded.
 */
export class OrderFailover1733300000000 implements MigrationInterface {
  name = 'OrderFailover1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('esim_order', [
      new TableColumn({ ...text('fallback', 16), default: "'NONE'" }),
      new TableColumn(text('requested_provider_id', 32, true)),
      new TableColumn(text('requested_plan_id', 200, true)),
      new TableColumn({ ...longText('requested_plan_snapshot'), isNullable: true }),
      new TableColumn(text('failover_reason', 32, true)),
      new TableColumn(datetime('failed_over_at', true)),
    ]);
    await q.addColumn('order_part', new TableColumn(datetime('superseded_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('order_part', 'superseded_at');
    await q.dropColumns('esim_order', [
      'failed_over_at',
      'failover_reason',
      'requested_plan_snapshot',
      'requested_plan_id',
      'requested_provider_id',
      'fallback',
    ]);
  }
}
