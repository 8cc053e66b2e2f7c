import isoCountries from 'i18n-iso-countries';
import { allCountries, alpha3ToAlpha2 } from '../../domain/countries';

/**
 * Country names as Comium writes them in `country_name` ("United States", seed 002's bundle
 * example), read back to alpha-2. The document gives bundle items no country code, so the name is
 * the only per-item country there is. Exact names first (the gateway's own list), then the ISO
 * list's official names and aliases; anything else (a region's name, a typo) is undefined.
 */
const BY_NAME = new Map(allCountries().map((c) => [normalize(c.name), c.code]));

export function countryByName(name: string): string | undefined {
  const key = normalize(name);
  if (key === '') return undefined;
  const known = BY_NAME.get(key);
  if (known) return known;
  // domain/countries registered the English names on import.
  const alpha2 = isoCountries.getAlpha2Code(name.trim(), 'en');
  return alpha2 && alpha3ToAlpha2(isoCountries.alpha2ToAlpha3(alpha2) ?? '') ? alpha2 : undefined;
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}
