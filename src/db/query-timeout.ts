import { AdvancedConsoleLogger, EventSubscriber, type AfterQueryEvent, type EntitySubscriberInterface } from 'typeorm';

/** Default of DB_QUERY_TIMEOUT_MS: the longest wait for MySQL/MariaDB to answer one statement. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** mysql2's error when a statement got no answer within its `timeout`. */
const QUERY_TIMEOUT_CODE = 'PROTOCOL_SEQUENCE_TIMEOUT';

/**
 * The MySQL/MariaDB DataSource options that bound every wait on the server (`timeoutMs` each):
 *
 * - `enableQueryTimeout` + `maxQueryExecutionTime`: TypeORM's MysqlQueryRunner then sends every
 *   statement (START TRANSACTION and COMMIT included) as `{ sql, timeout }`, mysql2's per-query
 *   inactivity timeout. It is measured on the client, so it also fires when the network path goes
 *   silent (no RST, no FIN), which the server-side `max_statement_time` cannot see.
 * - `connectTimeout`: a new pooled connection whose TCP connect or handshake gets no answer.
 * - TCP keepalive: the kernel probes idle pooled connections, so one on a dead path is eventually
 *   closed even if no statement ever times out on it.
 *
 * mysql2 fails the timed-out statement but keeps the connection, which still waits for that
 * answer: every later command would queue behind it, and its own timer only starts once it runs,
 * so it would hang forever. {@link DropTimedOutConnection} therefore destroys such a connection.
 *
 * TypeORM also reports a statement slower than `maxQueryExecutionTime` through its logger's
 * `logQuerySlow`, whose default writes the SQL and its parameters to the console:
 * {@link QuietSlowQueryLogger} turns that off (the timeout error itself reaches the caller).
 */
export function mysqlTimeoutOptions(timeoutMs: number) {
  return {
    enableQueryTimeout: true,
    maxQueryExecutionTime: timeoutMs,
    connectTimeout: timeoutMs,
    /** Passed to mysql2's pool as is (TypeORM has no option of its own for them). */
    extra: { enableKeepAlive: true, keepAliveInitialDelay: 10_000 },
  } as const;
}

/** The mysql2 pool connection under a TypeORM MySQL query runner (`_command`: mysql2-internal, the running command). */
interface DrivenRunner {
  databaseConnection?: {
    destroy(): void;
    stream?: { destroy(): void };
    _command?: { queryTimeout?: NodeJS.Timeout | null } | null;
  };
}

/**
 * Destroys the mysql2 connection of a statement that timed out, before TypeORM goes on with it.
 *
 * `afterQuery` runs synchronously before the failing `query()` rejects, so by the time
 * `inTransaction` (through TypeORM) sends ROLLBACK the connection is closed: ROLLBACK fails at once
 * (TypeORM ignores that and rethrows the timeout), the pool forgets the connection and opens a
 * fresh one for the next caller, and the server, seeing the connection end, rolls the transaction
 * back. Nothing else is sent on that connection, so no half of the transaction can be committed.
 * The socket is destroyed rather than ended: on a dead path a FIN would never be answered.
 */
@EventSubscriber()
export class DropTimedOutConnection implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent<unknown>): void {
    if (event.success) return;
    const connection = (event.queryRunner as unknown as DrivenRunner).databaseConnection;
    if ((event.error as { fatal?: boolean } | undefined)?.fatal) {
      // mysql2 (3.x) fails the running statement when its connection is lost but leaves that
      // statement's timer running: it would fire up to a timeout later, report the error a second
      // time and hold the process open meanwhile. The command is still current here; stop its timer.
      const command = connection?._command;
      if (command?.queryTimeout) {
        clearTimeout(command.queryTimeout);
        command.queryTimeout = null;
      }
    }
    if (!isQueryTimeout(event.error)) return;
    connection?.destroy(); // removes it from the pool; later commands on it fail immediately
    connection?.stream?.destroy();
  }
}

/** True for mysql2's per-statement timeout (raw, or wrapped in TypeORM's QueryFailedError). */
export function isQueryTimeout(error: unknown): boolean {
  const e = error as { driverError?: { code?: string }; code?: string } | undefined;
  return (e?.driverError?.code ?? e?.code) === QUERY_TIMEOUT_CODE;
}

/** TypeORM's default logger (logging off), minus the console line per timed-out statement. */
export class QuietSlowQueryLogger extends AdvancedConsoleLogger {
  constructor() {
    super(false);
  }

  override logQuerySlow(): void {}
}
