import { BYTES_PER_GB } from '../../../src/domain/data-units';
import { mapBalance, mapPlan, mapPlans } from '../../../src/providers/esimtrade/esimtrade.mapper';
import balanceRaw from '../../fixtures/providers/esimtrade/balance.raw.json';
import expected from '../../fixtures/providers/esimtrade/plans-page.expected.json';
import page from '../../fixtures/providers/esimtrade/plans-page.raw.json';

const { plans, skipped } = mapPlans(page.data);
const plan = (code: string) => plans.find((p) => p.code === code);
const base = page.data[0] as Record<string, unknown>;

describe('eSIMTrade mapper', () => {
  it('normalizes a raw plans page into the expected catalog plans', () => {
    expect(plans).toEqual(expected.plans);
  });

  describe('data units', () => {
    it('counts GB as 1024^3 bytes', () => {
      expect(plan('fr-5gb-30d')?.dataBytes).toBe(5 * BYTES_PER_GB);
      expect(plan('es-1-5gb-15d')?.dataBytes).toBe(1_610_612_736);
    });

    it('counts MB as 1024^2 bytes, so 1024 MB is exactly 1 GB', () => {
      expect(plan('de-512mb-7d')?.dataBytes).toBe(536_870_912);
      expect(plan('global-1gb-30d')?.dataBytes).toBe(BYTES_PER_GB);
      expect(plan('europe-10gb-30d')?.dataBytes).toBe(10 * BYTES_PER_GB);
    });

    it('accepts a numeric string amount as the same number of bytes', () => {
      expect(mapPlan({ ...base, data: { amount: '5', unit: 'GB' } })?.dataBytes).toBe(5 * BYTES_PER_GB);
    });
  });

  describe('money', () => {
    it('keeps decimal-string prices exact, without rounding', () => {
      expect(plan('fr-5gb-30d')?.wholesalePrice).toEqual({ amount: '4.99', currency: 'USD' });
      expect(plan('es-1-5gb-15d')?.wholesalePrice).toEqual({ amount: '2.675', currency: 'USD' });
      expect(plan('europe-10gb-30d')?.wholesalePrice.amount).toBe('13.2');
    });

    it('reads a JSON-number price through its shortest decimal representation', () => {
      expect(plan('it-unl-10d')?.wholesalePrice).toEqual({ amount: '12.5', currency: 'USD' });
      expect(mapPlan({ ...base, price: { amount: 4.05, currency: 'USD' } })?.wholesalePrice.amount).toBe('4.05');
    });

    it('refuses a price with more precision than a money amount holds, rather than rounding it', () => {
      expect(mapPlan({ ...base, price: { amount: 0.1 + 0.2, currency: 'USD' } })).toBeNull();
    });

    it('reads the wallet balance as an exact decimal string', () => {
      expect(mapBalance(balanceRaw.data)).toEqual({ amount: '1234.5', currency: 'USD' });
      expect(mapBalance({ balance: 'lots', currency: 'USD' })).toBeNull();
      expect(mapBalance({ balance: '10.00', currency: 'dollars' })).toBeNull();
    });
  });

  describe('countries and coverage', () => {
    it('gives sorted, unique, upper-case alpha-2 codes', () => {
      expect(plan('de-512mb-7d')?.countries).toEqual(['DE']);
      expect(plan('europe-10gb-30d')?.countries).toEqual(['DE', 'ES', 'FR']);
      expect(plan('global-1gb-30d')?.countries).toEqual(['GB', 'JP', 'US']);
    });

    it('maps local, regional and global to COUNTRY, REGION and GLOBAL with their region names', () => {
      expect(plans.map((p) => [p.code, p.coverage, p.regionName])).toEqual([
        ['fr-5gb-30d', 'COUNTRY', null],
        ['de-512mb-7d', 'COUNTRY', null],
        ['es-1-5gb-15d', 'COUNTRY', null],
        ['it-unl-10d', 'COUNTRY', null],
        ['europe-10gb-30d', 'REGION', 'Europe'],
        ['global-1gb-30d', 'GLOBAL', 'Global'],
      ]);
    });

    it("keeps only operators of the plan's own, known countries", () => {
      expect(plan('europe-10gb-30d')?.networks).toEqual([{ country: 'DE', operator: 'Vodafone', speed: '5G' }]);
      expect(plan('de-512mb-7d')?.networks).toEqual([{ country: 'DE', operator: 'Telekom', speed: null }]);
    });
  });

  describe('unlimited and day passes', () => {
    it('gives null bytes for an unlimited plan', () => {
      expect(plan('it-unl-10d')?.dataBytes).toBeNull();
    });

    it('never marks a plan as a day pass, since eSIMTrade sells none', () => {
      expect(plans.every((p) => p.dayPass === false)).toBe(true);
    });

    it('reads top-up support only from an explicit true', () => {
      expect(plans.map((p) => p.topUpSupported)).toEqual([true, false, true, true, true, false]);
    });
  });

  describe('malformed entries', () => {
    it('skips and reports every entry it cannot normalize instead of guessing', () => {
      expect(skipped).toEqual(expected.skipped);
      expect(plans).toHaveLength(page.data.length - expected.skipped.length);
    });

    it.each([
      ['an unknown country code', { countries: [{ code: 'XX' }] }],
      ['an alpha-3 country code', { countries: [{ code: 'FRA' }] }],
      ['no countries', { countries: [] }],
      ['an unknown data unit', { data: { amount: 5, unit: 'TB' } }],
      ['a negative data amount', { data: { amount: -1, unit: 'GB' } }],
      ['a malformed price', { price: { amount: '4,99', currency: 'USD' } }],
      ['a zero price', { price: { amount: '0', currency: 'USD' } }],
      ['a price without a currency', { price: { amount: '4.99' } }],
      ['an unknown plan type', { type: 'cruise' }],
      ['a fractional validity', { validity_days: 1.5 }],
      ['an empty name', { name: ' ' }],
    ])('returns null for a plan with %s', (_what, patch) => {
      expect(mapPlan({ ...base, ...patch })).toBeNull();
    });

    it('returns null for something that is not a plan object', () => {
      expect(mapPlan(null)).toBeNull();
      expect(mapPlan(['fr-5gb-30d'])).toBeNull();
    });
  });
});
