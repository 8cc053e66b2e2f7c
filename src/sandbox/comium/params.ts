/** Query-string helpers shared by Comium's simulated routes. */

/** The first value of a query parameter, or undefined when absent or empty. */
export function single(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** The fallback when absent, null when present but not a positive integer. */
export function positiveInt(value: string | undefined, fallback: number): number | null {
  if (value === undefined) return fallback;
  return /^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** Assumed: the document names page_size/page_number but gives neither default nor maximum. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** page_size/page_number read once for every paged list; a string is the 400 message. */
export function paging(query: Record<string, unknown>): { size: number; number: number } | string {
  const size = positiveInt(single(query.page_size), DEFAULT_PAGE_SIZE);
  const number = positiveInt(single(query.page_number), 1);
  if (size === null || size > MAX_PAGE_SIZE) return 'Invalid page_size';
  if (number === null) return 'Invalid page_number';
  return { size, number };
}

/** One page of `items` in the assumed list envelope `{data, page_number, page_size, total_count}`. */
export function page<T>(
  items: readonly T[],
  paging: { size: number; number: number },
): { data: T[]; page_number: number; page_size: number; total_count: number } {
  const start = (paging.number - 1) * paging.size;
  return {
    data: items.slice(start, start + paging.size),
    page_number: paging.number,
    page_size: paging.size,
    total_count: items.length,
  };
}

export function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
