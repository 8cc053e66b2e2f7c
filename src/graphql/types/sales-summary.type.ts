import { Field, Int, ObjectType } from 'type-graphql';
import { SalesGroupBy } from '../../domain/sales-report';
import type { SalesFigures, SalesRow, SalesSummary } from '../../services/reports/sales-rows';
import { MoneyType } from './common.type';
import { DateTimeScalar } from './scalars';

// The report's row, totals and envelope are only ever built together, so they share one file.

@ObjectType('SalesTotals', { description: 'Sales figures in one currency; margin = revenue − wholesaleCost.' })
export class SalesTotalsType {
  @Field(() => Int, { description: 'Orders with a positive net charge' })
  orders: number;

  @Field(() => Int, { description: 'Profiles still paid for: ordered, minus those refunded (failed or cancelled)' })
  profiles: number;

  @Field(() => MoneyType, {
    description: 'Net ledger charge: ORDER debits minus their REFUNDs, in the wallet currency',
  })
  revenue: MoneyType;

  @Field(() => MoneyType, {
    description: "The plan's wholesale unit price at order time × profiles, in the same currency",
  })
  wholesaleCost: MoneyType;

  @Field(() => MoneyType)
  margin: MoneyType;

  static from(f: SalesFigures): SalesTotalsType {
    return {
      orders: f.orders,
      profiles: f.profiles,
      revenue: MoneyType.from(f.revenue),
      wholesaleCost: MoneyType.from(f.wholesaleCost),
      margin: MoneyType.from(f.margin),
    };
  }
}

@ObjectType('SalesSummaryRow', { description: 'One group key in one currency' })
export class SalesSummaryRowType extends SalesTotalsType {
  @Field({
    description:
      'DAY: YYYY-MM-DD (UTC) the order was placed; PROVIDER: provider id; ACCOUNT: account id; COUNTRY: ISO 3166-1 alpha-2 code when the plan covers one country, MULTI when it covers several (regional, global)',
  })
  key: string;

  static fromRow(row: SalesRow): SalesSummaryRowType {
    return { key: row.key, ...SalesTotalsType.from(row) };
  }
}

@ObjectType('SalesSummary', {
  description: [
    'Back-office sales of orders placed in [from, to) (admins only). An order counts when its net',
    'ledger charge (its ORDER debit minus its REFUNDs, whenever refunded; top-ups excluded) is',
    'positive: so revenue adds up to the ledger. Wholesale cost is the unit price in the plan',
    "snapshot taken at order time × the profiles still paid for; plans are only ordered in the wallet's",
    'currency, so cost and margin are in the same currency as revenue. Figures are per currency.',
  ].join(' '),
})
export class SalesSummaryType {
  @Field(() => DateTimeScalar)
  from: Date;

  @Field(() => DateTimeScalar)
  to: Date;

  @Field(() => SalesGroupBy)
  groupBy: SalesGroupBy;

  @Field(() => [SalesSummaryRowType], { description: 'Ordered by key, then currency' })
  rows: SalesSummaryRowType[];

  @Field(() => [SalesTotalsType], { description: 'The sum of the rows, one per currency' })
  totals: SalesTotalsType[];

  static from(summary: SalesSummary, from: Date, to: Date, groupBy: SalesGroupBy): SalesSummaryType {
    return {
      from,
      to,
      groupBy,
      rows: summary.rows.map((r) => SalesSummaryRowType.fromRow(r)),
      totals: summary.totals.map((t) => SalesTotalsType.from(t)),
    };
  }
}
