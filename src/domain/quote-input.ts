import { BadUserInputError } from './errors';
import { OrderFallback } from './order-fallback';
import { QUANTITY_RULE, isOrderQuantity, parsePlanId } from './order-input';
import type { ProviderId } from './provider';

/** `quoteOrder` as the caller sent it. */
export interface RawQuoteOrder {
  readonly planId: string;
  readonly quantity?: number | null;
  readonly fallback?: OrderFallback | null;
}

/** `quoteOrder` parsed with placeOrder's own rules, so a quote refuses exactly what an order would. */
export interface QuoteOrderCommand {
  readonly planId: string;
  readonly providerId: ProviderId;
  readonly planCode: string;
  readonly quantity: number;
  readonly fallback: OrderFallback;
}

export function parseQuoteOrder(raw: RawQuoteOrder): QuoteOrderCommand {
  const plan = parsePlanId(raw.planId);
  const quantity = raw.quantity ?? 1;
  if (!isOrderQuantity(quantity)) throw new BadUserInputError(QUANTITY_RULE, 'quantity');
  return { planId: raw.planId, ...plan, quantity, fallback: raw.fallback ?? OrderFallback.NONE };
}
