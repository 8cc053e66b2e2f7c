import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SettingEntity } from '../../db/entities';
import { inTransaction, isUniqueViolation } from '../../db/transaction';

/** Values every instance shares through the database; the first instance to write one wins. */
export class SettingsService {
  constructor(private readonly db: DataSource) {}

  async get(key: string): Promise<string | null> {
    return (await this.db.getRepository(SettingEntity).findOneBy({ key }))?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await inTransaction(this.db, (tx) => tx.getRepository(SettingEntity).save({ key, value, updatedAt: new Date() }));
  }

  /** The stored value, or `initial` stored now; concurrent first writers agree on one value. */
  async getOrCreate(key: string, initial: () => string): Promise<string> {
    const existing = await this.get(key);
    if (existing !== null) return existing;
    try {
      await inTransaction(this.db, (tx) =>
        tx.getRepository(SettingEntity).insert({ key, value: initial(), updatedAt: new Date() }),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    return (await this.get(key))!;
  }
}

/** 256 random bits, URL-safe: for secrets that travel in a URL. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
