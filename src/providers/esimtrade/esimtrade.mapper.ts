import { countryByAlpha2 } from '../../domain/countries';
import { BYTES_PER_GB, mbToBytes } from '../../domain/data-units';
import { planGlobalId } from '../../domain/ids';
import { compareDecimal, decimalFromUpstream, isCurrencyCode, isDecimalString, type Money } from '../../domain/money';
import type { CatalogPlan, Coverage, PlanNetwork } from '../../domain/plan';
import type { EtNotes } from './esimtrade.order-mapper';
import type { EsimTradePlanType } from './esimtrade.types';

const PROVIDER_ID = 'esimtrade' as const;

type Raw = Record<string, unknown>;

/** Normalized plans plus the slugs (or positions) of entries that could not be normalized. */
export interface MappedPlans {
  readonly plans: CatalogPlan[];
  readonly skipped: string[];
}

export function mapPlans(raws: readonly unknown[], notes?: EtNotes): MappedPlans {
  const plans: CatalogPlan[] = [];
  const skipped: string[] = [];
  raws.forEach((raw, index) => {
    const plan = mapPlan(raw, notes);
    if (plan) plans.push(plan);
    else skipped.push(isRecord(raw) && typeof raw.slug === 'string' ? raw.slug : `#${index}`);
  });
  return { plans, skipped };
}

/**
 * One raw `/portal/plans` entry → CatalogPlan. Every field is assumed (the document lists paths
 * only), so absent ones fall back, said once through `notes`: `name` → the slug; `type` → from the
 * countries (one: local, more: regional; an unknown word is skipped, not guessed); `countries` → none known ([]; present but not alpha-2 codes: skipped); `operators` → [];
 * `topup` → false. Null (skipped, said) only without what the plan cannot be sold without and
 * our model has no "unknown" for: the `slug` (its code), the allowance (`data`: null would mean
 * unlimited), `validity_days`, and the `price`.
 */
export function mapPlan(raw: unknown, notes?: EtNotes): CatalogPlan | null {
  if (!isRecord(raw)) return null;
  const { slug, validity_days: validity } = raw;
  if (typeof slug !== 'string' || !slug.trim()) return null;
  const skip = (reason: string): null => {
    notes?.skipped('plan', slug, reason);
    return null;
  };
  let name = typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : null;
  if (name === null) {
    notes?.missingField('plan.name', 'the slug');
    name = slug;
  }
  let countries = mapCountries(raw.countries);
  if (raw.countries === undefined || raw.countries === null) {
    notes?.missingField('plan.countries', 'no countries known ([])');
    countries = [];
  }
  // Present but not alpha-2 codes (alpha-3, unknown): refused rather than guessed.
  if (countries === null) return skip('countries are not ISO alpha-2 codes');
  let type: EsimTradePlanType;
  if (isPlanType(raw.type)) type = raw.type;
  else if (raw.type === undefined || raw.type === null) {
    type = countries.length > 1 ? 'regional' : 'local';
    notes?.missingField('plan.type', 'from the countries (one: local, more: regional)');
  } else {
    // A word we do not know ("cruise"?) is not guessed into a coverage.
    notes?.unknownWord('plan type', raw.type, 'plan skipped');
    return skip(`unknown type ${String(raw.type).slice(0, 40)}`);
  }
  const coverage = coverageOf(type);
  const dataBytes = mapData(raw.data);
  if (dataBytes === undefined) return skip('no readable data allowance');
  const price = mapPrice(raw.price);
  if (!price) return skip('no readable price');
  if (typeof validity !== 'number' || !Number.isSafeInteger(validity) || validity < 1)
    return skip('no readable validity_days');
  const region = typeof raw.region === 'string' && raw.region.trim() ? raw.region.trim() : null;
  return {
    id: planGlobalId(PROVIDER_ID, slug),
    providerId: PROVIDER_ID,
    code: slug,
    name,
    coverage,
    countries,
    regionName: coverage === 'COUNTRY' ? null : (region ?? (coverage === 'GLOBAL' ? 'Global' : null)),
    dataBytes,
    validityDays: validity,
    wholesalePrice: price,
    topUpSupported: raw.topup === true,
    profileType: 'STANDARD',
    voiceMinutes: null,
    smsCount: null,
    // eSIMTrade sells no day passes: every allowance covers the whole validity.
    dayPass: false,
    networks: mapOperators(raw.operators, countries),
  };
}

/** `GET /portal/balance` data → Money, or null when unreadable. */
export function mapBalance(raw: unknown): Money | null {
  if (!isRecord(raw) || typeof raw.currency !== 'string' || !isCurrencyCode(raw.currency)) return null;
  const amount = toDecimal(raw.balance);
  return amount === null ? null : { amount, currency: raw.currency };
}

function coverageOf(type: EsimTradePlanType): Coverage {
  switch (type) {
    case 'local':
      return 'COUNTRY';
    case 'regional':
      return 'REGION';
    case 'global':
      return 'GLOBAL';
    default: {
      const unknown: never = type;
      throw new Error(`unhandled plan type ${String(unknown)}`);
    }
  }
}

function isPlanType(value: unknown): value is EsimTradePlanType {
  return value === 'local' || value === 'regional' || value === 'global';
}

/** Alpha-2 codes, sorted and unique; null when the list is empty or holds an unknown code. */
function mapCountries(raw: unknown): string[] | null {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const codes = new Set<string>();
  for (const entry of raw) {
    const code = alpha2(isRecord(entry) ? entry.code : undefined);
    if (!code) return null;
    codes.add(code);
  }
  return [...codes].sort();
}

function alpha2(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim().length !== 2) return null;
  return countryByAlpha2(value.trim())?.code ?? null;
}

/** Bytes (1 GB = 1024 MB = 1024^3 bytes); null for unlimited; undefined when unreadable. */
function mapData(raw: unknown): number | null | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.unlimited === true) return null;
  const amount = typeof raw.amount === 'string' && isDecimalString(raw.amount) ? Number(raw.amount) : raw.amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return undefined;
  const bytes =
    raw.unit === 'GB' ? Math.round(amount * BYTES_PER_GB) : raw.unit === 'MB' ? mbToBytes(amount) : undefined;
  return bytes !== undefined && Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

function mapPrice(raw: unknown): Money | null {
  if (!isRecord(raw) || typeof raw.currency !== 'string' || !isCurrencyCode(raw.currency)) return null;
  const amount = toDecimal(raw.amount);
  if (amount === null || compareDecimal(amount, '0') <= 0) return null;
  return { amount, currency: raw.currency };
}

/** Documented as a decimal string; a JSON number is accepted through its shortest representation. */
export function toDecimal(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    const amount = decimalFromUpstream(value);
    return isDecimalString(amount) ? amount : null;
  } catch {
    return null;
  }
}

/** Operators of the plan's own countries; entries naming another or an unknown country are dropped. */
function mapOperators(raw: unknown, countries: readonly string[]): PlanNetwork[] {
  if (!Array.isArray(raw)) return [];
  const networks: PlanNetwork[] = [];
  for (const entry of raw) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !entry.name.trim()) continue;
    const country = alpha2(entry.country);
    if (!country || !countries.includes(country)) continue;
    const speed = typeof entry.network === 'string' && entry.network.trim() ? entry.network.trim() : null;
    networks.push({ country, operator: entry.name.trim(), speed });
  }
  return networks;
}

export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
