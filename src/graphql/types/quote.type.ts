import { Field, Int, ObjectType } from 'type-graphql';
import { CustomerField } from '../../domain/device';
import { OrderFallback } from '../../domain/order-fallback';
import type { OrderQuote, QuotedLine } from '../../services/ordering/quote.service';
import { MoneyType } from './common.type';
import { PlanType } from './plan.type';
import { ProviderHealthType } from './provider.type';

@ObjectType('OrderQuoteRoute', {
  description: 'The plan an EQUIVALENT fallback would order instead, priced for this account',
})
export class QuoteRouteType {
  @Field(() => PlanType)
  plan: PlanType;

  @Field(() => MoneyType)
  unitPrice: MoneyType;

  @Field(() => MoneyType, { description: 'unitPrice × quantity' })
  total: MoneyType;

  static from(line: QuotedLine): QuoteRouteType {
    return {
      plan: PlanType.from(line.plan),
      unitPrice: MoneyType.from(line.unitPrice),
      total: MoneyType.from(line.total),
    };
  }
}

@ObjectType('OrderQuote', {
  description: 'What placeOrder would charge for this plan and whether it could be served now; nothing is written',
})
export class OrderQuoteType {
  @Field(() => PlanType, { description: 'The plan, priced for this account' })
  plan: PlanType;

  @Field(() => Int)
  quantity: number;

  @Field(() => MoneyType, { description: 'What placeOrder charges per unit: the same computation' })
  unitPrice: MoneyType;

  @Field(() => MoneyType, { description: 'unitPrice × quantity' })
  total: MoneyType;

  @Field({ description: "Whether an order could be served now: its provider's circuit is not open" })
  available: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Contract error code an order would meet now (PROVIDER_UNAVAILABLE, PLAN_UNAVAILABLE); null when available',
  })
  reason: string | null;

  @Field(() => ProviderHealthType, { description: "The plan's provider as this instance sees it, as in /readyz" })
  providerHealth: ProviderHealthType;

  @Field(() => Int, {
    nullable: true,
    description: 'Units left when the provider reports stock; null when it does not',
  })
  stock: number | null;

  @Field(() => MoneyType, { description: "The caller's wallet balance now" })
  balance: MoneyType;

  @Field(() => MoneyType, { description: 'balance − total; negative when the wallet does not cover the order' })
  balanceAfter: MoneyType;

  @Field()
  sufficientFunds: boolean;

  @Field(() => [CustomerField], {
    description: 'Customer details placeOrder needs for this plan (Plan.customerFields)',
  })
  customerFields: CustomerField[];

  @Field(() => OrderFallback)
  fallback: OrderFallback;

  @Field(() => QuoteRouteType, {
    nullable: true,
    description:
      'EQUIVALENT only: where the order would go if the chosen plan cannot be served, reported even while it is available; null when no plan qualifies (or fallback NONE)',
  })
  routesTo: QuoteRouteType | null;

  static from(quote: OrderQuote): OrderQuoteType {
    return {
      plan: PlanType.from(quote.plan),
      quantity: quote.quantity,
      unitPrice: MoneyType.from(quote.unitPrice),
      total: MoneyType.from(quote.total),
      available: quote.available,
      reason: quote.reason,
      providerHealth: { ...quote.providerHealth },
      stock: quote.stock,
      balance: MoneyType.from(quote.balance),
      balanceAfter: MoneyType.from(quote.balanceAfter),
      sufficientFunds: quote.sufficientFunds,
      customerFields: [...quote.customerFields],
      fallback: quote.fallback,
      routesTo: quote.routesTo && QuoteRouteType.from(quote.routesTo),
    };
  }
}
