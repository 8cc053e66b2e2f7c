import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { InsufficientFundsError } from '../../domain/errors';
import { isNegative, toScaledInteger } from '../../domain/money';
import { MONEY_SCALE } from '../../db/columns';
import { WalletEntity, WalletTransactionEntity } from '../../db/entities';
import type { WalletTransactionType } from '../../db/entities/wallet-transaction.entity';

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
export async function applyMovement(tx: EntityManager, movement: Movement, now = new Date()): Promise<WalletTransactionEntity> {
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

/** Whether a movement with this dedupe key was already written. */
export async function movementExists(tx: EntityManager, dedupeKey: string): Promise<boolean> {
  return (await tx.getRepository(WalletTransactionEntity).countBy({ dedupeKey })) > 0;
}
