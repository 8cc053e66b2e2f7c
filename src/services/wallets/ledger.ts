import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { InsufficientFundsError } from '../../domain/errors';
import { isNegative, toScaledInteger } from '../../domain/money';
import { MONEY_SCALE } from '../../db/columns';
import { WalletEntity, WalletTransactionEntity } from '../../db/entities';
import type { WalletTransactionType } from '../../db/entities/wallet-transaction.entity';
import type { Events } from '../events';

/** What a charge or refund is for; the account's one wallet pays or is paid. */
export interface Entry {
  readonly accountId: string;
  /** Positive decimal string in the wallet currency. */
  readonly amount: string;
  /** Unique per movement: `order:<id>`, `refund:<part id>`… (WalletTransactionEntity.dedupeKey). */
  readonly dedupeKey: string;
  readonly orderId?: string | null;
  readonly topUpId?: string | null;
  readonly description?: string | null;
}

/**
 * The one path money takes, always inside the caller's transaction (the one that writes the order,
 * top-up or refund's cause) and always with its wallet event, which commits with it (outbox).
 * A charge that finds no funds throws INSUFFICIENT_FUNDS and the caller's transaction rolls back;
 * a refund is written at most once per dedupe key, whoever asks and however often.
 */
export class Ledger {
  constructor(private readonly events: Events) {}

  /** Debits the wallet for an order or a top-up. */
  async charge(tx: EntityManager, type: 'ORDER' | 'TOP_UP', entry: Entry, now = new Date()): Promise<WalletTransactionEntity> {
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

  private async move(tx: EntityManager, type: WalletTransactionType, entry: Entry, now: Date): Promise<WalletTransactionEntity> {
    const wallet = await tx.getRepository(WalletEntity).findOneByOrFail({ accountId: entry.accountId });
    const row = await applyMovement(tx, { walletId: wallet.id, type, amount: entry.amount, dedupeKey: entry.dedupeKey, orderId: entry.orderId, topUpId: entry.topUpId, description: entry.description }, now);
    await this.events.walletUpdated(tx, entry.accountId);
    return row;
  }
}

export interface Movement {
  readonly walletId: string;
  readonly type: WalletTransactionType;
  /** Signed decimal string in the wallet currency: negative for debits. */
  readonly amount: string;
  /** Unique per movement (see WalletTransactionEntity.dedupeKey). */
  readonly dedupeKey: string;
  readonly orderId?: string | null;
  readonly topUpId?: string | null;
  readonly description?: string | null;
}

/**
 * Moves money in a wallet and appends its ledger row, inside the caller's transaction (the same
 * one that writes the order or top-up row, so neither can exist without the other).
 *
 * A debit is ONE conditional UPDATE: `balance + delta >= 0` is checked by the database in the
 * statement that changes the balance. We chose it over `SELECT … FOR UPDATE` because it works the
 * same on SQLite (which has no row locks) and MySQL, costs one round trip, and on MySQL the UPDATE
 * itself takes the row's exclusive lock until commit, so the `balanceAfter` read that follows in
 * the same transaction is exactly our own result and concurrent debits queue behind it. Zero
 * rows changed means the funds were not there: nothing moved.
 */
async function applyMovement(tx: EntityManager, movement: Movement, now = new Date()): Promise<WalletTransactionEntity> {
  const delta = toScaledInteger(movement.amount, MONEY_SCALE);
  const update = tx
    .createQueryBuilder()
    .update(WalletEntity)
    .set({ balance: () => 'balance_units + :delta', updatedAt: now })
    .where('id = :id', { id: movement.walletId })
    .setParameter('delta', delta);
  if (isNegative(movement.amount)) update.andWhere('balance_units + :delta >= 0');
  const result = await update.execute();
  const wallet = await tx.getRepository(WalletEntity).findOneByOrFail({ id: movement.walletId });
  if (!result.affected) throw new InsufficientFundsError(movement.amount.replace(/^-/, ''), wallet.currency);
  return tx.getRepository(WalletTransactionEntity).save({
    id: randomUUID(),
    walletId: movement.walletId,
    type: movement.type,
    amount: movement.amount,
    balanceAfter: wallet.balance,
    orderId: movement.orderId ?? null,
    topUpId: movement.topUpId ?? null,
    description: movement.description ?? null,
    dedupeKey: movement.dedupeKey,
    createdAt: now,
  });
}

