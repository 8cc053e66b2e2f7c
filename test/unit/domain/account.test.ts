import { isMarkupPercent, parseAccountName, parseMarkupPercent } from '../../../src/domain/account';
import { isCountryCode } from '../../../src/domain/countries';

describe('account input', () => {
  it.each([
    ['0', '0'],
    ['20', '20'],
    [' 12.5000 ', '12.5'],
    ['1000', '1000'],
    ['0.0001', '0.0001'],
  ])('accepts a markup of %p as %p', (value, normalized) => {
    expect(isMarkupPercent(value)).toBe(true);
    expect(parseMarkupPercent(value)).toBe(normalized);
  });

  it.each(['-1', '-0.0001', '1000.0001', '1.00001', '1e3', 'ten', ''])('refuses a markup of %p', (value) => {
    expect(isMarkupPercent(value)).toBe(false);
    expect(() => parseMarkupPercent(value)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'markupPercent' } }),
    );
  });

  it('trims names and refuses blank, over-long or unprintable ones', () => {
    expect(parseAccountName('  Acme Travel  ')).toBe('Acme Travel');
    for (const name of ['', '   ', 'n'.repeat(201), 'Acme\u0085', 'Acme\u0000'])
      expect(() => parseAccountName(name)).toThrow(expect.objectContaining({ details: { field: 'name' } }));
  });
});

describe('country codes', () => {
  it.each(['FR', 'fr', 'FRA', ' fra ', 'XK'])('knows %p', (code) => expect(isCountryCode(code)).toBe(true));
  it.each(['ZZ', 'F', 'FRAN', 'XXX', '', 'F1', 42])('refuses %p', (code) => expect(isCountryCode(code)).toBe(false));
});
