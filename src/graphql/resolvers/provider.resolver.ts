import { IsOptional, ValidateNested } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { MoneyType, toConnection } from '../types/common.type';
import { PlanFilterInput } from '../types/plan-filter.input';
import { PlanConnectionType, PlanType, ProviderOutageType } from '../types/plan.type';
import { ProviderHealthType, ProviderType } from '../types/provider.type';
import { requireAdmin } from '../../domain/account';

@ArgsType()
class ProviderPlansArgs {
  @Field(() => PlanFilterInput, { nullable: true }) @IsOptional() @ValidateNested() filter?: PlanFilterInput | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => ProviderType)
export class ProviderResolver {
  @Query(() => [ProviderType])
  providers(@Ctx() ctx: Context) {
    return ctx.services.providers.list().map(ProviderType.from);
  }

  @Query(() => ProviderType, { nullable: true })
  provider(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const adapter = ctx.services.providers.find(id);
    return adapter && ProviderType.from(adapter);
  }

  @FieldResolver(() => ProviderHealthType)
  health(@Root() provider: ProviderType, @Ctx() ctx: Context) {
    return ctx.services.providers.health(provider.id);
  }

  @FieldResolver(() => MoneyType, {
    nullable: true,
    description:
      'Upstream prepaid balance; admins only (FORBIDDEN otherwise); null when the provider does not expose one.',
  })
  async balance(@Root() provider: ProviderType, @Ctx() ctx: Context) {
    requireAdmin(ctx.viewer);
    const balance = await ctx.loaders.providerBalance.load(provider.id);
    return balance && MoneyType.from(balance);
  }

  @FieldResolver(() => PlanConnectionType)
  async plans(@Root() provider: ProviderType, @Args() args: ProviderPlansArgs, @Ctx() ctx: Context) {
    const result = await ctx.services.catalog.search(ctx.viewer, {
      ...args,
      filter: { ...args.filter, providerIds: [provider.id] },
    });
    return {
      ...toConnection(result, PlanType.from),
      unavailableProviders: result.unavailableProviders.map(ProviderOutageType.from),
    };
  }
}
