import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';

countries.registerLocale(en);

/** A country as the contract shows it. */
export interface Country {
  readonly code: string;
  readonly alpha3: string;
  readonly name: string;
}

const byAlpha2 = new Map<string, Country>();
for (const code of Object.keys(countries.getAlpha2Codes())) {
  const alpha3 = countries.alpha2ToAlpha3(code);
  const name = countries.getName(code, 'en', { select: 'alias' }) ?? countries.getName(code, 'en');
  if (alpha3 && name) byAlpha2.set(code, Object.freeze({ code, alpha3, name }));
}
// Kosovo has a user-assigned code that eSIM catalogs use; ISO has none.
byAlpha2.set('XK', Object.freeze({ code: 'XK', alpha3: 'XKX', name: 'Kosovo' }));
const byAlpha3 = new Map([...byAlpha2.values()].map((c) => [c.alpha3, c]));

/** Looks a country up by ISO 3166-1 alpha-2 or alpha-3 code, case-insensitively. */
export function findCountry(code: string): Country | undefined {
  const upper = code.trim().toUpperCase();
  return upper.length === 2 ? byAlpha2.get(upper) : upper.length === 3 ? byAlpha3.get(upper) : undefined;
}

/** An ISO 3166-1 alpha-2 or alpha-3 code we know, in any case, surrounding spaces ignored. */
export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && findCountry(value) !== undefined;
}

export function countryByAlpha2(code: string): Country | undefined {
  return byAlpha2.get(code.toUpperCase());
}

export function alpha3ToAlpha2(code: string): string | undefined {
  return byAlpha3.get(code.toUpperCase())?.code;
}

export function allCountries(): readonly Country[] {
  return [...byAlpha2.values()];
}
