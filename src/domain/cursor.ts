import { BadUserInputError } from './errors';

/**
 * Opaque keyset cursors: a kind tag plus the sort key of the last item seen. Keyset (rather than
 * offset) cursors keep pages from repeating or skipping when items before the cursor change.
 */
export function encodeCursor(kind: string, key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify([kind, ...key]), 'utf8').toString('base64url');
}

export function decodeCursor(kind: string, cursor: string): (string | number | null)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadUserInputError('The cursor is not valid.', 'after');
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== kind ||
    !parsed.slice(1).every((v) => v === null || ['string', 'number'].includes(typeof v))
  ) {
    throw new BadUserInputError('The cursor is not valid.', 'after');
  }
  return parsed.slice(1) as (string | number | null)[];
}

/** Connections take `first` 1..100 (default 20), per the contract. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return 20;
  if (!Number.isInteger(first) || first < 1 || first > 100)
    throw new BadUserInputError('`first` must be between 1 and 100.', 'first');
  return first;
}
