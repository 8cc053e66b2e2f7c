import { IsOptional, ValidateNested } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { PlanFilterInput } from '../types/plan-filter.input';
import { NetworkType, PlanConnectionType, PlanType, ProviderOutageType } from '../types/plan.type';
import { ProviderType } from '../types/provider.type';
import { toConnection } from '../types/common.type';
import { countryByAlpha2 } from '../../domain/countries';
import { CustomerField } from '../../domain/device';
import { PlanSort } from '../../domain/plan';

@ArgsType()
export class PlansArgs {
  @Field(() => PlanFilterInput, { nullable: true }) @IsOptional() @ValidateNested() filter?: PlanFilterInput | null;
  @Field(() => PlanSort, { nullable: true }) sort?: PlanSort | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => PlanType)
export class PlanResolver {
  @Query(() => PlanConnectionType, { description: 'Plans of every enabled provider, normalized and merged' })
  async plans(@Args() args: PlansArgs, @Ctx() ctx: Context) {
    const result = await ctx.services.catalog.search(ctx.viewer, args);
    return {
      ...toConnection(result, PlanType.from),
      unavailableProviders: result.unavailableProviders.map(ProviderOutageType.from),
    };
  }

  @Query(() => PlanType, { nullable: true })
  async plan(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const priced = await ctx.loaders.plan.load(id);
    return priced && PlanType.from(priced);
  }

  @FieldResolver(() => ProviderType)
  provider(@Root() plan: PlanType, @Ctx() ctx: Context) {
    return ProviderType.from(ctx.services.providers.find(plan.source.providerId)!);
  }

  @FieldResolver(() => [CustomerField], {
    description: "Customer details placeOrder needs for this plan (its provider's customerFields)",
  })
  customerFields(@Root() plan: PlanType, @Ctx() ctx: Context) {
    return [...(ctx.services.providers.find(plan.source.providerId)?.customerFields ?? [])];
  }

  @FieldResolver(() => [NetworkType])
  async networks(@Root() plan: PlanType, @Ctx() ctx: Context) {
    const networks = await ctx.loaders.networks.load(plan.source);
    return networks.map((n) => ({ country: countryByAlpha2(n.country)!, operator: n.operator, speed: n.speed }));
  }
}

@Resolver(() => ProviderOutageType)
export class ProviderOutageResolver {
  @FieldResolver(() => ProviderType)
  provider(@Root() outage: ProviderOutageType, @Ctx() ctx: Context) {
    return ProviderType.from(ctx.services.providers.find(outage.providerId)!);
  }
}
