import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { TEXT_LIMITS, parseOptionalText } from '../../domain/text';
import { AccountEntity, ApiKeyEntity } from '../../db/entities';
import { newestFirst, type Page } from '../../db/keyset';

/** `!` rather than a backslash: SQLite and MySQL read a backslash in a string literal differently. */
const LIKE_ESCAPE = '!';

/** Reads behind the back office; callers check the viewer first. */
export class AccountQueries {
  constructor(private readonly db: DataSource) {}

  /** Newest first; `search` is a case-insensitive substring of the name (bounded, wildcards escaped). */
  list(search: string | null | undefined, first?: number | null, after?: string | null): Promise<Page<AccountEntity>> {
    const qb = this.db.getRepository(AccountEntity).createQueryBuilder('a').where('1 = 1');
    const needle = parseOptionalText(search, 'search', TEXT_LIMITS.search);
    if (needle !== null)
      qb.andWhere(`LOWER(a.name) LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, {
        pattern: `%${escapeLike(needle.toLowerCase())}%`,
      });
    return newestFirst(qb, 'account', first, after);
  }

  /** For DataLoader: same order as `ids`, null for an unknown id. No visibility check. */
  async byIds(ids: readonly string[]): Promise<(AccountEntity | null)[]> {
    const rows = await this.db.getRepository(AccountEntity).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** For DataLoader: each account's keys, oldest first, revoked ones included. */
  async keysOf(accountIds: readonly string[]): Promise<ApiKeyEntity[][]> {
    const rows = await this.db
      .getRepository(ApiKeyEntity)
      .find({ where: { accountId: In([...accountIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return accountIds.map((id) => rows.filter((row) => row.accountId === id));
  }
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
}
