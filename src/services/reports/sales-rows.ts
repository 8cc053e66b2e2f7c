import { addDecimal, money, multiplyDecimal, subtractDecimal, type Money } from '../../domain/money';
import type { SalesSubtotal } from '../../db/repositories/sales-summary';

/** One key's figures in one currency; `margin` = `revenue` − `wholesaleCost`. */
export interface SalesFigures {
  readonly orders: number;
  readonly profiles: number;
  readonly revenue: Money;
  readonly wholesaleCost: Money;
  readonly margin: Money;
}

export interface SalesRow extends SalesFigures {
  readonly key: string;
}

export interface SalesSummary {
  /** Ordered by key, then currency. */
  readonly rows: readonly SalesRow[];
  /** One per currency, ordered by currency. */
  readonly totals: readonly SalesFigures[];
}

interface Acc {
  orders: number;
  profiles: number;
  revenue: string;
  cost: string;
}

/**
 * Folds the database's subtotals (one per wholesale price) into rows and per-currency totals with
 * exact decimal arithmetic. A plan priced in another currency than the wallet's is never ordered
 * (OrderService.placeOrder refuses it: no FX source), so a mismatch means that rule changed and
 * this report must learn conversion: it fails rather than add two currencies.
 */
export function foldSales(subtotals: readonly SalesSubtotal[]): SalesSummary {
  const rows = new Map<string, Acc & { key: string; currency: string }>();
  const totals = new Map<string, Acc>();
  for (const s of subtotals) {
    if (s.wholesaleCurrency !== s.currency)
      throw new Error(`order in ${s.currency} priced wholesale in ${s.wholesaleCurrency}: no conversion rule`);
    const cost = multiplyDecimal(s.wholesaleAmount, s.quantity);
    const id = JSON.stringify([s.key, s.currency]);
    const row = rows.get(id) ?? { key: s.key, currency: s.currency, ...empty() };
    rows.set(id, add(row, s, cost));
    totals.set(s.currency, add(totals.get(s.currency) ?? empty(), s, cost));
  }
  return {
    rows: [...rows.values()]
      .sort((a, b) => compare(a.key, b.key) || compare(a.currency, b.currency))
      .map((r) => ({
        key: r.key,
        ...figures(r, r.currency),
      })),
    totals: [...totals.entries()].sort(([a], [b]) => compare(a, b)).map(([currency, t]) => figures(t, currency)),
  };
}

function empty(): Acc {
  return { orders: 0, profiles: 0, revenue: '0', cost: '0' };
}

function add<T extends Acc>(acc: T, s: SalesSubtotal, cost: string): T {
  acc.orders += s.orders;
  acc.profiles += s.quantity;
  acc.revenue = addDecimal(acc.revenue, s.revenue);
  acc.cost = addDecimal(acc.cost, cost);
  return acc;
}

function figures(acc: Acc, currency: string): SalesFigures {
  return {
    orders: acc.orders,
    profiles: acc.profiles,
    revenue: money(acc.revenue, currency),
    wholesaleCost: money(acc.cost, currency),
    margin: money(subtractDecimal(acc.revenue, acc.cost), currency),
  };
}

/** Code-unit order, the same on every engine and locale (keys are ids, ISO codes and dates). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
