import type { Logger } from 'pino';

/**
 * The warnings all five adapters write: a field the document does not promise was missing (and
 * how we did without it), a status word no table knows, an item skipped. A missing field or an
 * unknown word is said once per provider and field (or word) for the adapter's lifetime: a
 * catalog of 2,000 plans without `dataType` is one line, not 2,000.
 */
export class ProviderNotes {
  private readonly said = new Set<string>();

  constructor(
    private readonly logger: Logger,
    readonly providerId: string,
  ) {}

  /**
   * A response field the provider's document does not promise was absent. `fallback` says what we
   * did instead, in the documented order: derived from what we asked, read from another
   * documented endpoint, or left null.
   */
  missingField(field: string, fallback: string, context?: Record<string, unknown>): void {
    this.once(`field:${field}`, () =>
      this.logger.warn(
        { provider: this.providerId, field, fallback, ...context },
        'undocumented field absent; read without it',
      ),
    );
  }

  /** A status word the adapter's table does not know, and what it was read as. */
  unknownWord(kind: string, word: unknown, readAs: string, context?: Record<string, unknown>): void {
    this.once(`word:${kind}:${String(word)}`, () =>
      this.logger.warn({ provider: this.providerId, kind, word, readAs, ...context }, `unknown ${kind} word`),
    );
  }

  /** An item the mapper cannot normalize (every one is said: each is a plan or answer lost). */
  skipped(what: string, code: unknown, reason: string): void {
    this.logger.warn({ provider: this.providerId, what, code, reason }, `skipped a ${what} it cannot normalize`);
  }

  private once(key: string, say: () => void): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    say();
  }
}
