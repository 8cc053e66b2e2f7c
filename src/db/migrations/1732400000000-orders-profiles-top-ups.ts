import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, id, int, longText, ref, text, units } from './columns';

const fk = (name: string, column: string, table: string) =>
  new TableForeignKey({
    name,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'RESTRICT',
    onUpdate: 'RESTRICT',
  });

/** Orders and their upstream parts, profiles, top-ups, idempotency keys, and ledger dedupe keys. */
export class OrdersProfilesTopUps1732400000000 implements MigrationInterface {
  name = 'OrdersProfilesTopUps1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'esim_order',
        columns: [
          id(),
          ref('account_id'),
          text('provider_id', 32),
          text('plan_id', 200),
          longText('plan_snapshot'),
          int('quantity'),
          units('unit_price_units'),
          units('total_units'),
          text('currency', 3),
          text('status', 16),
          text('reference', 100, true),
          text('customer_email', 254, true),
          text('customer_name', 200, true),
          text('failure_reason', 500, true),
          datetime('next_check_at', true),
          int('check_attempts'),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [
          { name: 'uq_order_account_reference', columnNames: ['account_id', 'reference'], isUnique: true },
          { name: 'idx_order_account_created', columnNames: ['account_id', 'created_at', 'id'] },
          { name: 'idx_order_due', columnNames: ['status', 'next_check_at'] },
        ],
        foreignKeys: [fk('fk_order_account', 'account_id', 'account')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'order_part',
        columns: [
          id('id', 50),
          ref('order_id'),
          int('seq'),
          int('quantity'),
          text('status', 16),
          text('provider_order_id', 100, true),
          datetime('submitted_at', true),
          text('failure_reason', 500, true),
          datetime('updated_at'),
        ],
        indices: [{ name: 'uq_order_part_seq', columnNames: ['order_id', 'seq'], isUnique: true }],
        foreignKeys: [fk('fk_order_part_order', 'order_id', 'esim_order')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'profile',
        columns: [
          id(),
          ref('order_id'),
          ref('account_id'),
          text('provider_id', 32),
          text('iccid', 22),
          text('provider_profile_id', 64),
          text('status', 16),
          text('raw_status', 64),
          text('smdp_address', 255),
          text('matching_id', 255),
          text('qr_code_url', 500, true),
          datetime('expires_at', true),
          units('used_bytes', true),
          units('total_bytes', true),
          datetime('usage_updated_at', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [
          { name: 'uq_profile_provider_handle', columnNames: ['provider_id', 'provider_profile_id'], isUnique: true },
          { name: 'idx_profile_iccid', columnNames: ['iccid'] },
          { name: 'idx_profile_account_created', columnNames: ['account_id', 'created_at', 'id'] },
          { name: 'idx_profile_order', columnNames: ['order_id'] },
        ],
        foreignKeys: [fk('fk_profile_order', 'order_id', 'esim_order')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'top_up',
        columns: [
          id(),
          ref('account_id'),
          ref('profile_id'),
          text('plan_id', 200),
          longText('plan_snapshot'),
          units('total_units'),
          text('currency', 3),
          text('status', 16),
          text('provider_top_up_id', 100, true),
          datetime('submitted_at', true),
          text('failure_reason', 500, true),
          datetime('next_check_at', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [
          { name: 'idx_top_up_profile', columnNames: ['profile_id', 'created_at'] },
          { name: 'idx_top_up_due', columnNames: ['status', 'next_check_at'] },
        ],
        foreignKeys: [fk('fk_top_up_profile', 'profile_id', 'profile')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'idempotency_key',
        columns: [
          id(),
          ref('account_id'),
          text('operation', 16),
          text('idem_key', 200),
          text('fingerprint', 64),
          ref('result_id', true),
          datetime('created_at'),
        ],
        indices: [
          { name: 'uq_idempotency_key', columnNames: ['account_id', 'operation', 'idem_key'], isUnique: true },
          { name: 'idx_idempotency_created', columnNames: ['created_at'] },
        ],
      }),
    );
    await q.addColumns('wallet_transaction', [
      new TableColumn(ref('top_up_id', true)),
      new TableColumn(text('dedupe_key', 120, true)),
    ]);
    await q.createIndex(
      'wallet_transaction',
      new TableIndex({ name: 'uq_wallet_tx_dedupe', columnNames: ['dedupe_key'], isUnique: true }),
    );
    await q.createIndex(
      'wallet_transaction',
      new TableIndex({ name: 'idx_wallet_tx_order', columnNames: ['order_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('wallet_transaction', 'idx_wallet_tx_order');
    await q.dropIndex('wallet_transaction', 'uq_wallet_tx_dedupe');
    await q.dropColumns('wallet_transaction', ['dedupe_key', 'top_up_id']);
    for (const table of ['idempotency_key', 'top_up', 'profile', 'order_part', 'esim_order']) await q.dropTable(table);
  }
}
