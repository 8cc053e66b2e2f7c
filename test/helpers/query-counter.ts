import type { Logger } from 'typeorm';

/** Counts the SQL statements the app sends (each one a database round trip). */
export class QueryCounter implements Logger {
  count = 0;
  readonly statements: string[] = [];

  logQuery(query: string): void {
    this.count++;
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** Statements sent while `work` runs. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    const from = this.statements.length;
    await work();
    return this.statements.slice(from);
  }
}
