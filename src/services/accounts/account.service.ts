import { randomUUID } from 'node:crypto';
import type Keyv from 'keyv';
import type { DataSource } from 'typeorm';
import { In, IsNull } from 'typeorm';
import {
  parseAccountName,
  parseMarkupPercent,
  requireAdmin,
  type AccountRole,
  type Viewer,
} from '../../domain/account';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../domain/errors';
import { AccountEntity, ApiKeyEntity, WalletEntity } from '../../db/entities';
import type { Page } from '../../db/keyset';
import { inTransaction, isUniqueViolation } from '../../db/transaction';
import { AccountAdmin, visibleTo, type UpdateAccountInput } from './account-admin';
import { AccountQueries } from './account-queries';
import { generateApiKey, hashApiKey, parseBearer } from './api-keys';
import { AuthMemo } from './auth-memo';
import { keyRow } from './key-row';
import { KeyUsage } from './key-usage';

export type { UpdateAccountInput } from './account-admin';

export const SUSPENDED_MESSAGE = 'This account is suspended: ask the gateway operator to restore it.';

export interface CreateAccountInput {
  readonly name: string;
  readonly role?: AccountRole | null;
  readonly markupPercent?: string | null;
}

/** Accounts, API keys and authentication. Only key hashes are ever stored. */
export class AccountService {
  private readonly memo: AuthMemo;
  private readonly usage: KeyUsage;
  private readonly queries: AccountQueries;
  private readonly admin: AccountAdmin;

  constructor(
    private readonly db: DataSource,
    /** The shared cache: revocations, suspensions and markups reach every instance's memo through it. */
    shared: Keyv | null = null,
    memoMs = 5_000,
  ) {
    this.memo = new AuthMemo(shared, memoMs);
    this.usage = new KeyUsage(db);
    this.queries = new AccountQueries(db);
    this.admin = new AccountAdmin(db);
  }

  /**
   * Resolves "Bearer <key>" to the calling account: UNAUTHENTICATED for a missing, unknown or
   * revoked key, FORBIDDEN for a key of a suspended account.
   */
  async authenticate(authorization: string | undefined | null): Promise<Viewer> {
    const key = parseBearer(authorization);
    if (!key) throw new UnauthenticatedError();
    const hash = hashApiKey(key);
    const epoch = await this.memo.epoch();
    const memoized = this.memo.viewer(hash, epoch);
    if (memoized) {
      this.usage.touch(memoized.keyId);
      return memoized;
    }
    const row = await this.db
      .getRepository(ApiKeyEntity)
      .findOne({ where: { keyHash: hash, revokedAt: IsNull() }, relations: { account: true } });
    if (!row?.account) throw new UnauthenticatedError('The API key is not valid.');
    if (row.account.suspendedAt) throw new ForbiddenError(SUSPENDED_MESSAGE);
    const viewer: Viewer = {
      accountId: row.account.id,
      role: row.account.role,
      markupPercent: row.account.markupPercent,
      keyId: row.id,
    };
    this.memo.remember(hash, viewer, row.account, epoch);
    this.usage.touch(row.id);
    return viewer;
  }

  /**
   * For a caller authenticated earlier (a graphql-ws connection): throws as `authenticate` would
   * once its key was revoked or its account suspended since.
   */
  async recheck(viewer: Viewer): Promise<void> {
    if (!viewer.keyId) return;
    const epoch = await this.memo.epoch();
    if (this.memo.keyLive(viewer.keyId, epoch)) return;
    const row = await this.db
      .getRepository(ApiKeyEntity)
      .findOne({ where: { id: viewer.keyId, revokedAt: IsNull() }, relations: { account: true } });
    if (!row?.account) throw new UnauthenticatedError('The API key is not valid.');
    if (row.account.suspendedAt) throw new ForbiddenError(SUSPENDED_MESSAGE);
    this.memo.rememberKey(viewer.keyId, epoch);
  }

  async getAccount(viewer: Viewer, id: string): Promise<AccountEntity> {
    visibleTo(viewer, id);
    const memo = this.memo.account(id, await this.memo.epoch());
    if (memo) return memo;
    const account = await this.db.getRepository(AccountEntity).findOneBy({ id });
    if (!account) throw new NotFoundError('Account');
    return account;
  }

  /** Admin only. */
  listAccounts(
    viewer: Viewer,
    search: string | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<AccountEntity>> {
    requireAdmin(viewer);
    return this.queries.list(search, first, after);
  }

  /** For DataLoader, no visibility check: only reached from rows the viewer may see. */
  accountsByIds(ids: readonly string[]): Promise<(AccountEntity | null)[]> {
    return this.queries.byIds(ids);
  }

  /** For DataLoader, no visibility check (as accountsByIds). */
  apiKeysOf(accountIds: readonly string[]): Promise<ApiKeyEntity[][]> {
    return this.queries.keysOf(accountIds);
  }

  /** Every instance re-reads logins (and what is memoized per login) at its next request. */
  forgetLogins(): Promise<void> {
    return this.memo.invalidate();
  }

  /** Admin only. A new markup prices the account's next request; a suspension refuses it. */
  async updateAccount(viewer: Viewer, input: UpdateAccountInput): Promise<AccountEntity> {
    requireAdmin(viewer);
    const account = await this.admin.update(viewer, input);
    await this.memo.invalidate();
    return account;
  }

  /** Admins for any account, a reseller for its own. */
  createApiKey(viewer: Viewer, accountId: string): Promise<{ key: ApiKeyEntity; apiKey: string }> {
    return this.admin.createKey(viewer, accountId);
  }

  /** Admins any key, a reseller its own; the key is refused from the next request on, on every instance. */
  async revokeApiKey(viewer: Viewer, keyId: string): Promise<ApiKeyEntity> {
    const key = await this.admin.revokeKey(viewer, keyId);
    await this.memo.invalidate();
    return key;
  }

  /** For scripts (the accounts CLI): a new key for the account, every older one revoked. */
  async rotateKeys(accountId: string): Promise<string> {
    const apiKey = await this.admin.rotateKeys(accountId);
    await this.memo.invalidate();
    return apiKey;
  }

  /** Admin only. Creates the account, its empty USD wallet and its first key, in one transaction. */
  async createAccount(viewer: Viewer, input: CreateAccountInput): Promise<{ account: AccountEntity; apiKey: string }> {
    requireAdmin(viewer);
    const name = parseAccountName(input.name);
    const markupPercent = parseMarkupPercent(input.markupPercent);
    const apiKey = generateApiKey();
    const account = await inTransaction(this.db, async (tx) => {
      const now = new Date();
      const created = await tx.getRepository(AccountEntity).save({
        id: randomUUID(),
        name,
        role: input.role ?? 'RESELLER',
        markupPercent,
        createdAt: now,
        updatedAt: now,
      });
      await tx
        .getRepository(WalletEntity)
        .save({ id: randomUUID(), accountId: created.id, currency: 'USD', balance: '0', updatedAt: now });
      await tx.getRepository(ApiKeyEntity).save(keyRow(created.id, apiKey, 'issued'));
      return created;
    });
    return { account, apiKey };
  }

  /**
   * Makes sure an ADMIN answers to `configuredKey` (GATEWAY_BOOTSTRAP_ADMIN_KEY) and that no key an
   * earlier bootstrap value created still works: rotating the variable revokes the old key at
   * this start. Without a configured key (sandbox mode), issues a fresh one the same way and
   * returns it to be printed once. Keys issued by createAccount are never touched.
   */
  async ensureBootstrapAdmin(configuredKey: string | null): Promise<string | null> {
    const key = configuredKey ?? generateApiKey();
    const hash = hashApiKey(key);
    try {
      await inTransaction(this.db, async (tx) => {
        const keys = tx.getRepository(ApiKeyEntity);
        const now = new Date();
        const live = await keys.find({
          select: { id: true, keyHash: true },
          where: { kind: In(BOOTSTRAP_KINDS), revokedAt: IsNull() },
        });
        const stale = live.filter((row) => row.keyHash !== hash).map((row) => row.id);
        if (stale.length) await keys.update({ id: In(stale) }, { revokedAt: now });
        const existing = await keys.findOne({ where: { keyHash: hash }, relations: { account: true } });
        if (existing) {
          // Going back to an earlier value is the operator's call: its key works again.
          if (existing.account?.role !== 'ADMIN' || !BOOTSTRAP_KINDS.includes(existing.kind))
            throw new Error('GATEWAY_BOOTSTRAP_ADMIN_KEY must not be a key issued by createAccount.');
          if (existing.revokedAt) await keys.update({ id: existing.id }, { revokedAt: null });
          return;
        }
        let admin = await tx
          .getRepository(AccountEntity)
          .findOne({ where: { role: 'ADMIN' }, order: { createdAt: 'ASC' } });
        if (!admin) {
          admin = await tx.getRepository(AccountEntity).save({
            id: randomUUID(),
            name: 'Administrator',
            role: 'ADMIN',
            markupPercent: '0',
            createdAt: now,
            updatedAt: now,
          });
          await tx
            .getRepository(WalletEntity)
            .save({ id: randomUUID(), accountId: admin.id, currency: 'USD', balance: '0', updatedAt: now });
        }
        await keys.insert(keyRow(admin.id, key, configuredKey ? 'configured' : 'bootstrap'));
      });
    } catch (error) {
      // Another replica starting with the same configured key inserted it first.
      if (!(configuredKey && isUniqueViolation(error))) throw error;
    }
    await this.memo.invalidate();
    return configuredKey ? null : key;
  }
}

/** Kinds of key created from the bootstrap setting: at most one of them is live at a time. */
const BOOTSTRAP_KINDS = ['bootstrap', 'configured'];
