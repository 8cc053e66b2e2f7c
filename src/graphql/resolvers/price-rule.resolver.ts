import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { SetPriceRuleInput } from '../types/inputs';
import { PriceRuleType } from '../types/price-rule.type';

@Resolver(() => PriceRuleType)
export class PriceRuleResolver {
  @Mutation(() => PriceRuleType, {
    description:
      'Admin only. Sets the price rule of a scope for an account (replacing the one it had); prices change at the next request. A rule selling below wholesale needs allowLoss.',
  })
  async setPriceRule(@Arg('input', () => SetPriceRuleInput) input: SetPriceRuleInput, @Ctx() ctx: Context) {
    return PriceRuleType.from(await ctx.services.priceRules.set(ctx.viewer, input));
  }

  @Mutation(() => PriceRuleType, { description: "Admin only. The rule's plans go back to the next rule or the markup" })
  async deletePriceRule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return PriceRuleType.from(await ctx.services.priceRules.delete(ctx.viewer, id));
  }
}
