/**
 * The boundaries of the order flow where test/integration/crash-recovery-process.test.ts kills
 * the gateway (SIGKILL, as a power cut would), to prove a restart finishes every order:
 *
 * - `before-commit`   inside the money transaction: order row, parts, ORDER debit and key binding
 *                     written, COMMIT not sent (the database must roll it all back)
 * - `after-commit`    the money transaction committed; no part submitted yet
 * - `after-submit`    a part marked SUBMITTED; its upstream order not sent
 * - `after-upstream`  the provider answered the order; its answer not stored
 * - `after-completed` the order settled COMPLETED; its events not published
 *
 * Exists only for that test. Inert unless GATEWAY_CRASH_AT names a step; read here rather than in
 * config because it is a test hook, not a setting, and nothing else may depend on it.
 */
export type CrashPoint = 'before-commit' | 'after-commit' | 'after-submit' | 'after-upstream' | 'after-completed';

const armed = process.env.GATEWAY_CRASH_AT;

export function crashPoint(step: CrashPoint): void {
  if (armed === step) process.kill(process.pid, 'SIGKILL');
}
