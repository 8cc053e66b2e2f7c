import { compareDecimal } from '../../domain/money';
import type { ProductWire } from './catalog';

export interface ProductPage {
  readonly products: readonly ProductWire[];
  readonly limit: number;
  readonly offset: number;
  readonly total: number;
}

/** The seed's default page size; the maximum of 100 is assumed. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100;

type Compare = (a: ProductWire, b: ProductWire) => number;
const SORTABLE: Readonly<Record<string, Compare>> = {
  product_id: (a, b) => Number(a.product_id) - Number(b.product_id),
  name: (a, b) => a.name.localeCompare(b.name),
  price: (a, b) => compareDecimal(a.price, b.price),
  // Unlimited sorts after every fixed allowance.
  data_mb: (a, b) => (a.data_mb ?? Number.MAX_SAFE_INTEGER) - (b.data_mb ?? Number.MAX_SAFE_INTEGER),
  validity_days: (a, b) => a.validity_days - b.validity_days,
  created_at: (a, b) => a.created_at.localeCompare(b.created_at),
};

/** Exact-match filters (seed, "Sorting and Filtering"); which fields filter is assumed. */
const FILTERS: Readonly<Record<string, (p: ProductWire, value: string) => boolean>> = {
  country: (p, v) => p.countries.includes(v.toUpperCase()),
  type: (p, v) => p.type === v,
  coverage: (p, v) => p.coverage === v,
  region: (p, v) => p.region === v,
  status: (p, v) => p.status === v,
};

/** Applies filters, `sort` (`-field` descends), `limit` and `offset`; a string is a 422 message. */
export function queryProducts(all: readonly ProductWire[], query: Record<string, unknown>): ProductPage | string {
  const paging = readPaging(query);
  if (typeof paging === 'string') return paging;
  const { limit, offset } = paging;
  let rows = all.filter((p) =>
    Object.entries(FILTERS).every(([key, test]) => typeof query[key] !== 'string' || test(p, query[key] as string)),
  );
  const sort = typeof query.sort === 'string' && query.sort ? query.sort : 'product_id';
  const field = sort.replace(/^-/, '');
  const compare = SORTABLE[field];
  if (!compare) return `sort must be one of ${Object.keys(SORTABLE).join(', ')}, optionally prefixed with "-".`;
  const direction = sort.startsWith('-') ? -1 : 1;
  rows = [...rows].sort((a, b) => direction * compare(a, b) || SORTABLE.product_id(a, b));
  return { products: rows.slice(offset, offset + limit), limit, offset, total: rows.length };
}

/** `limit` and `offset` of any list endpoint (seed, "Pagination"); a string is a 422 message. */
export function readPaging(query: Record<string, unknown>): { limit: number; offset: number } | string {
  const limit = intParam(query.limit, DEFAULT_LIMIT);
  const offset = intParam(query.offset, 0);
  if (limit === null || limit < 1 || limit > MAX_LIMIT) return `limit must be an integer between 1 and ${MAX_LIMIT}.`;
  if (offset === null || offset < 0) return 'offset must be a non-negative integer.';
  return { limit, offset };
}

function intParam(value: unknown, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}
