import type { DataSource, EntityManager } from 'typeorm';

/** MySQL/MariaDB errors after which the whole transaction may simply run again. */
const RETRYABLE_MYSQL = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_ATTEMPTS = 4;

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in one database transaction. Every write of the gateway goes through here.
 *
 * - SQLite: the embedded database has ONE connection, and a second BEGIN on it while a
 *   transaction is open fails ("cannot start a transaction within a transaction"). Transactions
 *   are therefore queued, one after the other, in this process. They are short (never an
 *   upstream call inside), so the queue costs microseconds.
 * - MySQL/MariaDB: a deadlock or lock-wait timeout rolls the transaction back; it is run again
 *   (up to 4 attempts, jittered) so no such error reaches a client. `work` must be safe to
 *   re-run: it only touches the database.
 */
export async function inTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (db.options.type === 'better-sqlite3') {
    const previous = sqliteQueues.get(db) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => db.transaction(work));
    sqliteQueues.set(db, run.catch(() => undefined));
    return run;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE_MYSQL.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/** True when `error` is a unique-index violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { driverError?: { code?: string }; code?: string };
  const code = e.driverError?.code ?? e.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
