import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, id, ref, text, units } from './columns';

/**
 * Per-account price rules (issue 18). Uniqueness is on (account_id, scope), a string naming the
 * rule's target, because NULL scope columns would never collide in a unique index.
 */
export class PriceRules1733200000000 implements MigrationInterface {
  name = 'PriceRules1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'price_rule',
        columns: [
          id(),
          ref('account_id'),
          text('scope', 240),
          text('provider_id', 32, true),
          text('country', 2, true),
          text('plan_id', 200, true),
          text('markup_percent', 32, true),
          units('fixed_price_units', true),
          datetime('created_at'),
        ],
        indices: [{ name: 'uq_price_rule_scope', columnNames: ['account_id', 'scope'], isUnique: true }],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_price_rule_account',
            columnNames: ['account_id'],
            referencedTableName: 'account',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('price_rule');
  }
}
