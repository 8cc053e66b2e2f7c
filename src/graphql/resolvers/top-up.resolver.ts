import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pricedAt } from '../../services/catalog/catalog-index';
import { planOfSnapshot } from '../../services/ordering/records';
import type { Context } from '../context';
import { ResolveTopUpInput, TopUpInput } from '../types/inputs';
import { ProfileType, TopUpType } from '../types/ordering.type';
import { OrderedPlanType, PlanType } from '../types/plan.type';
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

  @Mutation(() => TopUpType, {
    description:
      'Admin only: settles a top-up the provider left unclear (see attention). REFUND fails it and refunds it once; RETRY_LOOKUP asks the provider now',
  })
  async resolveTopUp(@Arg('input', () => ResolveTopUpInput) input: ResolveTopUpInput, @Ctx() ctx: Context) {
    return TopUpType.from(await ctx.services.topUps.resolve(ctx.viewer, input));
  }

  @FieldResolver(() => ProfileType)
  async profile(@Root() topUp: TopUpType, @Ctx() ctx: Context) {
    return ProfileType.from((await ctx.loaders.profile.load(topUp.source.profileId))!);
  }

  @FieldResolver(() => ProviderFailureType, {
    nullable: true,
    description:
      "The provider's own code and words for the failure. Admins only: null for any other caller, and null when nothing failed",
  })
  providerFailure(@Root() topUp: TopUpType, @Ctx() ctx: Context) {
    return ProviderFailureType.visibleTo(ctx.viewer, topUp.source);
  }

  /**
   * The catalog plan when the catalog lists it (priced for the caller now). Top-up plans are mostly
   * listed per profile instead, and the contract wants a plan here: then the plan as bought, under
   * an id of its own, so a client cache never mistakes the price paid for a catalog price.
   */
  @FieldResolver(() => PlanType)
  async plan(@Root() topUp: TopUpType, @Ctx() ctx: Context) {
    // A catalog that cannot be read now must not fail a top-up that was bought: the plan as bought answers.
    const priced = await ctx.loaders.plan.load(topUp.source.planId).catch(() => null);
    if (priced) return PlanType.from(priced);
    const bought = PlanType.from(
      pricedAt(planOfSnapshot(topUp.source.planSnapshot), {
        amount: topUp.source.total,
        currency: topUp.source.currency,
      }),
    );
    return { ...bought, id: `${bought.id}@${topUp.source.id}` };
  }

  @FieldResolver(() => OrderedPlanType)
  orderedPlan(@Root() topUp: TopUpType) {
    return OrderedPlanType.from(planOfSnapshot(topUp.source.planSnapshot), {
      amount: topUp.source.total,
      currency: topUp.source.currency,
    });
  }
}
