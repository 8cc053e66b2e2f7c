import { parsePriceRule } from '../../../src/domain/price-rule-input';
import { PriceBook, priceOf, scopeKey, type PricedRule } from '../../../src/domain/price-rule';

const rule = (scope: Partial<PricedRule>, pricing: { markupPercent?: string; fixedPrice?: string }): PricedRule => ({
  providerId: null,
  country: null,
  planId: null,
  markupPercent: pricing.markupPercent ?? null,
  fixedPrice: pricing.fixedPrice ?? null,
  ...scope,
});

const plan = (id: string, countries: string[], amount = '10.00') => ({
  id,
  providerId: id.split(':')[0],
  countries,
  wholesalePrice: { amount, currency: 'USD' },
});

describe('price rule resolution', () => {
  const book = new PriceBook('10', [
    rule({ providerId: 'esimaccess' }, { markupPercent: '20' }),
    rule({ country: 'FR' }, { markupPercent: '30' }),
    rule({ providerId: 'comium', country: 'FR' }, { fixedPrice: '7.00' }),
    rule({ planId: 'esimaccess:FR-1', providerId: 'esimaccess' }, { fixedPrice: '9.99' }),
  ]);

  it.each([
    ['a plan rule over every other', plan('esimaccess:FR-1', ['FR']), '9.99'],
    ['provider + country over country', plan('comium:FR-2', ['FR']), '7.00'],
    ['a country rule over the provider rule', plan('esimaccess:FR-3', ['FR']), '13.00'],
    ['the provider rule for a plan of another country', plan('esimaccess:DE-1', ['DE']), '12.00'],
    ['the provider rule, not the country rule, for a regional plan', plan('esimaccess:EU', ['DE', 'FR']), '12.00'],
    ['the account markup where nothing matches', plan('esimtrade:EU', ['DE', 'FR']), '11.00'],
    ['a country rule for another provider single-country plan', plan('esimtrade:FR', ['FR']), '13.00'],
  ])('applies %s', (_, p, expected) => {
    expect(priceOf(p, book)).toEqual({ amount: expected, currency: 'USD' });
  });

  it.each([
    ['12.5', '1.00', '1.13'], // 1.125 rounds half-up
    ['0.5', '2.67', '2.68'], // 2.68335
    ['-50', '0.05', '0.03'], // 0.025 rounds half-up
    ['0', '2.675', '2.68'],
  ])('rounds a %s %% markup on %s half-up to %s', (markupPercent, wholesale, expected) => {
    const b = new PriceBook('0', [rule({ country: 'JP' }, { markupPercent })]);
    expect(priceOf(plan('esimaccess:JP', ['JP'], wholesale), b).amount).toBe(expected);
  });

  it('keys scopes so the same scope replaces and different scopes coexist', () => {
    expect(scopeKey({ providerId: 'esimaccess', country: null, planId: 'esimaccess:X' })).toBe('plan:esimaccess:X');
    expect(scopeKey({ providerId: 'comium', country: 'FR', planId: null })).toBe('provider:comium|country:FR');
    expect(scopeKey({ providerId: null, country: 'FR', planId: null })).toBe('country:FR');
  });
});

describe('price rule input', () => {
  const parse = (raw: Record<string, unknown>) => parsePriceRule({ accountId: 'a', ...raw }, 'USD');

  it('normalizes a country, derives the provider of a plan and formats a fixed price', () => {
    expect(parse({ country: 'fra', fixedPrice: '5' })).toMatchObject({ country: 'FR', fixedPrice: '5.00' });
    expect(parse({ planId: 'comium:X1', markupPercent: '5.50' })).toMatchObject({
      providerId: 'comium',
      markupPercent: '5.5',
    });
  });

  it.each([
    [{ markupPercent: '5' }, 'planId'],
    [{ country: 'FR', markupPercent: '5', fixedPrice: '1' }, 'markupPercent'],
    [{ country: 'FR' }, 'markupPercent'],
    [{ country: 'FR', fixedPrice: '1.001' }, 'fixedPrice'],
    [{ country: 'FR', markupPercent: '-100.5' }, 'markupPercent'],
    [{ country: 'ZZ', markupPercent: '1' }, 'country'],
    [{ providerId: 'nope', markupPercent: '1' }, 'providerId'],
    [{ planId: 'comium:X', providerId: 'esimaccess', markupPercent: '1' }, 'providerId'],
    [{ planId: 'comium:X', country: 'FR', markupPercent: '1' }, 'country'],
  ])('refuses %j on %s', (raw, field) => {
    expect(() => parse(raw)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field } }));
  });
});
