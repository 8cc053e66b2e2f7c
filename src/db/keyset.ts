import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize } from '../domain/cursor';
import { BadUserInputError } from '../domain/errors';

export interface Page<T> {
  readonly edges: readonly { readonly cursor: string; readonly node: T }[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

/**
 * Newest first, keyset on (created_at, id): a page never repeats or skips a row while the rows
 * before the cursor do not change. `qb` carries the caller's filters; `kind` tags the cursor so
 * one list's cursor is refused by another (BAD_USER_INPUT).
 */
export async function newestFirst<T extends ObjectLiteral & { createdAt: Date; id: string }>(
  qb: SelectQueryBuilder<T>,
  kind: string,
  first?: number | null,
  after?: string | null,
): Promise<Page<T>> {
  const size = pageSize(first);
  const alias = qb.alias;
  const totalCount = await qb.clone().getCount();
  if (after) {
    const [at, id] = decodeCursor(kind, after);
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)))
      throw new BadUserInputError('The cursor is not valid.', 'after');
    qb.andWhere(`(${alias}.created_at < :cursorAt OR (${alias}.created_at = :cursorAt AND ${alias}.id < :cursorId))`, {
      cursorAt: new Date(at),
      cursorId: id,
    });
  }
  const rows = await qb
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(size + 1)
    .getMany();
  const edges = rows
    .slice(0, size)
    .map((node) => ({ cursor: encodeCursor(kind, [node.createdAt.toISOString(), node.id]), node }));
  return { edges, hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null, totalCount };
}
