import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { SalesGroupBy } from '../../domain/sales-report';
import type { Context } from '../context';
import { SalesSummaryType } from '../types/sales-summary.type';
import { DateTimeScalar } from '../types/scalars';

@Resolver()
export class ReportResolver {
  @Query(() => SalesSummaryType, {
    description: 'Admin only. Sales of orders placed in [from, to), at most 366 days, grouped by groupBy.',
  })
  async salesSummary(
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('groupBy', () => SalesGroupBy) groupBy: SalesGroupBy,
    @Ctx() ctx: Context,
  ) {
    const summary = await ctx.services.salesSummary.summarize(ctx.viewer, from, to, groupBy);
    return SalesSummaryType.from(summary, from, to, groupBy);
  }
}
