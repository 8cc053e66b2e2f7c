import { findCountry } from '../../domain/countries';
import type { EsimAccessLocation, EsimAccessSubLocation } from './esimaccess.types';

/** A multi-country location of `location/list` (type 2): its name and the countries it covers. */
export interface EsimAccessRegion {
  readonly code: string;
  readonly name: string;
  /** ISO alpha-2, sorted, unique; empty when the entry lists none. */
  readonly countries: readonly string[];
}

/**
 * What `location/list` tells the catalog: the provider's own names of its multi-country codes
 * (`EU-42`, `NA-3`, …) and of its countries. Keys are upper-case codes.
 */
export interface EsimAccessLocations {
  readonly regions: ReadonlyMap<string, EsimAccessRegion>;
  readonly countryNames: ReadonlyMap<string, string>;
}

/**
 * `location/list` → EsimAccessLocations. Pure. The field table and the published example name
 * the sub-list differently (`subLocation` / `subLocationList`), so both are read. An entry
 * without a readable code or name is left out; `type` 2 (or a sub-list) makes it a region,
 * `type` 1 (or an ISO alpha-2 code) a country.
 */
export function readLocationList(list: unknown): EsimAccessLocations {
  const regions = new Map<string, EsimAccessRegion>();
  const countryNames = new Map<string, string>();
  for (const raw of Array.isArray(list) ? (list as unknown[]) : []) {
    if (typeof raw !== 'object' || raw === null) continue;
    const entry = raw as Partial<Record<keyof EsimAccessLocation, unknown>>;
    const code = text(entry.code)?.toUpperCase();
    const name = text(entry.name);
    if (!code || !name) continue;
    const sub = subCodes(entry.subLocationList ?? entry.subLocation);
    if (entry.type === 2 || (entry.type !== 1 && sub.length > 0)) regions.set(code, { code, name, countries: sub });
    else if (findCountry(code)?.code === code) countryNames.set(code, name);
  }
  return { regions, countryNames };
}

function subCodes(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const codes = new Set<string>();
  for (const sub of value as Partial<EsimAccessSubLocation>[]) {
    const code = text(sub?.code)?.toUpperCase();
    if (code && findCountry(code)?.code === code) codes.add(code);
  }
  return [...codes].sort();
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
