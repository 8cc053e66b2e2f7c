import { chains, type LedgerRow } from '../../../bench/soak';

const row = (amount: number, after: number): LedgerRow => ({
  wallet_id: 'w',
  type: 'X',
  amount_units: String(amount),
  balance_after_units: String(after),
  order_id: null,
});

describe('the soak’s ledger chain check', () => {
  it('accepts movements that chain from zero in some order, balances revisited included', () => {
    // 0 → 100 → 95 → 100 → 95 → 90, listed out of order.
    expect(chains([row(-5, 95), row(100, 100), row(-5, 90), row(5, 100), row(-5, 95)])).toBe(true);
    expect(chains([])).toBe(true);
  });

  it('refuses a balanceAfter that is not the previous one plus its amount', () => {
    expect(chains([row(100, 100), row(-5, 96)])).toBe(false);
    expect(chains([row(100, 100), row(-5, 95), row(-5, 95)])).toBe(false); // the same step twice
    expect(chains([row(100, 100), row(7, 50)])).toBe(false); // an island off the path
  });
});
