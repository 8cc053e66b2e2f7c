import { findCountry } from '../../domain/countries';
import { decodeCursor, encodeCursor, pageSize } from '../../domain/cursor';
import { BYTES_PER_GB } from '../../domain/data-units';
import { BadUserInputError } from '../../domain/errors';
import { isDecimalString, toScaledInteger } from '../../domain/money';
import type { Coverage, PlanSort, ProfileType } from '../../domain/plan';
import type { PricedPlan } from './catalog-index';

export interface PlanFilter {
  readonly country?: string | null;
  readonly region?: string | null;
  readonly providerIds?: readonly string[] | null;
  readonly coverage?: Coverage | null;
  readonly minDataGb?: number | null;
  readonly maxPrice?: string | null;
  readonly minValidityDays?: number | null;
  readonly profileType?: ProfileType | null;
  readonly topUpSupported?: boolean | null;
  readonly search?: string | null;
}

/** A filter checked once: codes resolved, numbers bounded, text lower-cased. */
export interface CompiledFilter {
  readonly country: string | null;
  readonly test: (item: PricedPlan, searchText: string) => boolean;
}

const MAX = Number.MAX_SAFE_INTEGER;

export function compileFilter(filter: PlanFilter | null | undefined): CompiledFilter {
  const f = filter ?? {};
  let country: string | null = null;
  if (f.country != null) {
    const found = findCountry(f.country);
    if (!found)
      throw new BadUserInputError(
        `Unknown country code "${f.country}": use ISO 3166-1 alpha-2 or alpha-3.`,
        'filter.country',
      );
    country = found.code;
  }
  if (f.minDataGb != null && (!Number.isFinite(f.minDataGb) || f.minDataGb < 0))
    throw new BadUserInputError('minDataGb must be a non-negative number.', 'filter.minDataGb');
  if (f.minValidityDays != null && f.minValidityDays < 0)
    throw new BadUserInputError('minValidityDays must not be negative.', 'filter.minValidityDays');
  if (f.maxPrice != null && (!isDecimalString(f.maxPrice) || (f.maxPrice.split('.')[1]?.length ?? 0) > 4))
    throw new BadUserInputError('maxPrice must be a decimal string with at most 4 decimals.', 'filter.maxPrice');
  const minBytes = f.minDataGb == null ? 0 : Math.ceil(f.minDataGb * BYTES_PER_GB);
  const maxPriceUnits = f.maxPrice == null ? null : toScaledInteger(f.maxPrice, 10_000);
  const region = f.region?.trim().toLowerCase() || null;
  const terms = (f.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return {
    country,
    test: ({ plan, priceUnits }, searchText) =>
      (country === null || plan.countries.includes(country)) &&
      (region === null || (plan.regionName ?? '').toLowerCase().includes(region)) &&
      (f.coverage == null || plan.coverage === f.coverage) &&
      (plan.dataBytes === null || plan.dataBytes >= minBytes) &&
      (maxPriceUnits === null || priceUnits <= maxPriceUnits) &&
      (f.minValidityDays == null || plan.validityDays >= f.minValidityDays) &&
      (f.profileType == null || plan.profileType === f.profileType) &&
      (f.topUpSupported == null || plan.topUpSupported === f.topUpSupported) &&
      terms.every((t) => searchText.includes(t)),
  };
}

/** The primary sort key: every sort becomes ascending on this number, ties broken by plan id. */
function sortKey(sort: PlanSort, item: PricedPlan): number {
  switch (sort) {
    case 'PRICE_ASC':
      return item.priceUnits;
    case 'PRICE_DESC':
      return -item.priceUnits;
    case 'PRICE_PER_GB_ASC':
      return item.pricePerGbUnits ?? MAX;
    case 'DATA_DESC':
      return item.plan.dataBytes === null ? -MAX : -item.plan.dataBytes;
    case 'VALIDITY_DESC':
      return -item.plan.validityDays;
    default: {
      const never: never = sort;
      throw new Error(`unknown sort ${String(never)}`);
    }
  }
}

export interface PlanPage {
  readonly edges: readonly { readonly cursor: string; readonly node: PricedPlan }[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

/** Sorts and cuts one page after the keyset cursor: pages never repeat or skip while data is unchanged. */
export function paginate(
  items: readonly PricedPlan[],
  sort: PlanSort,
  first: number | null | undefined,
  after: string | null | undefined,
): PlanPage {
  const size = pageSize(first);
  const keyed = items.map((node) => ({ key: sortKey(sort, node), id: node.plan.id, node }));
  keyed.sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let start = 0;
  if (after) {
    const [key, id] = decodeCursor(`plans:${sort}`, after);
    if (typeof key !== 'number' || typeof id !== 'string')
      throw new BadUserInputError('The cursor is not valid.', 'after');
    let lo = 0;
    let hi = keyed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = keyed[mid];
      if (m.key < key || (m.key === key && m.id <= id)) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = keyed.slice(start, start + size);
  const edges = slice.map((k) => ({ cursor: encodeCursor(`plans:${sort}`, [k.key, k.id]), node: k.node }));
  return {
    edges,
    hasNextPage: start + size < keyed.length,
    endCursor: edges.at(-1)?.cursor ?? null,
    totalCount: keyed.length,
  };
}
