import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { QuoteOrderInput } from '../types/inputs';
import { OrderQuoteType } from '../types/quote.type';

/** quoteOrder: a read, so a Query; the caller's own pricing and wallet, admins included. */
@Resolver(() => OrderQuoteType)
export class QuoteResolver {
  @Query(() => OrderQuoteType, {
    description: 'What placeOrder would charge and whether it could be served now. Moves no money, writes nothing',
  })
  async quoteOrder(@Arg('input', () => QuoteOrderInput) input: QuoteOrderInput, @Ctx() ctx: Context) {
    return OrderQuoteType.from(await ctx.services.quotes.quote(ctx.viewer, input));
  }
}
