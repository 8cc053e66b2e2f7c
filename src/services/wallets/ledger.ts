import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { InsufficientFundsError } from '../../domain/errors';
import { isNegative, toScaledInteger } from '../../domain/money';
import { MONEY_SCALE } from '../../db/columns';
import { WalletEntity, WalletTransactionEntity } from '../../db/entities';
import { afterCommit } from '../../db/transaction';
import type { WalletTransactionType } from '../../domain/wallet';
import type { Events } from '../events';

/** What a charge or refund is for; the account's one wallet pays or is paid. */
export interface Entry {
  readonly accountId: string;
  /** Decimal string in the wallet currency: positive, except an admin's negative credit. */
  readonly amount: string;
  /** Unique per movement: `order:<id>`, `refund:<part id>`… (WalletTransactionEntity.dedupeKey). */
  readonly dedupeKey: string;
  readonly orderId?: string | null;
  readonly topUpId?: string | null;
  readonly description?: string | null;
}

/** Told of each movement once its transaction has committed (metrics); never of one that rolled back. */
export type MovementObserver = (movement: { readonly kind: WalletTransactionType; readonly currency: string }) => void;

/**
 * The one path money takes, always inside the caller's transaction (the one that writes the order,
 * top-up or refund's cause) and always with its wallet event, which commits with it (outbox).
 * A charge that finds no funds throws INSUFFICIENT_FUNDS and the caller's transaction rolls back;
 * a refund is written at most once per dedupe key, whoever asks and however often.
 */
export class Ledger {
  constructor(
    private readonly events: Events,
    private readonly observe: MovementObserver = () => undefined,
  ) {}

  /** Debits the wallet for an order or a top-up. */
  async charge(
    tx: EntityManager,
    type: 'ORDER' | 'TOP_UP',
    entry: Entry,
    now = new Date(),
  ): Promise<WalletTransactionEntity> {
    return this.move(tx, type, { ...entry, amount: `-${entry.amount}` }, now);
  }

  /**
   * Refunds unless a movement with this dedupe key exists; true when money moved. Two writers that
   * race past the check still pay once: the dedupe key's unique index fails the second transaction.
   */
  async refundOnce(tx: EntityManager, entry: Entry, now = new Date()): Promise<boolean> {
    if (await tx.getRepository(WalletTransactionEntity).existsBy({ dedupeKey: entry.dedupeKey })) return false;
    await this.move(tx, 'REFUND', entry, now);
    return true;
  }

  /** An admin's signed credit: a DEPOSIT, or an ADJUSTMENT when negative. */
  async credit(tx: EntityManager, entry: Entry, now = new Date()): Promise<WalletTransactionEntity> {
    return this.move(tx, isNegative(entry.amount) ? 'ADJUSTMENT' : 'DEPOSIT', entry, now);
  }

  /**
   * Moves money and appends its ledger row. A debit is ONE conditional UPDATE: `balance + delta
   * >= 0` is checked by the database in the statement that changes the balance. We chose it over
   * `SELECT … FOR UPDATE` because it works the same on SQLite (which has no row locks) and MySQL,
   * costs one round trip, and on MySQL the UPDATE itself takes the row's exclusive lock until
   * commit, so the `balanceAfter` read that follows in the same transaction is exactly our own
   * result and concurrent debits queue behind it. Zero rows changed: the funds were not there.
   */
  private async move(
    tx: EntityManager,
    type: WalletTransactionType,
    entry: Entry,
    now: Date,
  ): Promise<WalletTransactionEntity> {
    const update = tx
      .createQueryBuilder()
      .update(WalletEntity)
      .set({ balance: () => 'balance_units + :delta', updatedAt: now })
      .where('account_id = :accountId', { accountId: entry.accountId })
      .setParameter('delta', toScaledInteger(entry.amount, MONEY_SCALE));
    if (isNegative(entry.amount)) update.andWhere('balance_units + :delta >= 0');
    const result = await update.execute();
    const wallet = await tx.getRepository(WalletEntity).findOneByOrFail({ accountId: entry.accountId });
    if (!result.affected) throw new InsufficientFundsError(entry.amount.replace(/^-/, ''), wallet.currency);
    const row = await tx.getRepository(WalletTransactionEntity).save({
      id: randomUUID(),
      walletId: wallet.id,
      type,
      amount: entry.amount,
      balanceAfter: wallet.balance,
      orderId: entry.orderId ?? null,
      topUpId: entry.topUpId ?? null,
      description: entry.description ?? null,
      dedupeKey: entry.dedupeKey,
      createdAt: now,
    });
    await this.events.walletUpdated(tx, entry.accountId);
    afterCommit(tx, () => this.observe({ kind: type, currency: wallet.currency }));
    return row;
  }
}
