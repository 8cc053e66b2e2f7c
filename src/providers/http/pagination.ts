/** Guard against a corrupt page count turning one catalog read into thousands of calls. */
export const MAX_PAGES = 100;

/**
 * Reads every page of a paged list in at most two sequential waves: page 1 tells how many pages
 * there are, then pages 2..n go out together (each still through the client's rate limit).
 * `fetchPage` takes 1-based page numbers; `onTruncated` hears about a count above `maxPages`.
 */
export async function fetchAllPages<P>(
  fetchPage: (page: number) => Promise<P>,
  pageCountOf: (first: P) => number,
  onTruncated: (pages: number) => void,
  maxPages = MAX_PAGES,
): Promise<P[]> {
  const first = await fetchPage(1);
  const count = pageCountOf(first);
  if (count > maxPages) onTruncated(count);
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, Math.min(count, maxPages) - 1) }, (_, i) => fetchPage(i + 2)),
  );
  return [first, ...rest];
}
