import isoCountries from 'i18n-iso-countries';
import { findCountry } from '../../domain/countries';
import { planGlobalId } from '../../domain/ids';
import { fromScaledInteger, isCurrencyCode } from '../../domain/money';
import type { CatalogPlan, Coverage, PlanNetwork } from '../../domain/plan';
import type { EsimAccessLocations } from './esimaccess.locations';
import type { EsimAccessDataType, EsimAccessLocationNetwork, EsimAccessPackage } from './esimaccess.types';

/** eSIM Access money is an integer of USD × 10 000 (research §1.1). */
export const MONEY_SCALE = 10_000;
const PROVIDER_ID = 'esimaccess' as const;

/** A response field the document does not promise was absent, and what the mapper did instead. */
export interface MissingField {
  readonly field: string;
  readonly fallback: string;
}

/** A package mapped to a plan (with soft anomalies worth logging), or the reason it was skipped. */
export type PackageMapping =
  | { readonly plan: CatalogPlan; readonly notes: readonly string[]; readonly missing: readonly MissingField[] }
  | { readonly plan: null; readonly reason: string };

export interface PackageListMapping {
  readonly plans: CatalogPlan[];
  readonly skipped: { readonly packageCode: string | null; readonly reason: string }[];
  readonly notes: { readonly packageCode: string; readonly note: string }[];
  /** Each absent field once, however many packages lacked it. */
  readonly missing: MissingField[];
}

/** `dataType` came with the Dec 2025 update; the published example (a fixed 5 GB plan) has none. */
export const MISSING_DATA_TYPE: MissingField = {
  field: 'dataType',
  fallback: 'read as 1 (total data): a fixed allowance, not a day pass',
};
/** `supportTopUpType` (v1.6) is in the field table, not in the published example. */
export const MISSING_TOP_UP_TYPE: MissingField = {
  field: 'supportTopUpType',
  fallback: 'topUpSupported false (listTopUps still asks package/list)',
};

/**
 * Maps a whole `packageList`, keeping the plans it can normalize and reporting the rest. Every
 * item is read as what was asked for (a BASE listing gives plans, a TOPUP listing top-up options),
 * never by its code: the document allows slugs and plain codes for top-ups. `locations` (the
 * `location/list` answer, when read) names regions and expands region codes.
 */
export function mapPackageList(
  list: readonly unknown[],
  locations: EsimAccessLocations | null = null,
): PackageListMapping {
  const result: PackageListMapping = { plans: [], skipped: [], notes: [], missing: [] };
  const missing = new Map<string, MissingField>();
  for (const raw of list) {
    const mapped = mapPackage(raw, locations);
    if (mapped.plan === null) {
      const code = (raw as Partial<EsimAccessPackage> | null)?.packageCode;
      result.skipped.push({ packageCode: typeof code === 'string' ? code : null, reason: mapped.reason });
      continue;
    }
    result.plans.push(mapped.plan);
    for (const note of mapped.notes) result.notes.push({ packageCode: mapped.plan.code, note });
    for (const m of mapped.missing) missing.set(m.field, m);
  }
  result.missing.push(...missing.values());
  return result;
}

/**
 * Whether naming this list needs `location/list`: some package covers several countries, or
 * names its location by a multi-country code rather than ISO alpha-2 codes.
 */
export function needsLocations(list: readonly unknown[]): boolean {
  return list.some((raw) => {
    const location = (raw as Partial<Record<keyof EsimAccessPackage, unknown>> | null)?.location;
    if (typeof location !== 'string') return false;
    const parts = location
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    return parts.length > 1 || parts.some((p) => findCountry(p)?.code !== p.toUpperCase());
  });
}

/** One package → `CatalogPlan`, or null when it cannot be normalized without guessing. */
export function toCatalogPlan(raw: unknown, locations: EsimAccessLocations | null = null): CatalogPlan | null {
  return mapPackage(raw, locations).plan;
}

export function mapPackage(input: unknown, locations: EsimAccessLocations | null = null): PackageMapping {
  if (typeof input !== 'object' || input === null) return skip('not an object');
  const raw = input as Partial<Record<keyof EsimAccessPackage, unknown>>;
  const code = nonEmpty(raw.packageCode);
  if (!code) return skip('missing packageCode');
  const name = nonEmpty(raw.name) ?? nonEmpty(raw.slug);
  if (!name) return skip('missing name');
  const price = scaledMoney(raw.price);
  if (price === null) return skip('malformed price');
  const currency = typeof raw.currencyCode === 'string' ? raw.currencyCode.trim().toUpperCase() : '';
  if (!isCurrencyCode(currency)) return skip('malformed currencyCode');
  const missing: MissingField[] = [];
  // Absent: the published example's shape, a total-data plan (research §1.4, value 1).
  if (raw.dataType === undefined || raw.dataType === null) missing.push(MISSING_DATA_TYPE);
  const dataType = raw.dataType === undefined || raw.dataType === null ? 1 : parseDataType(raw.dataType);
  if (dataType === null) return skip(`unknown dataType ${String(raw.dataType)}`);
  const data = allowance(dataType, raw.volume);
  if (data === null) return skip('malformed volume');
  const validityDays = days(raw.duration, raw.durationUnit);
  if (validityDays === null) return skip(`unsupported duration ${String(raw.duration)} ${String(raw.durationUnit)}`);
  const location = parseLocation(raw.location, locations);
  if (typeof location === 'string') return skip(location);
  const { countries } = location;

  const notes: string[] = [];
  const slug = nonEmpty(raw.slug);
  const region = countries.length > 1 ? regionOf(countries, location.regionCode, slug, name, locations, notes) : null;
  const coverage = coverageOf(countries, region?.code ?? slugArea(slug), name, region?.name ?? null);
  if (raw.supportTopUpType === undefined || raw.supportTopUpType === null) missing.push(MISSING_TOP_UP_TYPE);
  const networks = pairNetworks(raw.locationNetworkList, countries, nonEmpty(raw.speed), locations, notes);
  const plan: CatalogPlan = {
    id: planGlobalId(PROVIDER_ID, code),
    providerId: PROVIDER_ID,
    code,
    name,
    coverage,
    countries,
    regionName: coverage === 'COUNTRY' ? null : (region?.name ?? null),
    dataBytes: data.dataBytes,
    validityDays,
    wholesalePrice: { amount: price, currency },
    topUpSupported: topUpSupported(raw.supportTopUpType, notes),
    profileType: 'STANDARD',
    voiceMinutes: null,
    smsCount: null,
    dayPass: data.dayPass,
    networks,
  };
  return { plan, notes, missing };
}

function skip(reason: string): PackageMapping {
  return { plan: null, reason };
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Integer USD × 10 000, as a JSON number or a digit string → exact decimal string; must be > 0. */
function scaledMoney(value: unknown): string | null {
  const ok =
    (typeof value === 'number' && Number.isSafeInteger(value)) ||
    (typeof value === 'string' && /^\d{1,18}$/.test(value));
  if (!ok || Number(value) <= 0) return null;
  return fromScaledInteger(value as number | string, MONEY_SCALE);
}

function parseDataType(value: unknown): EsimAccessDataType | null {
  const n = typeof value === 'string' && /^\d$/.test(value) ? Number(value) : value;
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : null;
}

/** Volume is the total (1), the daily allowance (2, 3) or meaningless (4, daily unlimited). */
function allowance(
  dataType: EsimAccessDataType,
  volume: unknown,
): { dataBytes: number | null; dayPass: boolean } | null {
  const bytes = typeof volume === 'number' && Number.isSafeInteger(volume) && volume > 0 ? volume : null;
  switch (dataType) {
    case 1:
      return bytes === null ? null : { dataBytes: bytes, dayPass: false };
    case 2:
    case 3:
      return bytes === null ? null : { dataBytes: bytes, dayPass: true };
    case 4:
      return { dataBytes: null, dayPass: false };
    default: {
      const never: never = dataType;
      return never;
    }
  }
}

function days(duration: unknown, unit: unknown): number | null {
  if (typeof duration !== 'number' || !Number.isSafeInteger(duration) || duration < 1) return null;
  // Only DAY is documented; any other unit is skipped rather than converted by guess.
  return unit === 'DAY' ? duration : null;
}

/**
 * `location` is a comma-separated ISO alpha-2 list (research §1.4). A multi-country code in its
 * place (`EU-42`) is expanded through `location/list` when that was read; any other unknown code
 * skips the plan rather than guessing its countries.
 */
function parseLocation(
  value: unknown,
  locations: EsimAccessLocations | null,
): { countries: string[]; regionCode: string | null } | string {
  if (typeof value !== 'string' || value.trim() === '') return 'missing location';
  const codes = new Set<string>();
  let regionCode: string | null = null;
  for (const part of value.split(',')) {
    const code = part.trim().toUpperCase();
    const region = locations?.regions.get(code);
    if (code.length === 2 && findCountry(code)?.code === code) codes.add(code);
    else if (region && region.countries.length > 0) {
      region.countries.forEach((c) => codes.add(c));
      regionCode = code;
    } else return code.length === 2 ? `unknown country code ${code}` : `unknown location code ${code}`;
  }
  return { countries: [...codes].sort(), regionCode };
}

/** The area part of a slug, `EU-3` of `EU-3_3_15` (the pattern `<location>_<GB>_<days>` is inferred). */
function slugArea(slug: string | null): string | null {
  const area = slug?.split('_')[0]?.trim().toUpperCase() ?? '';
  return area === '' ? null : area;
}

/**
 * A multi-country plan's region: by its code (the location itself, else the slug's area) in
 * `location/list`, else the one `location/list` region covering exactly its countries, else the
 * name read from the package name, as before `location/list` was read (the package carries none).
 */
function regionOf(
  countries: readonly string[],
  locationCode: string | null,
  slug: string | null,
  name: string,
  locations: EsimAccessLocations | null,
  notes: string[],
): { name: string | null; code: string | null } {
  const area = slugArea(slug);
  for (const code of [locationCode, area]) {
    const region = code ? locations?.regions.get(code) : undefined;
    if (region) return { name: region.name, code: region.code };
  }
  if (locations) {
    const key = countries.join(',');
    const same = [...locations.regions.values()].filter((r) => r.countries.join(',') === key);
    if (same.length === 1) return { name: same[0].name, code: same[0].code };
    notes.push(`region ${area ?? key} not in location/list, name read from the package name`);
  }
  return { name: regionNameOf(name), code: area };
}

/** Global packages use `GL-<n>` area codes (research §1.1, `!GL` filter); other multi-country ones are regional. */
function coverageOf(
  countries: readonly string[],
  area: string | null,
  name: string,
  regionName: string | null,
): Coverage {
  if (countries.length === 1) return 'COUNTRY';
  return /^!?GL(?:-\d+)?$/i.test(area ?? '') || /^global\b/i.test(name) || /^global\b/i.test(regionName ?? '')
    ? 'GLOBAL'
    : 'REGION';
}

/** "Europe (23 areas) 3GB 15Days" → "Europe": the fallback when `location/list` does not name the region. */
function regionNameOf(name: string): string | null {
  const match = /^(.*?)\s*(?:\([^)]*\))?\s+(?:\d+(?:\.\d+)?\s*[KMGT]B\b|unlimited\b)/i.exec(name);
  return match && match[1].trim() ? match[1].trim() : null;
}

function topUpSupported(value: unknown, notes: string[]): boolean {
  if (value === true || value === false) return value;
  if (value === undefined || value === null) return false;
  switch (value) {
    case 1:
      return false;
    case 2:
    case 3:
      return true;
    default:
      notes.push(`unknown supportTopUpType ${String(value)}, treated as no top-up`);
      return false;
  }
}

function comparable(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * `locationNetworkList` names countries instead of coding them, so each entry is paired with a
 * code from `location`: by the provider's own name (`location/list`), by any English name of
 * the code, then by a flag file named after the code, then the only code there is.
 */
function pairNetworks(
  list: unknown,
  countries: readonly string[],
  packageSpeed: string | null,
  locations: EsimAccessLocations | null,
  notes: string[],
): PlanNetwork[] {
  if (!Array.isArray(list)) return [];
  const networks: PlanNetwork[] = [];
  for (const entry of list as Partial<EsimAccessLocationNetwork>[]) {
    const country = pairCountry(entry, countries, locations);
    if (!country) {
      notes.push(`network location "${String(entry?.locationName)}" matches no code in location`);
      continue;
    }
    for (const op of Array.isArray(entry.operatorList) ? entry.operatorList : []) {
      const operator = nonEmpty(op?.operatorName);
      if (operator) networks.push({ country, operator, speed: nonEmpty(op.networkType) ?? packageSpeed });
    }
  }
  return networks;
}

function pairCountry(
  entry: Partial<EsimAccessLocationNetwork> | null,
  countries: readonly string[],
  locations: EsimAccessLocations | null,
): string | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const wanted = typeof entry.locationName === 'string' ? comparable(entry.locationName) : '';
  if (wanted) {
    const byName = countries.find((code) => namesOf(code, locations).includes(wanted));
    if (byName) return byName;
  }
  const flag = /(?:^|\/)([a-z]{2})\.(?:png|svg|jpe?g|webp)$/i.exec(entry.locationLogo ?? '')?.[1]?.toUpperCase();
  if (flag && countries.includes(flag)) return flag;
  return countries.length === 1 ? countries[0] : null;
}

/** Every name a code goes by: the provider's own, then ISO's official and short ones, comparable. */
function namesOf(code: string, locations: EsimAccessLocations | null): string[] {
  const own = locations?.countryNames.get(code);
  const iso = isoCountries.getName(code, 'en', { select: 'all' }) ?? [];
  return [own, findCountry(code)?.name, ...iso].filter((n): n is string => typeof n === 'string').map(comparable);
}
