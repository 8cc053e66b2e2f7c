import { MONEY_SCALE } from '../../src/db/columns';
import { toScaledInteger } from '../../src/domain/money';

/** The caller's wallet and its whole ledger (up to 100 rows), as the API shows them. */
export const LEDGER_QUERY =
  '{ wallet { balance { amount } transactions(first: 100) { nodes { id type amount { amount } balanceAfter { amount } orderId createdAt } } } }';

export interface LedgerRow {
  readonly id: string;
  readonly type: string;
  readonly amount: string;
  readonly balanceAfter: string;
  readonly orderId: string | null;
  readonly createdAt: string;
}

export interface Ledger {
  readonly balance: string;
  readonly rows: readonly LedgerRow[];
}

/** The `data` of a LEDGER_QUERY answer as plain rows. */
export function ledgerFrom(data: any): Ledger {
  const rows = (data.wallet.transactions.nodes as any[]).map((n) => ({
    id: n.id,
    type: n.type,
    amount: n.amount.amount,
    balanceAfter: n.balanceAfter.amount,
    orderId: n.orderId ?? null,
    createdAt: n.createdAt,
  }));
  return { balance: data.wallet.balance.amount, rows };
}

const units = (amount: string): number => toScaledInteger(amount, MONEY_SCALE);

/**
 * The ledger invariants of the reliability plan, for a wallet that started at zero:
 * - SUM(amount) == wallet.balance, and every balanceAfter >= 0;
 * - the rows form one chain: each row's balanceAfter == the previous row's balanceAfter + amount,
 *   ending at the balance (rows are chained by value, since rows written in the same millisecond
 *   may list in either order);
 * - exactly one ORDER debit per order in `fundedOrders`, and never two for any order;
 * - at most one REFUND per order, equal to its debit (so not for wallets with cancelled orders,
 *   which refund per profile).
 */
export function expectLedgerInvariants(ledger: Ledger, fundedOrders: readonly string[] = []): void {
  const problems: string[] = [];
  const sum = ledger.rows.reduce((total, row) => total + units(row.amount), 0);
  if (sum !== units(ledger.balance)) problems.push(`SUM(amount) ${sum / MONEY_SCALE} != balance ${ledger.balance}`);
  for (const row of ledger.rows)
    if (units(row.balanceAfter) < 0) problems.push(`row ${row.id} has balanceAfter ${row.balanceAfter} < 0`);

  const remaining = [...ledger.rows].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let running = 0;
  while (remaining.length) {
    const next = remaining.findIndex((row) => units(row.balanceAfter) - units(row.amount) === running);
    if (next < 0) {
      problems.push(
        `no row continues the chain at ${running / MONEY_SCALE}: ${remaining.map((r) => `${r.type} ${r.amount} → ${r.balanceAfter}`).join(', ')}`,
      );
      break;
    }
    running = units(remaining.splice(next, 1)[0].balanceAfter);
  }
  if (!remaining.length && running !== units(ledger.balance))
    problems.push(`chain ends at ${running / MONEY_SCALE}, balance is ${ledger.balance}`);

  const byOrder = new Map<string, LedgerRow[]>();
  for (const row of ledger.rows) if (row.orderId) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row]);
  for (const id of fundedOrders) if (!byOrder.has(id)) byOrder.set(id, []);
  for (const [id, rows] of byOrder) {
    const debits = rows.filter((r) => r.type === 'ORDER');
    const refunds = rows.filter((r) => r.type === 'REFUND');
    if (debits.length !== 1) problems.push(`order ${id} has ${debits.length} ORDER debits`);
    if (refunds.length > 1) problems.push(`order ${id} has ${refunds.length} REFUNDs`);
    if (refunds.length === 1 && debits.length === 1 && units(refunds[0].amount) !== -units(debits[0].amount))
      problems.push(`order ${id} refunded ${refunds[0].amount} for a debit of ${debits[0].amount}`);
  }
  expect(problems).toEqual([]);
}
