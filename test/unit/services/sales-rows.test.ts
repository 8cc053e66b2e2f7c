import type { SalesSubtotal } from '../../../src/db/repositories/sales-summary';
import { foldSales } from '../../../src/services/reports/sales-rows';

const sub = (over: Partial<SalesSubtotal>): SalesSubtotal => ({
  key: 'esimaccess',
  currency: 'USD',
  wholesaleAmount: '0.1',
  wholesaleCurrency: 'USD',
  orders: 1,
  revenue: '0.2',
  quantity: 1,
  ...over,
});

describe('foldSales', () => {
  it('adds the wholesale price subtotals of one key exactly (no binary float drift)', () => {
    const { rows, totals } = foldSales([
      sub({ wholesaleAmount: '0.1', quantity: 3, orders: 2, revenue: '0.3' }),
      sub({ wholesaleAmount: '0.2', quantity: 1, revenue: '0.3' }),
    ]);
    expect(rows).toEqual([
      {
        key: 'esimaccess',
        orders: 3,
        profiles: 4,
        revenue: { amount: '0.6', currency: 'USD' },
        wholesaleCost: { amount: '0.5', currency: 'USD' },
        margin: { amount: '0.1', currency: 'USD' },
      },
    ]);
    expect(totals).toEqual([
      {
        orders: 3,
        profiles: 4,
        revenue: rows[0].revenue,
        wholesaleCost: rows[0].wholesaleCost,
        margin: rows[0].margin,
      },
    ]);
  });

  it('orders rows by key then currency, with one total per currency', () => {
    const { rows, totals } = foldSales([
      sub({ key: 'b', currency: 'USD', wholesaleCurrency: 'USD' }),
      sub({ key: 'a', currency: 'USD', wholesaleCurrency: 'USD' }),
      sub({ key: 'a', currency: 'EUR', wholesaleCurrency: 'EUR' }),
    ]);
    expect(rows.map((r) => [r.key, r.revenue.currency])).toEqual([
      ['a', 'EUR'],
      ['a', 'USD'],
      ['b', 'USD'],
    ]);
    expect(totals.map((t) => [t.revenue.currency, t.orders, t.revenue.amount])).toEqual([
      ['EUR', 1, '0.2'],
      ['USD', 2, '0.4'],
    ]);
  });

  it('refuses to add a wholesale cost in another currency than the revenue', () => {
    expect(() => foldSales([sub({ wholesaleCurrency: 'EUR' })])).toThrow(/no conversion rule/);
  });

  it('answers nothing for no orders', () => {
    expect(foldSales([])).toEqual({ rows: [], totals: [] });
  });
});
