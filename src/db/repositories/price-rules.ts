import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { scopeKey, type PricedRule } from '../../domain/price-rule';
import { PriceRuleEntity } from '../entities';
import { inTransaction, isUniqueViolation } from '../transaction';

/** Price rules of accounts: one indexed read per account, and an upsert on (account, scope). */
export class PriceRules {
  constructor(private readonly db: DataSource) {}

  ofAccount(accountId: string): Promise<PriceRuleEntity[]> {
    return this.db
      .getRepository(PriceRuleEntity)
      .find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Sets the rule of this scope, replacing its pricing (and keeping its id) when one exists. */
  async upsert(accountId: string, rule: PricedRule): Promise<PriceRuleEntity> {
    try {
      return await this.upsertOnce(accountId, rule);
    } catch (error) {
      // Two concurrent first sets of one scope: the loser finds the winner's row and replaces it.
      if (!isUniqueViolation(error)) throw error;
      return this.upsertOnce(accountId, rule);
    }
  }

  async delete(id: string): Promise<PriceRuleEntity | null> {
    const repo = this.db.getRepository(PriceRuleEntity);
    const row = await repo.findOneBy({ id });
    if (row) await repo.delete({ id });
    return row;
  }

  private upsertOnce(accountId: string, rule: PricedRule): Promise<PriceRuleEntity> {
    return inTransaction(this.db, async (tx) => {
      const repo = tx.getRepository(PriceRuleEntity);
      const scope = scopeKey(rule);
      const row: PriceRuleEntity = (await repo.findOneBy({ accountId, scope })) ?? {
        id: randomUUID(),
        accountId,
        scope,
        providerId: rule.providerId,
        country: rule.country,
        planId: rule.planId,
        markupPercent: null,
        fixedPrice: null,
        createdAt: new Date(),
      };
      row.markupPercent = rule.markupPercent;
      row.fixedPrice = rule.fixedPrice;
      row.createdAt = new Date();
      return repo.save(row);
    });
  }
}
