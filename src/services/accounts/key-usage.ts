import type { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../../db/entities';

const MAX_TRACKED = 10_000;

/**
 * Records when a key was last used without a database write per request: at most one write per
 * key per `everyMs` on this instance, fire-and-forget. Best effort: a failed write is dropped, and
 * `lastUsedAt` may trail the truth by up to `everyMs`.
 */
export class KeyUsage {
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly db: DataSource,
    private readonly everyMs = 60_000,
  ) {}

  touch(keyId: string | undefined): void {
    if (!keyId) return;
    const now = Date.now();
    const last = this.writtenAt.get(keyId);
    if (last !== undefined && now - last < this.everyMs) return;
    if (this.writtenAt.size > MAX_TRACKED) this.writtenAt.clear();
    this.writtenAt.set(keyId, now);
    void this.db
      .getRepository(ApiKeyEntity)
      .update({ id: keyId }, { lastUsedAt: new Date(now) })
      .catch(() => undefined);
  }
}
