import type { Request } from 'express';

/** Largest page any eSIMTrade list serves (assumed). */
export const MAX_LIMIT = 100;

export interface Paging {
  readonly page: number;
  readonly limit: number;
}

/** One query value; a repeated parameter counts as invalid (empty string fails every check). */
export function queryValue(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : '';
}

export function positiveInt(value: string | undefined, fallback: number): number | null {
  if (value === undefined) return fallback;
  return /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** `page` (1-based) and `limit` (1..100); a string is the validation message of a 400. */
export function parsePaging(req: Request, defaultLimit: number): Paging | string {
  const page = positiveInt(queryValue(req, 'page'), 1);
  const limit = positiveInt(queryValue(req, 'limit'), defaultLimit);
  if (page === null) return 'page must be a positive integer.';
  if (limit === null || limit > MAX_LIMIT) return `limit must be an integer from 1 to ${MAX_LIMIT}.`;
  return { page, limit };
}

/** One page of `items` in the `{ data, meta }` list envelope every eSIMTrade list uses. */
export function pageOf<T>(
  items: readonly T[],
  { page, limit }: Paging,
): { data: T[]; meta: Paging & { total: number; pages: number } } {
  return {
    data: items.slice((page - 1) * limit, page * limit),
    meta: { page, limit, total: items.length, pages: Math.ceil(items.length / limit) },
  };
}
