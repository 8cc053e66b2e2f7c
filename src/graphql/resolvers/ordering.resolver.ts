import { Arg, Args, ArgsType, Field, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { NotSupportedError } from '../../domain/errors';
import { WalletType } from '../types/account.type';
import { CreditWalletInput, OrderFilterInput, PlaceOrderInput, TopUpInput } from '../types/inputs';
import { OrderConnectionType, OrderType, ProfileConnectionType, ProfileType, TopUpType } from '../types/ordering.type';
import { PlanType } from '../types/plan.type';

@ArgsType()
class OrdersArgs {
  @Field(() => OrderFilterInput, { nullable: true }) filter?: OrderFilterInput | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

/**
 * The ordering, wallet-movement and profile-lifecycle surface of the contract. The ledger and the
 * exactly-once order flow land in the next release; until then every operation here answers
 * NOT_SUPPORTED, before touching any provider or money, rather than pretending.
 */
function unavailable(): never {
  throw new NotSupportedError('Ordering, top-ups, wallet credits and profile lifecycle are not available in this release of the gateway yet.');
}

@Resolver()
export class OrderingResolver {
  @Query(() => OrderConnectionType) orders(@Args() _args: OrdersArgs): OrderConnectionType { return unavailable(); }
  @Query(() => OrderType, { nullable: true }) order(@Arg('id', () => ID) _id: string): OrderType { return unavailable(); }
  @Query(() => ProfileConnectionType) profiles(@Args() _args: PageArgs): ProfileConnectionType { return unavailable(); }
  @Query(() => ProfileType, { nullable: true }) profile(@Arg('iccid') _iccid: string): ProfileType { return unavailable(); }
  @Query(() => [PlanType]) topUpOptions(@Arg('iccid') _iccid: string): PlanType[] { return unavailable(); }

  @Mutation(() => OrderType) placeOrder(@Arg('input', () => PlaceOrderInput) _input: PlaceOrderInput): OrderType { return unavailable(); }
  @Mutation(() => TopUpType) topUpProfile(@Arg('input', () => TopUpInput) _input: TopUpInput): TopUpType { return unavailable(); }
  @Mutation(() => OrderType) cancelOrder(@Arg('id', () => ID) _id: string): OrderType { return unavailable(); }
  @Mutation(() => ProfileType) suspendProfile(@Arg('iccid') _iccid: string): ProfileType { return unavailable(); }
  @Mutation(() => ProfileType) resumeProfile(@Arg('iccid') _iccid: string): ProfileType { return unavailable(); }
  @Mutation(() => ProfileType) revokeProfile(@Arg('iccid') _iccid: string): ProfileType { return unavailable(); }
  @Mutation(() => Boolean) sendSms(@Arg('iccid') _iccid: string, @Arg('message') _message: string): boolean { return unavailable(); }
  @Mutation(() => ProfileType) refreshUsage(@Arg('iccid') _iccid: string): ProfileType { return unavailable(); }
  @Mutation(() => WalletType, { description: 'Admin only' }) creditWallet(@Arg('input', () => CreditWalletInput) _input: CreditWalletInput): WalletType { return unavailable(); }
}
