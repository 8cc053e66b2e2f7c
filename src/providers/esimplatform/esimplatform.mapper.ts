import { findCountry } from '../../domain/countries';
import { mbToBytes } from '../../domain/data-units';
import { planGlobalId } from '../../domain/ids';
import { compareDecimal, decimalFromUpstream, isCurrencyCode, type Money } from '../../domain/money';
import type { CatalogPlan, Coverage, PlanNetwork } from '../../domain/plan';
import { ESIMPLATFORM_ID } from './esimplatform.errors';
import {
  ESIMPLATFORM_REGION_CODES,
  type EsimPlatformRegionCode,
  type RawBalance,
  type RawNetwork,
  type RawPlan,
} from './esimplatform.types';

/** A normalized plan, or why the raw entry was skipped (for the log; never guessed). */
export type PlanOutcome = { readonly plan: CatalogPlan } | { readonly skipped: string };

/** Raw plan → CatalogPlan, or null when it cannot be normalized. */
export function mapPlan(raw: RawPlan): CatalogPlan | null {
  const outcome = normalizePlan(raw);
  return 'plan' in outcome ? outcome.plan : null;
}

export function normalizePlan(raw: RawPlan): PlanOutcome {
  if (typeof raw?.id !== 'string' || raw.id === '') return { skipped: 'missing id' };
  if (typeof raw.name !== 'string' || raw.name.trim() === '') return { skipped: 'missing name' };
  const scope = scopeOf(raw);
  if (typeof scope === 'string') return { skipped: scope };
  const dataBytes = dataBytesOf(raw);
  if (dataBytes === undefined) return { skipped: 'invalid data volume' };
  if (!Number.isSafeInteger(raw.validity_days) || raw.validity_days < 1) return { skipped: 'invalid validity' };
  const price = moneyOf(raw.price, raw.currency);
  if (!price || compareDecimal(price.amount, '0') <= 0) return { skipped: 'invalid price' };
  const networks = networksOf(raw.networks ?? []);
  if (!networks) return { skipped: 'unknown network country' };
  return {
    plan: {
      id: planGlobalId(ESIMPLATFORM_ID, raw.id),
      providerId: ESIMPLATFORM_ID,
      code: raw.id,
      name: raw.name.trim(),
      coverage: scope.coverage,
      countries: scope.countries,
      regionName: scope.regionName,
      dataBytes,
      validityDays: raw.validity_days,
      wholesalePrice: price,
      topUpSupported: raw.topup_available === true,
      profileType: 'STANDARD',
      voiceMinutes: null,
      smsCount: null,
      // The platform documents no daily-renewing plans; its allowance covers the whole validity.
      dayPass: false,
      networks,
    },
  };
}

/** The balance we can spend: prepaid `balance`, or postpaid `available_credit`; null if absent. */
export function mapBalance(raw: RawBalance): Money | null {
  switch (raw.billing_mode) {
    case 'prepaid':
      return moneyOf(raw.balance, raw.currency);
    case 'postpaid':
      return moneyOf(raw.available_credit, raw.currency);
    default: {
      const unknown: never = raw.billing_mode;
      void unknown;
      return null;
    }
  }
}

/** Region code → our region name; the `never` check fails type-checking when a code is added. */
export function regionNameOf(code: EsimPlatformRegionCode): string {
  switch (code) {
    case 'EU':
      return 'Europe';
    case 'ASIA':
      return 'Asia';
    case 'NA':
      return 'North America';
    case 'LATAM':
      return 'South America';
    case 'ME':
      return 'Middle East';
    case 'AF':
      return 'Africa';
    case 'OC':
      return 'Oceania';
    case 'CARIB':
      return 'Caribbean';
    case 'GLOBAL':
      return 'Global';
    default: {
      const unknown: never = code;
      throw new RangeError(`unknown region code ${String(unknown)}`);
    }
  }
}

interface Scope {
  readonly coverage: Coverage;
  readonly countries: readonly string[];
  readonly regionName: string | null;
}

/** Single-country plans carry `country_code`; others are regional, or global when `region_code` is GLOBAL. */
function scopeOf(raw: RawPlan): Scope | string {
  const listed = Array.isArray(raw.countries) ? raw.countries : [];
  const codes = raw.country_code ? [raw.country_code, ...listed] : listed;
  const countries = alpha2All(codes);
  if (!countries || countries.length === 0) return 'unknown or missing country';
  if (raw.country_code) {
    return countries.length === 1
      ? { coverage: 'COUNTRY', countries, regionName: null }
      : 'country plan lists other countries';
  }
  if (!(ESIMPLATFORM_REGION_CODES as readonly unknown[]).includes(raw.region_code)) return 'unknown region code';
  const region = raw.region_code as EsimPlatformRegionCode;
  return { coverage: region === 'GLOBAL' ? 'GLOBAL' : 'REGION', countries, regionName: regionNameOf(region) };
}

/** Bytes (1 GB = 1024^3), null when unlimited, undefined when malformed. */
function dataBytesOf(raw: RawPlan): number | null | undefined {
  if (raw.is_unlimited === true) return null;
  const mb = raw.data_volume_mb;
  return typeof mb === 'number' && Number.isFinite(mb) && mb > 0 ? mbToBytes(mb) : undefined;
}

function moneyOf(amount: unknown, currency: unknown): Money | null {
  if (
    (typeof amount !== 'number' && typeof amount !== 'string') ||
    typeof currency !== 'string' ||
    !isCurrencyCode(currency)
  )
    return null;
  try {
    return { amount: decimalFromUpstream(amount), currency };
  } catch {
    return null;
  }
}

function networksOf(raw: readonly RawNetwork[]): PlanNetwork[] | null {
  if (!Array.isArray(raw)) return null;
  const out: PlanNetwork[] = [];
  for (const n of raw) {
    const country = typeof n?.country === 'string' ? alpha2(n.country) : undefined;
    if (!country || typeof n.operator !== 'string' || n.operator === '') return null;
    out.push({ country, operator: n.operator, speed: typeof n.type === 'string' && n.type ? n.type : null });
  }
  return out;
}

/** Documented as ISO alpha-2; alpha-3 is not accepted, to avoid guessing. */
function alpha2(code: string): string | undefined {
  return code.trim().length === 2 ? findCountry(code)?.code : undefined;
}

function alpha2All(codes: readonly unknown[]): string[] | null {
  const out = new Set<string>();
  for (const code of codes) {
    const c = typeof code === 'string' ? alpha2(code) : undefined;
    if (!c) return null;
    out.add(c);
  }
  return [...out].sort();
}
