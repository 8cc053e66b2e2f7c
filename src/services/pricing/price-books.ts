import type { Viewer } from '../../domain/account';
import { roundToMinor } from '../../domain/money';
import { PriceBook, type PricedRule } from '../../domain/price-rule';
import type { PriceRuleEntity } from '../../db/entities';
import type { PriceRules } from '../../db/repositories/price-rules';

/** The longest a book is reused for one viewer object (a graphql-ws connection keeps its viewer). */
const MEMO_MS = 5_000;

/**
 * Builds the caller's price book: one indexed read of its rules, never per plan. A search or a
 * plan batch reuses the book of the same login: the auth memo hands out one Viewer object per key
 * while the shared auth epoch holds, and setPriceRule / deletePriceRule write a new epoch, so a
 * changed rule prices the next request on every instance. A book is kept at most MEMO_MS for one
 * viewer object, as long as a login is. placeOrder reads the rules afresh (`freshBookFor`).
 */
export class PriceBooks {
  private readonly memo = new WeakMap<Viewer, { readonly book: Promise<PriceBook>; readonly until: number }>();

  constructor(
    private readonly rules: PriceRules,
    private readonly currency: string,
  ) {}

  bookFor(viewer: Viewer): Promise<PriceBook> {
    const hit = this.memo.get(viewer);
    if (hit && hit.until > Date.now()) return hit.book;
    const book = this.freshBookFor(viewer);
    this.memo.set(viewer, { book, until: Date.now() + MEMO_MS });
    book.catch(() => this.memo.delete(viewer));
    return book;
  }

  async freshBookFor(viewer: Viewer): Promise<PriceBook> {
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
