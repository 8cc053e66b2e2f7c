import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { In, IsNull } from 'typeorm';
import {
  parseAccountName,
  parseMarkupPercent,
  requireAdmin,
  type AccountRole,
  type Viewer,
} from '../../domain/account';
import { NotFoundError, UnauthenticatedError } from '../../domain/errors';
import { AccountEntity, ApiKeyEntity, WalletEntity } from '../../db/entities';
import { inTransaction, isUniqueViolation } from '../../db/transaction';
import { generateApiKey, hashApiKey, parseBearer } from './api-keys';

export interface CreateAccountInput {
  readonly name: string;
  readonly role?: AccountRole | null;
  readonly markupPercent?: string | null;
}

/** Accounts, API keys and authentication. Only key hashes are ever stored. */
export class AccountService {
  /** Short-lived memo of key hash → viewer, so hot paths do not hit the database per request. */
  private readonly keyMemo = new Map<string, { viewer: Viewer; until: number }>();
  /** The caller's own account, loaded with its key: `viewer` costs no query while the key memo holds. */
  private readonly accountMemo = new Map<string, { account: AccountEntity; until: number }>();

  constructor(
    private readonly db: DataSource,
    private readonly memoMs = 5_000,
  ) {}

  /** Resolves "Bearer <key>" to the calling account, or throws UNAUTHENTICATED. */
  async authenticate(authorization: string | undefined | null): Promise<Viewer> {
    const key = parseBearer(authorization);
    if (!key) throw new UnauthenticatedError();
    const hash = hashApiKey(key);
    const memo = this.keyMemo.get(hash);
    if (memo && memo.until > Date.now()) return memo.viewer;
    const row = await this.db
      .getRepository(ApiKeyEntity)
      .findOne({ where: { keyHash: hash, revokedAt: IsNull() }, relations: { account: true } });
    if (!row?.account) throw new UnauthenticatedError('The API key is not valid.');
    const viewer: Viewer = {
      accountId: row.account.id,
      role: row.account.role,
      markupPercent: row.account.markupPercent,
      keyId: row.id,
    };
    if (this.keyMemo.size > 10_000) this.keyMemo.clear();
    const until = Date.now() + this.memoMs;
    this.keyMemo.set(hash, { viewer, until });
    if (this.accountMemo.size > 10_000) this.accountMemo.clear();
    this.accountMemo.set(row.account.id, { account: row.account, until });
    return viewer;
  }

  async getAccount(viewer: Viewer, id: string): Promise<AccountEntity> {
    if (viewer.role !== 'ADMIN' && viewer.accountId !== id) throw new NotFoundError('Account');
    const memo = this.accountMemo.get(id);
    if (memo && memo.until > Date.now()) return memo.account;
    const account = await this.db.getRepository(AccountEntity).findOneBy({ id });
    if (!account) throw new NotFoundError('Account');
    return account;
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
    this.keyMemo.clear();
    this.accountMemo.clear();
    return configuredKey ? null : key;
  }
}

/** Kinds of key created from the bootstrap setting: at most one of them is live at a time. */
const BOOTSTRAP_KINDS = ['bootstrap', 'configured'];

function keyRow(accountId: string, key: string, kind: string): ApiKeyEntity {
  return {
    id: randomUUID(),
    accountId,
    keyHash: hashApiKey(key),
    prefix: key.slice(0, 12),
    kind,
    createdAt: new Date(),
    revokedAt: null,
  };
}
