import { findCountry } from '../../domain/countries';
import { REGIONS, WORLD, countriesOf, type Region } from '../shared/world';
import type { WireLocation } from './wire';

/**
 * Multi-country location codes in the provider's `<AREA>-<country count>` style (the docs show
 * `NA-3`); the area prefixes are ASSUMED (README).
 */
const AREA_PREFIX: Readonly<Record<Region, string>> = {
  Europe: 'EU',
  Asia: 'AS',
  'North America': 'NA',
  'South America': 'SA',
  'Middle East': 'ME',
  Africa: 'AF',
  Oceania: 'OC',
  Caribbean: 'CB',
};

/** Names the provider's console shows where they differ from our ISO short names (ASSUMED). */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  GB: 'United Kingdom',
  NL: 'Netherlands',
  CZ: 'Czech Republic',
  TR: 'Turkey',
  KR: 'South Korea',
  TW: 'Taiwan',
  AE: 'United Arab Emirates',
  TZ: 'Tanzania',
  GM: 'Gambia',
};

export function regionCode(region: Region): string {
  return `${AREA_PREFIX[region]}-${countriesOf(region).length}`;
}

export function globalCode(): string {
  return `GL-${WORLD.length}`;
}

export function countryName(code: string): string {
  return PROVIDER_NAMES[code] ?? findCountry(code)?.name ?? code;
}

/** The published example's form: `https://static.redteago.com/img/logos/SloveniaFlag.png`. */
export function countryLogo(code: string): string {
  return `https://static.redteago.com/img/logos/${countryName(code).replace(/[^A-Za-z]/g, '')}Flag.png`;
}

/** `location/list`: every covered country (type 1), then the multi-country areas (type 2). */
export function locationList(): WireLocation[] {
  const countries: WireLocation[] = [...WORLD]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((c) => ({ code: c.code, name: countryName(c.code), type: 1, subLocationList: null }));
  const sub = (codes: readonly string[]) => [...codes].sort().map((code) => ({ code, name: countryName(code) }));
  const areas: WireLocation[] = REGIONS.map((region) => ({
    code: regionCode(region),
    name: region,
    type: 2,
    subLocationList: sub(countriesOf(region).map((c) => c.code)),
  }));
  areas.push({ code: globalCode(), name: 'Global', type: 2, subLocationList: sub(WORLD.map((c) => c.code)) });
  return [...countries, ...areas];
}
