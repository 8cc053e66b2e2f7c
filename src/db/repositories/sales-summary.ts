import type { DataSource } from 'typeorm';
import { fromScaledInteger } from '../../domain/money';
import { MULTI_COUNTRY_KEY, type SalesGroupBy, type SalesRange } from '../../domain/sales-report';
import { MONEY_SCALE } from '../columns';

/**
 * One GROUP BY cell of the sales report: the orders of one key, in one wallet currency, whose plan
 * had one wholesale price. The wholesale price is kept as the exact decimal string the plan
 * snapshot holds, so the cost is multiplied out exactly by the caller (SQLite has no exact decimal).
 */
export interface SalesSubtotal {
  readonly key: string;
  readonly currency: string;
  readonly wholesaleAmount: string;
  readonly wholesaleCurrency: string;
  readonly orders: number;
  /** Decimal string: the ledger's net charge for these orders. */
  readonly revenue: string;
  /** Profiles still paid for: the net charge over the unit price, summed. */
  readonly quantity: number;
}

interface Dialect {
  readonly json: (path: string) => string;
  readonly jsonLength: (path: string) => string;
  readonly day: string;
  readonly intDiv: string;
}

// SQLite's json_extract already answers a JSON string as text; MySQL/MariaDB need JSON_UNQUOTE.
const SQLITE: Dialect = {
  json: (path) => `json_extract(o.plan_snapshot, '${path}')`,
  jsonLength: (path) => `json_array_length(o.plan_snapshot, '${path}')`,
  day: `strftime('%Y-%m-%d', o.created_at)`,
  intDiv: '/',
};
const MYSQL: Dialect = {
  json: (path) => `JSON_UNQUOTE(JSON_EXTRACT(o.plan_snapshot, '${path}'))`,
  jsonLength: (path) => `JSON_LENGTH(o.plan_snapshot, '${path}')`,
  // Datetimes are written in UTC (timezone 'Z'), so the stored value's date is the UTC day.
  day: `DATE_FORMAT(o.created_at, '%Y-%m-%d')`,
  intDiv: 'DIV',
};

function keyOf(groupBy: SalesGroupBy, d: Dialect): string {
  switch (groupBy) {
    case 'DAY':
      return d.day;
    case 'PROVIDER':
      return 'o.provider_id';
    case 'ACCOUNT':
      return 'o.account_id';
    case 'COUNTRY':
      return `CASE WHEN ${d.jsonLength('$.countries')} = 1 THEN ${d.json('$.countries[0]')} ELSE '${MULTI_COUNTRY_KEY}' END`;
  }
}

/**
 * The orders placed in [from, to) with a positive net ledger charge, grouped in the database.
 *
 * Net charge = −Σ of the order's ORDER and REFUND ledger rows (whenever written). A top-up's
 * charge also carries its profile's order id but is typed TOP_UP; `top_up_id IS NULL` keeps any
 * top-up refund out too, should one ever name the order. Amounts are BIGINT
 * 1/10 000 units, so every SUM is an integer sum on both engines. Every refund is the unit price
 * times whole profiles (order-flow settle, resolution, cancel), so the integer division that gives
 * the quantity still paid for is exact.
 */
export async function salesSubtotals(
  db: DataSource,
  groupBy: SalesGroupBy,
  range: SalesRange,
): Promise<SalesSubtotal[]> {
  const d = db.options.type === 'better-sqlite3' ? SQLITE : MYSQL;
  const rows: Record<string, string | number | null>[] = await db
    .createQueryBuilder()
    .select(keyOf(groupBy, d), 'k')
    .addSelect('o.currency', 'currency')
    .addSelect(d.json('$.wholesalePrice.amount'), 'wholesale_amount')
    .addSelect(d.json('$.wholesalePrice.currency'), 'wholesale_currency')
    .addSelect('COUNT(*)', 'orders')
    .addSelect('SUM(n.net_units)', 'revenue_units')
    .addSelect(`SUM(n.net_units ${d.intDiv} o.unit_price_units)`, 'quantity')
    .from('esim_order', 'o')
    .innerJoin(
      (sub) =>
        sub
          .select('t.order_id', 'order_id')
          .addSelect('-SUM(t.amount_units)', 'net_units')
          .from('wallet_transaction', 't')
          .innerJoin('esim_order', 'p', 'p.id = t.order_id')
          .where("t.type IN ('ORDER', 'REFUND') AND t.top_up_id IS NULL")
          .andWhere('p.created_at >= :from AND p.created_at < :to')
          .groupBy('t.order_id'),
      'n',
      'n.order_id = o.id',
    )
    .where('n.net_units > 0')
    .setParameters({ from: range.from, to: range.to })
    .groupBy('k')
    .addGroupBy('currency')
    .addGroupBy('wholesale_amount')
    .addGroupBy('wholesale_currency')
    .orderBy('k')
    .addOrderBy('currency')
    .getRawMany();
  // MySQL answers SUM() as a DECIMAL string, SQLite as a number: both are whole numbers.
  return rows.map((r) => ({
    key: String(r.k),
    currency: String(r.currency),
    wholesaleAmount: String(r.wholesale_amount),
    wholesaleCurrency: String(r.wholesale_currency),
    orders: Number(r.orders),
    revenue: fromScaledInteger(String(r.revenue_units ?? 0), MONEY_SCALE),
    quantity: Number(r.quantity),
  }));
}
