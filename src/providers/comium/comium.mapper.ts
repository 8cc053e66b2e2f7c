import { alpha3ToAlpha2 } from '../../domain/countries';
import { countryByName } from './comium.countries';
import { mbToBytes } from '../../domain/data-units';
import { planGlobalId } from '../../domain/ids';
import { compareDecimal, decimalFromUpstream, isDecimalString } from '../../domain/money';
import type { CatalogPlan, Coverage, PlanNetwork, ProfileType } from '../../domain/plan';
import type { ComiumBundleCategory, ComiumProfileType } from './comium.types';

/** Comium quotes plain decimals without a currency field; USD is ASSUMED (see README). */
export const COMIUM_CURRENCY = 'USD';

/** A mapped value, or why the raw item was skipped (`code` when the item had one). */
export type MapOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: string | null; readonly reason: string };

export const COMIUM_CATEGORIES: readonly ComiumBundleCategory[] = ['global', 'region', 'country', 'cruise'];
const PROFILE_TYPES: readonly ComiumProfileType[] = ['STANDARD', 'GLOBAL_ESIM'];

/** What the adapter knows of a bundle besides its item: the filter it asked with, or the catalog's plan of the same code. */
export interface BundleContext {
  /** The `bundle_category` filter the item was listed under. */
  readonly category?: ComiumBundleCategory;
  /** The catalog plan of the same code (for top-up items, listed without any filter). */
  readonly known?: Pick<CatalogPlan, 'coverage' | 'countries' | 'regionName'>;
}

/** Where the mapper says how it did without an undocumented field (`ProviderNotes.missingField`). */
export interface MissingFieldNotes {
  missingField(field: string, fallback: string, context?: Record<string, unknown>): void;
}

const SILENT: MissingFieldNotes = { missingField: () => undefined };

/**
 * One raw bundle item → a catalog plan. The 13 documented item fields carry no coverage: it comes
 * from the `bundle_category` we asked with (else the catalog plan of the same code, else an echoed
 * `bundle_category`, else the item's country_name). A missing undocumented field never skips a plan.
 */
export function toCatalogPlan(
  raw: unknown,
  context: BundleContext = {},
  notes: MissingFieldNotes = SILENT,
): MapOutcome<CatalogPlan> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  const code = raw.bundle_code;
  if (typeof code !== 'string' || code.trim() === '') return skip(null, 'missing bundle_code');
  const fail = (reason: string) => skip(code, reason);

  if (!PROFILE_TYPES.includes(raw.profile_type as ComiumProfileType))
    return fail(`unknown profile_type ${String(raw.profile_type)}`);
  const profileType = profileTypeOf(raw.profile_type as ComiumProfileType);
  const dataBytes = dataBytesOf(raw.data_quota);
  if (dataBytes === undefined) return fail('malformed data_quota');
  if (!Number.isSafeInteger(raw.validity) || (raw.validity as number) < 1) return fail('malformed validity');
  const price = priceOf(raw.bundle_price_final);
  if (price === null) return fail('malformed bundle_price_final');
  const name = text(raw.bundle_marketing_name) ?? text(raw.bundle_name);
  if (name === null) return fail('missing bundle name');

  const coverage = coverageFor(raw, context, notes);
  const countries = countriesFor(raw, coverage, context, notes);
  if (typeof countries === 'string') return fail(countries);
  const voice = raw.supports_calls_sms === true;
  if (voice && (raw.calls_quota === undefined || raw.sms_quota === undefined))
    notes.missingField(
      'calls_quota/sms_quota',
      'voice and SMS allowances left null (only supports_calls_sms is documented)',
    );
  return {
    ok: true,
    value: {
      id: planGlobalId('comium', code),
      providerId: 'comium',
      code,
      name,
      coverage,
      countries,
      regionName: coverage === 'COUNTRY' ? null : (text(raw.region_name) ?? context.known?.regionName ?? null),
      dataBytes,
      validityDays: raw.validity as number,
      wholesalePrice: { amount: price, currency: COMIUM_CURRENCY },
      topUpSupported: raw.support_topup === true,
      profileType,
      voiceMinutes: voice ? count(raw.calls_quota) : null,
      smsCount: voice ? count(raw.sms_quota) : null,
      // Comium documents no day passes: every quota lasts the whole validity.
      dayPass: false,
      // Networks live behind GET /Bundles/Networks (ProviderAdapter.getNetworks).
      networks: null,
    },
  };
}

/** One raw `GET /Bundles/Networks` item → a network with an alpha-2 country. */
export function toPlanNetwork(raw: unknown): MapOutcome<PlanNetwork> {
  if (!isRecord(raw)) return skip(null, 'not an object');
  const country = typeof raw.country_code === 'string' ? alpha3ToAlpha2(raw.country_code) : undefined;
  if (!country) return skip(null, `unknown country_code ${String(raw.country_code)}`);
  const operator = text(raw.network_name);
  if (operator === null) return skip(null, 'missing network_name');
  return { ok: true, value: { country, operator, speed: text(raw.network_speed) } };
}

export function coverageOf(category: ComiumBundleCategory): Coverage {
  switch (category) {
    case 'country':
      return 'COUNTRY';
    case 'region':
      return 'REGION';
    case 'global':
      return 'GLOBAL';
    case 'cruise':
      return 'CRUISE';
    default:
      return assertNever(category);
  }
}

export function profileTypeOf(profileType: ComiumProfileType): ProfileType {
  switch (profileType) {
    case 'STANDARD':
      return 'STANDARD';
    case 'GLOBAL_ESIM':
      return 'GLOBAL_ESIM';
    default:
      return assertNever(profileType);
  }
}

/** What we asked, then the catalog's word, then an echoed filter, then the item's country_name. */
function coverageFor(raw: Record<string, unknown>, context: BundleContext, notes: MissingFieldNotes): Coverage {
  if (context.category) return coverageOf(context.category);
  if (context.known) return context.known.coverage;
  if (COMIUM_CATEGORIES.includes(raw.bundle_category as ComiumBundleCategory))
    return coverageOf(raw.bundle_category as ComiumBundleCategory);
  const country = typeof raw.country_name === 'string' ? countryByName(raw.country_name) : undefined;
  notes.missingField(
    'bundle_category',
    'coverage read from country_name: COUNTRY when it names a country, else REGION',
    { code: raw.bundle_code },
  );
  return country ? 'COUNTRY' : 'REGION';
}

/**
 * Sorted unique alpha-2 codes, or the reason they cannot be read. An echoed country list (not
 * documented) wins, then the catalog's, then a country bundle's `country_name`. Region and global
 * bundles name no countries in the document: they list none (their networks name them).
 */
function countriesFor(
  raw: Record<string, unknown>,
  coverage: Coverage,
  context: BundleContext,
  notes: MissingFieldNotes,
): string[] | string {
  const listed =
    Array.isArray(raw.countries) && raw.countries.length > 0
      ? raw.countries
      : typeof raw.country_code === 'string'
        ? [raw.country_code]
        : null;
  if (listed) {
    const codes = new Set<string>();
    for (const alpha3 of listed) {
      const alpha2 = typeof alpha3 === 'string' ? alpha3ToAlpha2(alpha3) : undefined;
      if (!alpha2) return `unknown country code ${String(alpha3)}`;
      codes.add(alpha2);
    }
    return [...codes].sort();
  }
  if (context.known) return [...context.known.countries];
  if (coverage === 'CRUISE') return [];
  if (coverage === 'COUNTRY') {
    const country = typeof raw.country_name === 'string' ? countryByName(raw.country_name) : undefined;
    if (country) return [country];
    notes.missingField(
      'country_code',
      'a country bundle whose country_name names no known country lists no countries',
      { code: raw.bundle_code, countryName: raw.country_name },
    );
    return [];
  }
  notes.missingField(
    'countries',
    'region and global bundles list no countries (GET /Bundles/Networks names them per bundle)',
  );
  return [];
}

/** MB → bytes; null for "unlimited"; undefined when unreadable. */
function dataBytesOf(value: unknown): number | null | undefined {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'unlimited') return null;
  const mb =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : NaN;
  return Number.isFinite(mb) && mb > 0 && Number.isSafeInteger(mbToBytes(mb)) ? mbToBytes(mb) : undefined;
}

function priceOf(value: unknown): string | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  let amount: string;
  try {
    amount = decimalFromUpstream(value);
  } catch {
    return null;
  }
  return isDecimalString(amount) && compareDecimal(amount, '0') > 0 ? amount : null;
}

function count(value: unknown): number | null {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null;
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function skip(code: string | null, reason: string): { ok: false; code: string | null; reason: string } {
  return { ok: false, code, reason };
}

function assertNever(value: never): never {
  throw new Error(`unhandled Comium value ${String(value)}`);
}
