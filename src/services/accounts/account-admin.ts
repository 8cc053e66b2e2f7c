import type { DataSource } from 'typeorm';
import { IsNull, Not } from 'typeorm';
import { parseAccountName, parseMarkupPercent, type Viewer } from '../../domain/account';
import { BadUserInputError, NotFoundError } from '../../domain/errors';
import { AccountEntity, ApiKeyEntity } from '../../db/entities';
import { inTransaction } from '../../db/transaction';
import { generateApiKey } from './api-keys';
import { keyRow } from './key-row';

export interface UpdateAccountInput {
  readonly id: string;
  readonly name?: string | null;
  readonly markupPercent?: string | null;
  readonly suspended?: boolean | null;
}

/**
 * Back-office writes. Lock-out rules: an admin may not suspend its own account nor the last
 * active admin, and nobody may revoke the last live key of the account it is calling from
 * (rotate by creating the new key first). An admin may revoke another account's last key.
 */
export class AccountAdmin {
  constructor(private readonly db: DataSource) {}

  /** Admin only (checked by the caller). Absent fields keep their value. */
  update(viewer: Viewer, input: UpdateAccountInput): Promise<AccountEntity> {
    return inTransaction(this.db, async (tx) => {
      const accounts = tx.getRepository(AccountEntity);
      const account = await accounts.findOneBy({ id: input.id });
      if (!account) throw new NotFoundError('Account');
      if (input.name !== null && input.name !== undefined) account.name = parseAccountName(input.name);
      if (input.markupPercent !== null && input.markupPercent !== undefined)
        account.markupPercent = parseMarkupPercent(input.markupPercent);
      if (input.suspended === true && !account.suspendedAt) {
        if (account.id === viewer.accountId)
          throw new BadUserInputError('An administrator cannot suspend its own account.', 'suspended');
        if (account.role === 'ADMIN' && (await accounts.countBy({ role: 'ADMIN', suspendedAt: IsNull() })) <= 1)
          throw new BadUserInputError('The last active administrator cannot be suspended.', 'suspended');
        account.suspendedAt = new Date();
      }
      if (input.suspended === false) account.suspendedAt = null;
      account.updatedAt = new Date();
      return accounts.save(account);
    });
  }

  /** A new "issued" key for the account; the plaintext is returned once, only its hash is kept. */
  async createKey(viewer: Viewer, accountId: string): Promise<{ key: ApiKeyEntity; apiKey: string }> {
    visibleTo(viewer, accountId);
    const account = await this.db.getRepository(AccountEntity).findOneBy({ id: accountId });
    if (!account) throw new NotFoundError('Account');
    const apiKey = generateApiKey();
    const key = keyRow(accountId, apiKey, 'issued');
    await this.db.getRepository(ApiKeyEntity).insert(key);
    return { key, apiKey };
  }

  /** Revokes at once; revoking a revoked key returns it unchanged. */
  revokeKey(viewer: Viewer, keyId: string): Promise<ApiKeyEntity> {
    return inTransaction(this.db, async (tx) => {
      const keys = tx.getRepository(ApiKeyEntity);
      const key = await keys.findOneBy({ id: keyId });
      if (!key || (viewer.role !== 'ADMIN' && key.accountId !== viewer.accountId)) throw new NotFoundError('API key');
      if (key.revokedAt) return key;
      if (key.accountId === viewer.accountId) {
        const live = await keys.countBy({ accountId: key.accountId, revokedAt: IsNull(), id: Not(key.id) });
        if (live === 0)
          throw new BadUserInputError(
            'This is the last live key of your account: create a new key (createApiKey) before revoking it.',
            'id',
          );
      }
      key.revokedAt = new Date();
      await keys.update({ id: key.id }, { revokedAt: key.revokedAt });
      return key;
    });
  }

  /** For the CLI: a new key, then every older live key of the account revoked, in one transaction. */
  rotateKeys(accountId: string): Promise<string> {
    return inTransaction(this.db, async (tx) => {
      if (!(await tx.getRepository(AccountEntity).existsBy({ id: accountId }))) throw new NotFoundError('Account');
      const apiKey = generateApiKey();
      const key = keyRow(accountId, apiKey, 'issued');
      const keys = tx.getRepository(ApiKeyEntity);
      await keys.update({ accountId, revokedAt: IsNull() }, { revokedAt: new Date() });
      await keys.insert(key);
      return apiKey;
    });
  }
}

/** A reseller reaches only its own account; another's is reported as not found. */
export function visibleTo(viewer: Viewer, accountId: string): void {
  if (viewer.role !== 'ADMIN' && viewer.accountId !== accountId) throw new NotFoundError('Account');
}
