import { multiplyDecimal } from './money';
import { priceOf, type PriceBook, type RuledPlan } from './price-rule';

/** What `quantity` units of a plan cost, as decimal strings in the plan's (wallet) currency. */
export interface OrderPrice {
  readonly unitPrice: string;
  readonly total: string;
}

/**
 * The one computation placeOrder charges and quoteOrder shows, so a quote can never drift from
 * the charge: the plan's price for the book's account (price-rule.ts), times the quantity, exact.
 */
export function orderPrice(plan: RuledPlan, book: PriceBook, quantity: number): OrderPrice {
  const unitPrice = priceOf(plan, book).amount;
  return { unitPrice, total: multiplyDecimal(unitPrice, quantity) };
}
