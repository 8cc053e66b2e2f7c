import { findCountry } from '../../domain/countries';
import { mbToBytes } from '../../domain/data-units';
import { planGlobalId } from '../../domain/ids';
import { compareDecimal, decimalFromUpstream, isCurrencyCode, isDecimalString, type Money } from '../../domain/money';
import type { CatalogPlan, Coverage, PlanNetwork } from '../../domain/plan';
import type { CyBillingMode, CyCoverage, CyProductPage, CyProductStatus, CyProductType } from './connectedyou.types';

const PROVIDER_ID = 'connectedyou';
const PRODUCT_TYPES: readonly CyProductType[] = ['fixed', 'unlimited'];
const COVERAGES: readonly CyCoverage[] = ['local', 'regional', 'global'];
const STATUSES: readonly CyProductStatus[] = ['ACTIVE', 'INACTIVE'];
const BILLING_MODES: readonly CyBillingMode[] = ['credit_limit', 'pay_per_order'];

/** A normalized plan, or why the product was left out (never guessed). */
export type ProductMapping =
  | { readonly plan: CatalogPlan }
  | {
      readonly plan: null;
      readonly productId: string | null;
      readonly skipped: 'INACTIVE' | 'MALFORMED';
      readonly issue: string;
    };

type Raw = Record<string, unknown>;

/** Maps one raw product to a `CatalogPlan`; MB → bytes (1 GB = 1024^3), decimal-string price, alpha-2 countries. */
export function mapProduct(raw: unknown): ProductMapping {
  if (!isObject(raw)) return malformed(null, 'not an object');
  const productId = productIdOf(raw.product_id);
  if (productId === null) return malformed(null, 'product_id is not a numeric string');
  const bad = (issue: string) => malformed(productId, issue);

  const { name, type, coverage, status } = raw;
  if (typeof name !== 'string' || !name.trim()) return bad('name is missing');
  if (!includes(STATUSES, status)) return bad(`unknown status ${describe(status)}`);
  if (!isSellable(status)) return { plan: null, productId, skipped: 'INACTIVE', issue: `status ${status}` };
  if (!includes(PRODUCT_TYPES, type)) return bad(`unknown type ${describe(type)}`);
  if (!includes(COVERAGES, coverage)) return bad(`unknown coverage ${describe(coverage)}`);

  const dataBytes = dataBytesOf(type, raw.data_mb);
  if (dataBytes === undefined) return bad('data_mb is not a positive number for a fixed-data product');
  const validityDays = raw.validity_days;
  if (!Number.isSafeInteger(validityDays) || (validityDays as number) < 1)
    return bad('validity_days is not a positive integer');
  const countries = countriesOf(raw.countries);
  if (!countries) return bad('countries are missing or not ISO codes');
  const price = priceOf(raw.price, raw.currency);
  if (!price) return bad('price or currency is malformed');
  const networks = networksOf(raw.networks);
  if (!networks) return bad('networks are malformed');

  const planCoverage = coverageOf(coverage);
  const region = typeof raw.region === 'string' && raw.region.trim() ? raw.region.trim() : null;
  return {
    plan: {
      id: planGlobalId(PROVIDER_ID, productId),
      providerId: PROVIDER_ID,
      code: productId,
      name: name.trim(),
      coverage: planCoverage,
      countries,
      regionName: planCoverage === 'COUNTRY' ? null : (region ?? (planCoverage === 'GLOBAL' ? 'Global' : null)),
      dataBytes,
      validityDays: validityDays as number,
      wholesalePrice: price,
      topUpSupported: raw.topup_available === true,
      profileType: 'STANDARD',
      voiceMinutes: null,
      smsCount: null,
      // ConnectedYou sells fixed-data and unlimited products for the whole trip, never day passes.
      dayPass: false,
      networks,
    },
  };
}

/** The list envelope `{ products, limit, offset, total }`, or null when the shape is not it. */
export function readProductPage(raw: unknown): CyProductPage | null {
  if (!isObject(raw) || !Array.isArray(raw.products)) return null;
  const { limit, offset, total } = raw;
  if (![limit, offset, total].every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return null;
  return { products: raw.products, limit: limit as number, offset: offset as number, total: total as number };
}

export type BalanceMapping =
  { readonly balance: Money | null } | { readonly balance: undefined; readonly issue: string };

/** The reseller account's balance: the credit still available under a credit limit; none when paying per order. */
export function mapBalance(raw: unknown): BalanceMapping {
  if (!isObject(raw)) return { balance: undefined, issue: 'account is not an object' };
  const mode = raw.billing_mode;
  if (!includes(BILLING_MODES, mode)) return { balance: undefined, issue: `unknown billing_mode ${describe(mode)}` };
  switch (mode) {
    case 'credit_limit': {
      const amount = decimalOf(raw.available_credit);
      const currency = raw.currency;
      if (amount === null || typeof currency !== 'string' || !isCurrencyCode(currency))
        return { balance: undefined, issue: 'available_credit or currency is malformed' };
      return { balance: { amount, currency } };
    }
    case 'pay_per_order':
      return { balance: null };
    default:
      return assertNever(mode);
  }
}

function isSellable(status: CyProductStatus): boolean {
  switch (status) {
    case 'ACTIVE':
      return true;
    case 'INACTIVE':
      return false;
    default:
      return assertNever(status);
  }
}

function coverageOf(coverage: CyCoverage): Coverage {
  switch (coverage) {
    case 'local':
      return 'COUNTRY';
    case 'regional':
      return 'REGION';
    case 'global':
      return 'GLOBAL';
    default:
      return assertNever(coverage);
  }
}

/** null for unlimited, undefined when a fixed allowance is missing or not positive. */
function dataBytesOf(type: CyProductType, dataMb: unknown): number | null | undefined {
  switch (type) {
    case 'unlimited':
      return null;
    case 'fixed':
      return typeof dataMb === 'number' && Number.isFinite(dataMb) && dataMb > 0 ? mbToBytes(dataMb) : undefined;
    default:
      return assertNever(type);
  }
}

function countriesOf(raw: unknown): string[] | null {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const codes = raw.map((c) => (typeof c === 'string' ? findCountry(c)?.code : undefined));
  if (codes.some((c) => c === undefined)) return null;
  return [...new Set(codes as string[])].sort();
}

function priceOf(amount: unknown, currency: unknown): Money | null {
  const decimal = decimalOf(amount);
  if (decimal === null || compareDecimal(decimal, '0') <= 0) return null;
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) return null;
  return { amount: decimal, currency };
}

function decimalOf(raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  try {
    const decimal = decimalFromUpstream(raw);
    return isDecimalString(decimal) ? decimal : null;
  } catch {
    return null;
  }
}

/** Missing networks give an empty list (the catalog is the only source); a malformed entry rejects the product. */
function networksOf(raw: unknown): PlanNetwork[] | null {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return null;
  const networks: PlanNetwork[] = [];
  for (const entry of raw) {
    if (
      !isObject(entry) ||
      typeof entry.operator !== 'string' ||
      !entry.operator.trim() ||
      typeof entry.country !== 'string'
    )
      return null;
    const country = findCountry(entry.country)?.code;
    if (!country) return null;
    networks.push({
      country,
      operator: entry.operator.trim(),
      speed: typeof entry.technology === 'string' && entry.technology ? entry.technology : null,
    });
  }
  return networks;
}

function productIdOf(raw: unknown): string | null {
  if (typeof raw === 'string' && /^\d{1,18}$/.test(raw)) return raw;
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
  return null;
}

function malformed(productId: string | null, issue: string): ProductMapping {
  return { plan: null, productId, skipped: 'MALFORMED', issue };
}

// The guards below are shared with connectedyou.order-mapper.ts.

export function includes<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}

export function assertNever(value: never): never {
  throw new Error(`unhandled value ${String(value)}`);
}
