import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pricedAt } from '../../services/catalog/catalog-index';
import { planOfSnapshot } from '../../services/ordering/records';
import type { Context } from '../context';
import { ResolveTopUpInput, TopUpInput } from '../types/inputs';
import { ProfileType, TopUpType } from '../types/ordering.type';
import { PlanType } from '../types/plan.type';
import { ProviderFailureType } from '../types/provider-failure.type';

@Resolver(() => TopUpType)
export class TopUpResolver {
  @Query(() => [PlanType])
  async topUpOptions(@Arg('iccid') iccid: string, @Ctx() ctx: Context) {
    return (await ctx.services.topUps.options(ctx.viewer, iccid)).map(PlanType.from);
  }

  @Mutation(() => TopUpType)
  async topUpProfile(@Arg('input', () => TopUpInput) input: TopUpInput, @Ctx() ctx: Context) {
    return TopUpType.from(await ctx.services.topUps.topUp(ctx.viewer, input));
  }

  @Mutation(() => TopUpType, { description: 'Admin only: settles a top-up the provider left unclear (see attention). REFUND fails it and refunds it once; RETRY_LOOKUP asks the provider now' })
  async resolveTopUp(@Arg('input', () => ResolveTopUpInput) input: ResolveTopUpInput, @Ctx() ctx: Context) {
    return TopUpType.from(await ctx.services.topUps.resolve(ctx.viewer, input));
  }

  @FieldResolver(() => ProfileType)
  async profile(@Root() topUp: TopUpType, @Ctx() ctx: Context) {
    return ProfileType.from((await ctx.loaders.profile.load(topUp.source.profileId))!);
  }

  @FieldResolver(() => ProviderFailureType, { nullable: true, description: "The provider's own code and words for the failure. Admins only: null for any other caller, and null when nothing failed" })
  providerFailure(@Root() topUp: TopUpType, @Ctx() ctx: Context) {
    return ProviderFailureType.visibleTo(ctx.viewer, topUp.source);
  }

  /** The top-up plan as charged: its snapshot, priced at what the account paid. */
  @FieldResolver(() => PlanType)
  plan(@Root() topUp: TopUpType) {
    return PlanType.from(pricedAt(planOfSnapshot(topUp.source.planSnapshot), { amount: topUp.source.total, currency: topUp.source.currency }));
  }
}
