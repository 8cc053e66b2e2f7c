import type { DataSource, EntityManager } from 'typeorm';

/** MySQL/MariaDB errors after which the whole transaction may simply run again. */
const RETRYABLE_MYSQL = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_ATTEMPTS = 4;

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();
/** What runs once the transaction a manager belongs to has committed (never after a rollback). */
const afterCommitQueues = new WeakMap<EntityManager, (() => void)[]>();

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
    const run = previous.catch(() => undefined).then(() => once(db, work));
    sqliteQueues.set(
      db,
      run.catch(() => undefined),
    );
    return run;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(db, work);
    } catch (error) {
      const code =
        (error as { driverError?: { code?: string }; code?: string }).driverError?.code ??
        (error as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE_MYSQL.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/**
 * One attempt: `work` in a transaction, then, only if it committed, what it queued with
 * `afterCommit`. A rolled-back attempt's queue is dropped with it, so a re-run never announces twice.
 */
async function once<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  const queue: (() => void)[] = [];
  const result = await db.transaction((tx) => {
    afterCommitQueues.set(tx, queue);
    return work(tx);
  });
  for (const task of queue) {
    try {
      task();
    } catch {
      // After the commit nothing may fail the caller: the change is stored (an outbox sweep resends).
    }
  }
  return result;
}

/**
 * Queues `task` to run after the transaction `tx` belongs to commits. Throws outside
 * `inTransaction`: an event announced from a bare manager could announce a change never written.
 */
export function afterCommit(tx: EntityManager, task: () => void): void {
  const queue = afterCommitQueues.get(tx);
  if (!queue) throw new Error('afterCommit needs a manager from inTransaction');
  queue.push(task);
}

/** True when `error` is a unique-index violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { driverError?: { code?: string }; code?: string };
  const code = e.driverError?.code ?? e.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
