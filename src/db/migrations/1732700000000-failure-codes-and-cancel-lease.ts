import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, text } from './columns';

const NEUTRAL_ORDER = 'The provider could not deliver this order; it was refunded.';
const NEUTRAL_PARTIAL = 'Some profiles of this order could not be delivered by the provider and were refunded.';
const NEUTRAL_TOP_UP = 'The provider could not apply this top-up; it was refunded.';

/**
 * Stable failure codes, the provider's own failure code and words kept apart from the neutral
 * `failure_reason` resellers see, and the lease that serialises concurrent `cancelOrder` calls.
 * Rows failed before this migration held the provider's words in `failure_reason`: they move to
 * `provider_failure_message`, and `failure_reason` becomes neutral.
 */
export class FailureCodesAndCancelLease1732700000000 implements MigrationInterface {
  name = 'FailureCodesAndCancelLease1732700000000';

  async up(q: QueryRunner): Promise<void> {
    const failureColumns = () => [
      new TableColumn(text('failure_code', 32, true)),
      new TableColumn(text('provider_failure_code', 100, true)),
    ];
    await q.addColumns('esim_order', [
      ...failureColumns(),
      new TableColumn(text('provider_failure_message', 500, true)),
      new TableColumn(datetime('cancel_lease_until', true)),
    ]);
    await q.addColumns('top_up', [...failureColumns(), new TableColumn(text('provider_failure_message', 500, true))]);
    await q.addColumns('order_part', failureColumns());
    for (const table of ['esim_order', 'top_up']) {
      await q.query(
        `UPDATE ${table} SET provider_failure_message = failure_reason, failure_code = 'PROVIDER_FAILED' WHERE failure_reason IS NOT NULL`,
      );
    }
    await q.query(`UPDATE esim_order SET failure_reason = ? WHERE failure_reason IS NOT NULL AND status = 'FAILED'`, [
      NEUTRAL_ORDER,
    ]);
    await q.query(`UPDATE esim_order SET failure_reason = ? WHERE failure_reason IS NOT NULL AND status <> 'FAILED'`, [
      NEUTRAL_PARTIAL,
    ]);
    await q.query(`UPDATE top_up SET failure_reason = ? WHERE failure_reason IS NOT NULL`, [NEUTRAL_TOP_UP]);
    await q.query(`UPDATE order_part SET failure_code = 'PROVIDER_FAILED' WHERE failure_reason IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['esim_order', 'top_up']) {
      await q.query(
        `UPDATE ${table} SET failure_reason = provider_failure_message WHERE provider_failure_message IS NOT NULL`,
      );
    }
    await q.dropColumns('order_part', ['provider_failure_code', 'failure_code']);
    await q.dropColumns('top_up', ['provider_failure_message', 'provider_failure_code', 'failure_code']);
    await q.dropColumns('esim_order', [
      'cancel_lease_until',
      'provider_failure_message',
      'provider_failure_code',
      'failure_code',
    ]);
  }
}
