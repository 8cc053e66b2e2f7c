import { IsOptional, ValidateNested } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { planOfSnapshot } from '../../services/ordering/records';
import type { Context } from '../context';
import { AccountType } from '../types/account.type';
import { toConnection } from '../types/common.type';
import { OrderFilterInput, PlaceOrderInput, ResolveOrderInput } from '../types/inputs';
import { OrderConnectionType, OrderFailoverType, OrderType, ProfileType } from '../types/ordering.type';
import { OrderedPlanType, PlanType } from '../types/plan.type';
import { ProviderFailureType } from '../types/provider-failure.type';
import { ProviderType } from '../types/provider.type';

@ArgsType()
class OrdersArgs {
  @Field(() => OrderFilterInput, { nullable: true }) @IsOptional() @ValidateNested() filter?: OrderFilterInput | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

/** Orders: thin calls into the ordering services; a reseller only ever reaches its own rows. */
@Resolver(() => OrderType)
export class OrderResolver {
  @Query(() => OrderConnectionType)
  async orders(@Args() { filter, first, after }: OrdersArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.orderQueries.orders(ctx.viewer, { ...filter }, first, after);
    return toConnection(page, OrderType.from);
  }

  @Query(() => OrderType, { nullable: true })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return OrderType.from(await ctx.services.orders.visibleOrder(ctx.viewer, id));
  }

  @Mutation(() => OrderType)
  async placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() ctx: Context) {
    return OrderType.from(await ctx.services.orders.placeOrder(ctx.viewer, input));
  }

  @Mutation(() => OrderType)
  async cancelOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return OrderType.from(await ctx.services.orders.cancelOrder(ctx.viewer, id));
  }

  @Mutation(() => OrderType, { description: 'Admin only' })
  async resolveOrder(@Arg('input', () => ResolveOrderInput) input: ResolveOrderInput, @Ctx() ctx: Context) {
    return OrderType.from(await ctx.services.orderResolution.resolve(ctx.viewer, input));
  }

  /** A reseller only ever reaches its own orders, so it only ever meets its own account here. */
  @FieldResolver(() => AccountType, { description: 'The account that placed the order' })
  async account(@Root() order: OrderType, @Ctx() ctx: Context) {
    return AccountType.from((await ctx.loaders.account.load(order.source.accountId))!);
  }

  @FieldResolver(() => ProviderType)
  provider(@Root() order: OrderType, @Ctx() ctx: Context) {
    return ProviderType.from(ctx.services.providers.find(order.source.providerId)!);
  }

  /** The catalog plan now, through the request's plan loader: one catalog read for a page of orders. */
  @FieldResolver(() => PlanType, { nullable: true })
  async plan(@Root() order: OrderType, @Ctx() ctx: Context) {
    const priced = await ctx.loaders.plan.load(order.source.planId);
    return priced && PlanType.from(priced);
  }

  @FieldResolver(() => OrderedPlanType)
  orderedPlan(@Root() order: OrderType) {
    return OrderedPlanType.from(planOfSnapshot(order.source.planSnapshot), {
      amount: order.source.unitPrice,
      currency: order.source.currency,
    });
  }

  @FieldResolver(() => OrderedPlanType, {
    description: 'The plan the order asked for, at the price charged; the same as orderedPlan unless it failed over',
  })
  requestedPlan(@Root() order: OrderType) {
    return OrderedPlanType.from(planOfSnapshot(order.source.requestedPlanSnapshot ?? order.source.planSnapshot), {
      amount: order.source.unitPrice,
      currency: order.source.currency,
    });
  }

  @FieldResolver(() => ProviderFailureType, {
    nullable: true,
    description:
      "The provider's own code and words for the failure. Admins only: null for any other caller, and null when nothing failed",
  })
  providerFailure(@Root() order: OrderType, @Ctx() ctx: Context) {
    return ProviderFailureType.visibleTo(ctx.viewer, order.source);
  }

  @FieldResolver(() => [ProfileType])
  async profiles(@Root() order: OrderType, @Ctx() ctx: Context) {
    return (await ctx.loaders.profilesOfOrder.load(order.source.id)).map(ProfileType.from);
  }
}

@Resolver(() => OrderFailoverType)
export class OrderFailoverResolver {
  @FieldResolver(() => ProviderType, { description: 'The provider the order asked for and left' })
  from(@Root() failover: OrderFailoverType, @Ctx() ctx: Context) {
    return ProviderType.from(ctx.services.providers.find(failover.fromProviderId)!);
  }
}
