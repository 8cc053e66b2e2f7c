import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { requireAdmin, type Viewer } from '../../domain/account';
import { NotFoundError } from '../../domain/errors';
import { parseCreditWallet, type RawCreditWallet } from '../../domain/wallet';
import { WalletEntity, WalletTransactionEntity } from '../../db/entities';
import { newestFirst, type Page } from '../../db/keyset';
import { inTransaction } from '../../db/transaction';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import type { Ledger } from './ledger';

/** Wallet reads and admin credits. Order and top-up debits live with their flows. */
export class WalletService {
  constructor(
    private readonly db: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly ledger: Ledger,
  ) {}

  /** The caller's wallet, or (admins only) another account's. */
  async walletOf(viewer: Viewer, accountId = viewer.accountId): Promise<WalletEntity> {
    if (viewer.role !== 'ADMIN' && accountId !== viewer.accountId) throw new NotFoundError('Wallet');
    const wallet = await this.db.getRepository(WalletEntity).findOneBy({ accountId });
    if (!wallet) throw new NotFoundError('Wallet');
    return wallet;
  }

  /** A wallet by its own id if the viewer may see it (a federation router's entity fetch); null otherwise. */
  async visibleWallet(viewer: Viewer, id: string): Promise<WalletEntity | null> {
    const wallet = await this.db.getRepository(WalletEntity).findOneBy({ id });
    return wallet && (viewer.role === 'ADMIN' || wallet.accountId === viewer.accountId) ? wallet : null;
  }

  /** Newest first; keyset cursor on (createdAt, id). */
  async transactions(
    walletId: string,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<WalletTransactionEntity>> {
    const qb = this.db
      .getRepository(WalletTransactionEntity)
      .createQueryBuilder('t')
      .where('t.wallet_id = :walletId', { walletId });
    return newestFirst(qb, 'wallet-tx', first, after);
  }

  /**
   * Admin only, idempotent by key. A positive amount is a DEPOSIT; a negative one an ADJUSTMENT,
   * which like any debit cannot take the balance below zero (INSUFFICIENT_FUNDS).
   */
  async creditWallet(viewer: Viewer, input: RawCreditWallet): Promise<WalletEntity> {
    requireAdmin(viewer);
    const wallet = await this.walletOf(viewer, input.accountId);
    const { accountId, amount, description } = parseCreditWallet(input, wallet.currency);
    const scope = {
      accountId: viewer.accountId,
      operation: 'creditWallet' as const,
      key: input.idempotencyKey,
      input: { accountId, amount, description },
    };
    await this.idempotency.once(scope, (bind) =>
      inTransaction(this.db, async (tx) => {
        const row = await this.ledger.credit(tx, {
          accountId: wallet.accountId,
          amount,
          dedupeKey: `credit:${randomUUID()}`,
          description,
        });
        await bind(tx, row.id);
        return row.id;
      }),
    );
    return this.db.getRepository(WalletEntity).findOneByOrFail({ id: wallet.id });
  }
}
