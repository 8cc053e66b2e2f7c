import { TableCheck, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The database's own backstop under the ledger code: no wallet balance and no balanceAfter below
 * zero, whatever a bug or a hand-written UPDATE tries. MariaDB enforces CHECK since 10.2 (TypeORM
 * will not create one on the MySQL family, so it is plain SQL there); SQLite gets it through
 * TypeORM, which rebuilds the table.
 */
const CHECKS = [
  { table: 'wallet', name: 'chk_wallet_balance_nonnegative', expression: 'balance_units >= 0' },
  {
    table: 'wallet_transaction',
    name: 'chk_wallet_tx_balance_after_nonnegative',
    expression: 'balance_after_units >= 0',
  },
];

export class LedgerChecks1732600000000 implements MigrationInterface {
  name = 'LedgerChecks1732600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const check of CHECKS) {
      if (q.connection.driver.options.type === 'sqlite' || q.connection.driver.options.type === 'better-sqlite3') {
        await q.createCheckConstraint(check.table, new TableCheck({ name: check.name, expression: check.expression }));
      } else {
        await q.query(`ALTER TABLE \`${check.table}\` ADD CONSTRAINT \`${check.name}\` CHECK (${check.expression})`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const check of CHECKS.reverse()) {
      if (q.connection.driver.options.type === 'sqlite' || q.connection.driver.options.type === 'better-sqlite3')
        await q.dropCheckConstraint(check.table, check.name);
      else await q.query(`ALTER TABLE \`${check.table}\` DROP CONSTRAINT \`${check.name}\``);
    }
  }
}
