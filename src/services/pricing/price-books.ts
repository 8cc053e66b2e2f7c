import type { Viewer } from '../../domain/account';
import { roundToMinor } from '../../domain/money';
import { PriceBook, type PricedRule } from '../../domain/price-rule';
import type { PriceRuleEntity } from '../../db/entities';
import type { PriceRules } from '../../db/repositories/price-rules';

/**
 * Builds the caller's price book: one indexed read of its rules per call (a search, a plan batch,
 * an order), never per plan, and never cached across requests, so a changed rule prices the very
 * next request on every instance. The account markup comes with the viewer (auth memo, epoch-checked).
 */
export class PriceBooks {
  constructor(
    private readonly rules: PriceRules,
    private readonly currency: string,
  ) {}

  async bookFor(viewer: Viewer): Promise<PriceBook> {
    const rows = await this.rules.ofAccount(viewer.accountId);
    return new PriceBook(
      viewer.markupPercent,
      rows.map((row) => pricedRule(row, this.currency)),
    );
  }
}

/** Fixed prices come back from 1/10 000 units as "5"; shown and charged with the minor digits ("5.00"). */
export function pricedRule(row: PriceRuleEntity, currency: string): PricedRule {
  return {
    providerId: row.providerId,
    country: row.country,
    planId: row.planId,
    markupPercent: row.markupPercent,
    fixedPrice: row.fixedPrice === null ? null : roundToMinor(row.fixedPrice, currency),
  };
}
