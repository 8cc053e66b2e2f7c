import type { DataSource } from 'typeorm';
import { fromScaledInteger } from '../../domain/money';
import { FailoverReason } from '../../domain/order-fallback';
import { OrderStatus } from '../../domain/order-status';
import { MONEY_SCALE } from '../columns';
import { OrderEntity, WalletEntity } from '../entities';

/** Orders by status across all accounts, in one GROUP BY; every status is present, 0 when none. */
export async function countOrdersByStatus(db: DataSource): Promise<Record<string, number>> {
  const rows: { status: string; count: string | number }[] = await db
    .getRepository(OrderEntity)
    .createQueryBuilder('o')
    .select('o.status', 'status')
    .addSelect('COUNT(*)', 'count')
    .groupBy('o.status')
    .getRawMany();
  const counts: Record<string, number> = Object.fromEntries(Object.values(OrderStatus).map((s) => [s, 0]));
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** Failed-over orders by reason, in one GROUP BY; every reason is present, 0 when none. */
export async function countOrdersFailedOver(db: DataSource): Promise<Record<string, number>> {
  const rows: { reason: string; count: string | number }[] = await db
    .getRepository(OrderEntity)
    .createQueryBuilder('o')
    .select('o.failover_reason', 'reason')
    .addSelect('COUNT(*)', 'count')
    .where('o.failover_reason IS NOT NULL')
    .groupBy('o.failover_reason')
    .getRawMany();
  const counts: Record<string, number> = Object.fromEntries(Object.values(FailoverReason).map((r) => [r, 0]));
  for (const row of rows) counts[row.reason] = Number(row.count);
  return counts;
}

/** The sum of all wallet balances by currency, as decimal strings, in one GROUP BY. */
export async function sumWalletBalances(db: DataSource): Promise<Record<string, string>> {
  const rows: { currency: string; units: string | number | null }[] = await db
    .getRepository(WalletEntity)
    .createQueryBuilder('w')
    .select('w.currency', 'currency')
    .addSelect('SUM(w.balance_units)', 'units')
    .groupBy('w.currency')
    .getRawMany();
  // MySQL answers SUM() as a DECIMAL string, SQLite as a number: both are whole scaled units.
  return Object.fromEntries(rows.map((r) => [r.currency, fromScaledInteger(String(r.units ?? 0), MONEY_SCALE)]));
}
