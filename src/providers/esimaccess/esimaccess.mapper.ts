import { findCountry } from '../../domain/countries';
import { planGlobalId } from '../../domain/ids';
import { fromScaledInteger, isCurrencyCode } from '../../domain/money';
import type { CatalogPlan, Coverage, PlanNetwork } from '../../domain/plan';
import type { EsimAccessDataType, EsimAccessLocationNetwork, EsimAccessPackage, EsimAccessPackageType } from './esimaccess.types';

/** eSIM Access money is an integer of USD × 10 000 (research §1.1). */
export const MONEY_SCALE = 10_000;
const PROVIDER_ID = 'esimaccess' as const;

/** A package mapped to a plan (with soft anomalies worth logging), or the reason it was skipped. */
export type PackageMapping =
  | { readonly plan: CatalogPlan; readonly notes: readonly string[] }
  | { readonly plan: null; readonly reason: string };

export interface PackageListMapping {
  readonly plans: CatalogPlan[];
  readonly skipped: { readonly packageCode: string | null; readonly reason: string }[];
  readonly notes: { readonly packageCode: string; readonly note: string }[];
}

/**
 * Maps a whole `packageList`, keeping the plans it can normalize and reporting the rest. `kind`
 * says which list was asked for: base plans, or the `TOPUP_…` packages of a profile.
 */
export function mapPackageList(list: readonly unknown[], kind: EsimAccessPackageType = 'BASE'): PackageListMapping {
  const result: PackageListMapping = { plans: [], skipped: [], notes: [] };
  for (const raw of list) {
    const mapped = mapPackage(raw, kind);
    if (mapped.plan === null) {
      const code = (raw as Partial<EsimAccessPackage> | null)?.packageCode;
      result.skipped.push({ packageCode: typeof code === 'string' ? code : null, reason: mapped.reason });
      continue;
    }
    result.plans.push(mapped.plan);
    for (const note of mapped.notes) result.notes.push({ packageCode: mapped.plan.code, note });
  }
  return result;
}

/** One base package → `CatalogPlan`, or null when it cannot be normalized without guessing. */
export function toCatalogPlan(raw: unknown): CatalogPlan | null {
  return mapPackage(raw).plan;
}

export function mapPackage(input: unknown, kind: EsimAccessPackageType = 'BASE'): PackageMapping {
  if (typeof input !== 'object' || input === null) return skip('not an object');
  const raw = input as Partial<Record<keyof EsimAccessPackage, unknown>>;
  const code = nonEmpty(raw.packageCode);
  if (!code) return skip('missing packageCode');
  const topUp = code.toUpperCase().startsWith('TOPUP_');
  if (kind === 'BASE' && topUp) return skip('a top-up package, not a base plan');
  if (kind === 'TOPUP' && !topUp) return skip('a base package, not a top-up');
  const name = nonEmpty(raw.name) ?? nonEmpty(raw.slug);
  if (!name) return skip('missing name');
  const price = scaledMoney(raw.price);
  if (price === null) return skip('malformed price');
  const currency = typeof raw.currencyCode === 'string' ? raw.currencyCode.trim().toUpperCase() : '';
  if (!isCurrencyCode(currency)) return skip('malformed currencyCode');
  const dataType = parseDataType(raw.dataType);
  if (dataType === null) return skip(`unknown dataType ${String(raw.dataType)}`);
  const data = allowance(dataType, raw.volume);
  if (data === null) return skip('malformed volume');
  const validityDays = days(raw.duration, raw.durationUnit);
  if (validityDays === null) return skip(`unsupported duration ${String(raw.duration)} ${String(raw.durationUnit)}`);
  const countries = parseLocation(raw.location);
  if (typeof countries === 'string') return skip(countries);

  const notes: string[] = [];
  const coverage = coverageOf(countries, nonEmpty(raw.slug), name);
  const networks = pairNetworks(raw.locationNetworkList, countries, nonEmpty(raw.speed), notes);
  const plan: CatalogPlan = {
    id: planGlobalId(PROVIDER_ID, code),
    providerId: PROVIDER_ID,
    code,
    name,
    coverage,
    countries,
    regionName: coverage === 'COUNTRY' ? null : regionNameOf(name),
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
  return { plan, notes };
}

function skip(reason: string): PackageMapping {
  return { plan: null, reason };
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Integer USD × 10 000, as a JSON number or a digit string → exact decimal string; must be > 0. */
function scaledMoney(value: unknown): string | null {
  const ok = (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^\d{1,18}$/.test(value));
  if (!ok || Number(value) <= 0) return null;
  return fromScaledInteger(value as number | string, MONEY_SCALE);
}

function parseDataType(value: unknown): EsimAccessDataType | null {
  const n = typeof value === 'string' && /^\d$/.test(value) ? Number(value) : value;
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : null;
}

/** Volume is the total (1), the daily allowance (2, 3) or meaningless (4, daily unlimited). */
function allowance(dataType: EsimAccessDataType, volume: unknown): { dataBytes: number | null; dayPass: boolean } | null {
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

/** `location` is a comma-separated ISO alpha-2 list; any unknown code skips the plan. */
function parseLocation(value: unknown): string[] | string {
  if (typeof value !== 'string' || value.trim() === '') return 'missing location';
  const codes = new Set<string>();
  for (const part of value.split(',')) {
    const code = part.trim().toUpperCase();
    if (code.length !== 2 || findCountry(code)?.code !== code) return `unknown country code ${code}`;
    codes.add(code);
  }
  return [...codes].sort();
}

/** Global packages use `GL-<n>` area codes in their slug (research §1.1, `!GL` filter); other multi-country ones are regional. */
function coverageOf(countries: readonly string[], slug: string | null, name: string): Coverage {
  if (countries.length === 1) return 'COUNTRY';
  const area = slug?.split('_')[0] ?? '';
  return /^!?GL(?:-\d+)?$/i.test(area) || /^global\b/i.test(name) ? 'GLOBAL' : 'REGION';
}

/** "Europe (23 areas) 3GB 15Days" → "Europe"; the package object carries no region name of its own. */
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
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * `locationNetworkList` names countries instead of coding them, so each entry is paired with a
 * code from `location`: by name, then by the flag file name, then the only code there is.
 */
function pairNetworks(list: unknown, countries: readonly string[], packageSpeed: string | null, notes: string[]): PlanNetwork[] {
  if (!Array.isArray(list)) return [];
  const networks: PlanNetwork[] = [];
  for (const entry of list as Partial<EsimAccessLocationNetwork>[]) {
    const country = pairCountry(entry, countries);
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

function pairCountry(entry: Partial<EsimAccessLocationNetwork> | null, countries: readonly string[]): string | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const wanted = typeof entry.locationName === 'string' ? comparable(entry.locationName) : '';
  const byName = countries.find((code) => comparable(findCountry(code)?.name ?? '') === wanted);
  if (wanted && byName) return byName;
  const flag = /(?:^|\/)([a-z]{2})\.(?:png|svg|jpe?g|webp)$/i.exec(entry.locationLogo ?? '')?.[1]?.toUpperCase();
  if (flag && countries.includes(flag)) return flag;
  return countries.length === 1 ? countries[0] : null;
}
