import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { toConnection } from '../types/common.type';
import { OrderType, ProfileConnectionType, ProfileType, TopUpType, UsageType } from '../types/ordering.type';
import { PlanType } from '../types/plan.type';
import { ProviderType } from '../types/provider.type';

@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

/** Profiles and their lifecycle: capability checks and upstream calls live in ProfileService. */
@Resolver(() => ProfileType)
export class ProfileResolver {
  @Query(() => ProfileConnectionType)
  async profiles(@Args() { first, after }: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await ctx.services.orderQueries.profiles(ctx.viewer, first, after), ProfileType.from);
  }

  @Query(() => ProfileType, { nullable: true })
  async profile(@Arg('iccid') iccid: string, @Ctx() ctx: Context) {
    return ProfileType.from(await ctx.services.profiles.visibleProfile(ctx.viewer, iccid));
  }

  @Mutation(() => ProfileType)
  async suspendProfile(@Arg('iccid') iccid: string, @Ctx() ctx: Context) {
    return ProfileType.from(await ctx.services.profiles.lifecycle(ctx.viewer, iccid, 'SUSPEND'));
  }

  @Mutation(() => ProfileType)
  async resumeProfile(@Arg('iccid') iccid: string, @Ctx() ctx: Context) {
    return ProfileType.from(await ctx.services.profiles.lifecycle(ctx.viewer, iccid, 'RESUME'));
  }

  @Mutation(() => ProfileType)
  async revokeProfile(@Arg('iccid') iccid: string, @Ctx() ctx: Context) {
    return ProfileType.from(await ctx.services.profiles.lifecycle(ctx.viewer, iccid, 'REVOKE'));
  }

  @Mutation(() => Boolean)
  sendSms(@Arg('iccid') iccid: string, @Arg('message') message: string, @Ctx() ctx: Context) {
    return ctx.services.profiles.sendSms(ctx.viewer, iccid, message);
  }

  @Mutation(() => ProfileType)
  async refreshUsage(@Arg('iccid') iccid: string, @Ctx() ctx: Context) {
    return ProfileType.from(await ctx.services.profiles.refreshUsage(ctx.viewer, iccid));
  }

  @FieldResolver(() => ProviderType)
  provider(@Root() profile: ProfileType, @Ctx() ctx: Context) {
    return ProviderType.from(ctx.services.providers.find(profile.source.providerId)!);
  }

  @FieldResolver(() => UsageType, { nullable: true })
  async usage(@Root() profile: ProfileType, @Ctx() ctx: Context) {
    const reading = await ctx.loaders.usage.load(profile.source);
    return reading && UsageType.from(reading, profile.source);
  }

  @FieldResolver(() => OrderType)
  async order(@Root() profile: ProfileType, @Ctx() ctx: Context) {
    return OrderType.from((await ctx.loaders.order.load(profile.source.orderId))!);
  }

  @FieldResolver(() => [TopUpType])
  async topUps(@Root() profile: ProfileType, @Ctx() ctx: Context) {
    return (await ctx.loaders.topUpsOfProfile.load(profile.source.id)).map(TopUpType.from);
  }

  @FieldResolver(() => [PlanType])
  async topUpOptions(@Root() profile: ProfileType, @Ctx() ctx: Context) {
    return (await ctx.services.topUps.options(ctx.viewer, profile.iccid)).map(PlanType.from);
  }
}
