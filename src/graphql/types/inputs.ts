import { IsOptional, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { AccountRole } from '../../domain/account';
import { OrderFallback } from '../../domain/order-fallback';
import type { RawPlaceOrder, RawTopUp } from '../../domain/order-input';
import type { RawPriceRule } from '../../domain/price-rule-input';
import type { RawQuoteOrder } from '../../domain/quote-input';
import {
  OrderResolution,
  OrderStatus,
  type ResolveOrderCommand,
  type ResolveTopUpCommand,
} from '../../domain/order-status';
import { TEXT_LIMITS } from '../../domain/text';
import type { RawCreditWallet } from '../../domain/wallet';
import { RESOLUTION_NOTE_MAX } from '../../services/ordering/order-resolution.service';
import { DateTimeScalar, DecimalScalar } from './scalars';
import { CountryCode, EmailAddress, Iccid, MarkupPercent, OrderQuantity, PlanId, PrintableText } from './validation';

// Inputs of the ordering and account mutations, as the contract types them. The class-validator
// rules run at the edge (the schema's global `validateFn: validateInput`); limits are TEXT_LIMITS.
// Money amounts are checked by the Decimal scalar here and against the wallet's currency in the service.

@InputType('OrderFilter')
export class OrderFilterInput {
  @Field(() => OrderStatus, { nullable: true }) status?: OrderStatus | null;
  @Field(() => ID, { nullable: true }) providerId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @PrintableText(0, TEXT_LIMITS.reference) reference?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Iccid() iccid?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdAfter?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdBefore?: Date | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only unsettled orders that carry attention; false: only the others',
  })
  needsAttention?: boolean | null;
}

@InputType('CustomerInput')
export class CustomerInput {
  @Field(() => String, { nullable: true }) @IsOptional() @EmailAddress() email?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @PrintableText(0, TEXT_LIMITS.customerName) name?:
    string | null;
}

@InputType('PlaceOrderInput')
export class PlaceOrderInput implements RawPlaceOrder {
  @Field(() => ID) @PlanId() planId: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @OrderQuantity() quantity?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @PrintableText(0, TEXT_LIMITS.reference) reference?:
    string | null;
  @Field(() => CustomerInput, { nullable: true }) @IsOptional() @ValidateNested() customer?: CustomerInput | null;
  @Field({
    description:
      'Required. Same key and same input returns the first result; same key with other input fails with IDEMPOTENCY_KEY_REUSED.',
  })
  @PrintableText(1, TEXT_LIMITS.idempotencyKey)
  idempotencyKey: string;

  @Field(() => OrderFallback, {
    nullable: true,
    defaultValue: OrderFallback.NONE,
    description:
      'EQUIVALENT: if the provider refuses outright or cannot be reached before anything is sent, the order goes to the plan quoteOrder reports in routesTo, charged the price of the plan asked for',
  })
  fallback?: OrderFallback | null;
}

@InputType('QuoteOrderInput', {
  description: 'What placeOrder would be asked; a quote moves no money and writes nothing',
})
export class QuoteOrderInput implements RawQuoteOrder {
  @Field(() => ID) @PlanId() planId: string;
  @Field(() => Int, { nullable: true, defaultValue: 1 }) @IsOptional() @OrderQuantity() quantity?: number | null;
  @Field(() => OrderFallback, { nullable: true, defaultValue: OrderFallback.NONE }) fallback?: OrderFallback | null;
}

@InputType('TopUpInput')
export class TopUpInput implements RawTopUp {
  @Field() @Iccid() iccid: string;
  @Field(() => ID) @PlanId() planId: string;
  @Field() @PrintableText(1, TEXT_LIMITS.idempotencyKey) idempotencyKey: string;
}

@InputType('CreateAccountInput')
export class CreateAccountInput {
  @Field() @PrintableText(1, TEXT_LIMITS.accountName) name: string;
  @Field(() => AccountRole, { nullable: true }) role?: AccountRole | null;
  @Field(() => DecimalScalar, { nullable: true }) @IsOptional() @MarkupPercent() markupPercent?: string | null;
}

@InputType('UpdateAccountInput', { description: 'Absent fields keep their value' })
export class UpdateAccountInput {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) @IsOptional() @PrintableText(1, TEXT_LIMITS.accountName) name?:
    string | null;
  @Field(() => DecimalScalar, { nullable: true }) @IsOptional() @MarkupPercent() markupPercent?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "Suspended: the account's keys are refused with FORBIDDEN; its orders and wallet stay",
  })
  suspended?: boolean | null;
}

@InputType('SetPriceRuleInput', {
  description:
    'Give at least one of providerId, country and planId, and exactly one of markupPercent and fixedPrice. Setting the scope of an existing rule replaces it.',
})
export class SetPriceRuleInput implements RawPriceRule {
  @Field(() => ID) accountId: string;
  @Field(() => ID, { nullable: true }) providerId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'ISO 3166-1 alpha-2 or alpha-3; covers single-country plans of that country only',
  })
  @IsOptional()
  @CountryCode()
  country?: string | null;
  @Field(() => ID, { nullable: true, description: 'A plan rule takes no country' }) @IsOptional() @PlanId() planId?:
    string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'From -100 to 1000, at most 4 decimals' })
  markupPercent?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'In the wallet currency (USD), at most its minor digits' })
  fixedPrice?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Needed to set a rule that sells a plan below its wholesale price (negative markup, low fixed price)',
  })
  allowLoss?: boolean | null;
}

@InputType('CreditWalletInput')
export class CreditWalletInput implements RawCreditWallet {
  @Field(() => ID) accountId: string;
  @Field(() => DecimalScalar) amount: string;
  @Field(() => String, { nullable: true }) @IsOptional() @PrintableText(0, TEXT_LIMITS.description) description?:
    string | null;
  @Field() @PrintableText(1, TEXT_LIMITS.idempotencyKey) idempotencyKey: string;
}

/** What an admin decides for a money movement the provider left unclear; the id names what it settles. */
@InputType()
abstract class ResolutionInput {
  @Field(() => OrderResolution) outcome: OrderResolution;
  @Field(() => String, { nullable: true, description: 'Kept with the refund in the ledger (its description)' })
  @IsOptional()
  @PrintableText(0, RESOLUTION_NOTE_MAX)
  note?: string | null;
}

@InputType('ResolveOrderInput')
export class ResolveOrderInput extends ResolutionInput implements ResolveOrderCommand {
  @Field(() => ID) orderId: string;
}

@InputType('ResolveTopUpInput')
export class ResolveTopUpInput extends ResolutionInput implements ResolveTopUpCommand {
  @Field(() => ID) topUpId: string;
}
