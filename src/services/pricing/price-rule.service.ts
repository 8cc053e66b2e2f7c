import type { DataSource } from 'typeorm';
import { requireAdmin, type Viewer } from '../../domain/account';
import { BadUserInputError, NotFoundError } from '../../domain/errors';
import { compareDecimal, isNegative } from '../../domain/money';
import { parsePriceRule, type PriceRuleCommand, type RawPriceRule } from '../../domain/price-rule-input';
import { AccountEntity, type PriceRuleEntity } from '../../db/entities';
import type { PriceRules } from '../../db/repositories/price-rules';
import type { CatalogService } from '../catalog/catalog.service';

/** Admin only: an account's price rules (the operator's pricing), set with a below-wholesale guard. */
export class PriceRuleService {
  constructor(
    private readonly db: DataSource,
    private readonly rules: PriceRules,
    private readonly catalog: CatalogService,
    private readonly currency: string,
    /** Drops every instance's cached logins, and with them the price books memoized per login (price-books.ts). */
    private readonly changed: () => Promise<void>,
  ) {}

  async set(viewer: Viewer, raw: RawPriceRule): Promise<PriceRuleEntity> {
    requireAdmin(viewer);
    const command = parsePriceRule(raw, this.currency);
    if (!(await this.db.getRepository(AccountEntity).existsBy({ id: command.accountId })))
      throw new NotFoundError('Account');
    if (command.providerId !== null && !this.catalog.servesProvider(command.providerId))
      throw new BadUserInputError(`Provider "${command.providerId}" is not enabled.`, 'providerId');
    await this.check(command);
    const rule = await this.rules.upsert(command.accountId, command);
    await this.changed();
    return rule;
  }

  async delete(viewer: Viewer, id: string): Promise<PriceRuleEntity> {
    requireAdmin(viewer);
    const row = await this.rules.delete(id);
    if (!row) throw new NotFoundError('Price rule');
    await this.changed();
    return row;
  }

  async ofAccount(viewer: Viewer, accountId: string): Promise<PriceRuleEntity[]> {
    requireAdmin(viewer);
    return this.rules.ofAccount(accountId);
  }

  /**
   * A plan rule must name a plan of the current catalog. Unless allowLoss, a rule may not sell a
   * plan under its wholesale price: any negative markup, or a fixed price under the wholesale price
   * of the plan (or of any plan the rule covers in the current catalog).
   */
  private async check(command: PriceRuleCommand): Promise<void> {
    const { markupPercent, fixedPrice, planId, allowLoss } = command;
    if (!allowLoss && markupPercent !== null && isNegative(markupPercent))
      throw new BadUserInputError(
        'A negative markup sells below wholesale: pass allowLoss: true to set it anyway.',
        'markupPercent',
      );
    const needsPlans = planId !== null || (!allowLoss && fixedPrice !== null);
    const covered = needsPlans ? await this.catalog.plansCoveredBy(command) : [];
    if (planId !== null && covered.length === 0) throw new BadUserInputError(`Unknown plan "${planId}".`, 'planId');
    if (allowLoss || fixedPrice === null) return;
    const below = covered.find((p) => compareDecimal(fixedPrice, p.wholesalePrice.amount) < 0);
    if (below)
      throw new BadUserInputError(
        `fixedPrice ${fixedPrice} ${this.currency} is below the wholesale price of ${below.id} (${below.wholesalePrice.amount}): pass allowLoss: true to set it anyway.`,
        'fixedPrice',
      );
  }
}
