import { Field, ID, InputType, Int } from 'type-graphql';
import { AccountRoleEnum, OrderStatusEnum } from './enums';
import { DateTimeScalar, DecimalScalar } from './scalars';

// Inputs of the ordering and account mutations, as the contract types them.

@InputType('OrderFilter')
export class OrderFilterInput {
  @Field(() => OrderStatusEnum, { nullable: true }) status?: OrderStatusEnum | null;
  @Field(() => ID, { nullable: true }) providerId?: string | null;
  @Field(() => String, { nullable: true }) reference?: string | null;
  @Field(() => String, { nullable: true }) iccid?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdAfter?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdBefore?: Date | null;
}

@InputType('CustomerInput')
export class CustomerInput {
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType('PlaceOrderInput')
export class PlaceOrderInput {
  @Field(() => ID) planId: string;
  @Field(() => Int, { nullable: true }) quantity?: number | null;
  @Field(() => String, { nullable: true }) reference?: string | null;
  @Field(() => CustomerInput, { nullable: true }) customer?: CustomerInput | null;
  @Field({ description: 'Required. Same key and same input returns the first result; same key with other input fails with IDEMPOTENCY_KEY_REUSED.' })
  idempotencyKey: string;
}

@InputType('TopUpInput')
export class TopUpInput {
  @Field() iccid: string;
  @Field(() => ID) planId: string;
  @Field() idempotencyKey: string;
}

@InputType('CreateAccountInput')
export class CreateAccountInput {
  @Field() name: string;
  @Field(() => AccountRoleEnum, { nullable: true }) role?: AccountRoleEnum | null;
  @Field(() => DecimalScalar, { nullable: true }) markupPercent?: string | null;
}

@InputType('CreditWalletInput')
export class CreditWalletInput {
  @Field(() => ID) accountId: string;
  @Field(() => DecimalScalar) amount: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field() idempotencyKey: string;
}
