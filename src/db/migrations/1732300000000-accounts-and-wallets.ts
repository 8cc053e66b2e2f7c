import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, id, ref, text, units } from './columns';

/** Accounts, their hashed API keys, one wallet each and its ledger. Written with the Table API so one migration serves SQLite and MySQL. */
export class AccountsAndWallets1732300000000 implements MigrationInterface {
  name = 'AccountsAndWallets1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'account',
        columns: [
          id(),
          text('name', 200),
          text('role', 16),
          text('markup_percent', 32),
          datetime('created_at'),
          datetime('updated_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_key',
        columns: [
          id(),
          ref('account_id'),
          text('key_hash', 64),
          text('prefix', 16),
          text('kind', 16),
          datetime('created_at'),
          datetime('revoked_at', true),
        ],
        indices: [
          { name: 'uq_api_key_hash', columnNames: ['key_hash'], isUnique: true },
          { name: 'idx_api_key_account', columnNames: ['account_id'] },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_api_key_account',
            columnNames: ['account_id'],
            referencedTableName: 'account',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wallet',
        columns: [id(), ref('account_id'), text('currency', 3), units('balance_units'), datetime('updated_at')],
        indices: [{ name: 'uq_wallet_account', columnNames: ['account_id'], isUnique: true }],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_wallet_account',
            columnNames: ['account_id'],
            referencedTableName: 'account',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wallet_transaction',
        columns: [
          id(),
          ref('wallet_id'),
          text('type', 16),
          units('amount_units'),
          units('balance_after_units'),
          text('order_id', 36, true),
          text('description', 500, true),
          datetime('created_at'),
        ],
        indices: [{ name: 'idx_wallet_tx_wallet_created', columnNames: ['wallet_id', 'created_at', 'id'] }],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_wallet_tx_wallet',
            columnNames: ['wallet_id'],
            referencedTableName: 'wallet',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['wallet_transaction', 'wallet', 'api_key', 'account']) await q.dropTable(table);
  }
}
