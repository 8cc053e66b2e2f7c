import { createHash, randomUUID } from 'node:crypto';
import { IsNull, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { DomainError, IdempotencyKeyReusedError } from '../../domain/errors';
import { parseText, TEXT_LIMITS } from '../../domain/text';
import { IdempotencyKeyEntity } from '../../db/entities';
import type { IdempotentOperation } from '../../db/entities/idempotency-key.entity';
import { inTransaction, isUniqueViolation } from '../../db/transaction';

export type Claim =
  /** This call owns the key: go on, then `bind` it with the money transaction or `release` it. */
  | { readonly kind: 'claimed'; readonly claimId: string }
  /** A previous call with the same input moved money under this key: answer its result. */
  | { readonly kind: 'bound'; readonly resultId: string };

export interface IdempotencyOptions {
  /** How long a duplicate waits for the first call to bind or release the key. */
  readonly waitMs: number;
  readonly pollMs: number;
  /**
   * A live claim is renewed every third of this; one not renewed for this long belongs to a call
   * that died before moving money (a crashed process), and the next call with its key takes it over.
   */
  readonly staleMs: number;
}

const DEFAULTS: IdempotencyOptions = { waitMs: 30_000, pollMs: 25, staleMs: 10_000 };
/** A claim is never renewed past this: a caller that neither binds nor releases it must not pin it forever. */
const MAX_RENEW_MS = 10 * 60_000;
/** Keys are kept at least this long (contract: 24 hours). */
export const KEY_RETENTION_MS = 7 * 24 * 3600_000;

/**
 * Idempotency keys, per account and operation, shared by every instance through one unique index.
 *
 * The first call INSERTs the key (unbound) and goes on; a concurrent or later call with the same
 * key hits the unique index, reads the row and (a) fails IDEMPOTENCY_KEY_REUSED if the input
 * differs, (b) answers the bound result, or (c) waits for the first call to bind or release it.
 * The first call binds the key inside the transaction that moves the money, so "money moved" and
 * "key bound" are one fact. A failure before any money moved releases the key (contract).
 *
 * While the first call runs, its claim is renewed (its `created_at` moved forward), so a process
 * killed between claim and bind leaves a claim that goes stale within `staleMs` instead of
 * blocking the client's retry. Taking a stale claim over is safe even if its owner still lives:
 * `bind` only binds a claim that still exists, so the slower call rolls its money back.
 */
export class IdempotencyService {
  private readonly options: IdempotencyOptions;
  private readonly renewals = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly db: DataSource,
    options: Partial<IdempotencyOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /**
   * The whole exactly-once path of a money-moving call: claim the key; answer a bound key's
   * result; else run `work`, which must call `bind` inside the transaction that moves the money
   * and answer the id it bound. If `work` fails, nothing moved (its transaction rolled back or
   * never ran) and the key is released for a retry. `fresh` tells the caller it ran the work now.
   */
  async once(
    scope: {
      readonly accountId: string;
      readonly operation: IdempotentOperation;
      readonly key: string;
      readonly input: unknown;
    },
    work: (bind: (tx: EntityManager, resultId: string) => Promise<void>) => Promise<string>,
  ): Promise<{ readonly id: string; readonly fresh: boolean }> {
    const claim = await this.claim(scope.accountId, scope.operation, scope.key, scope.input);
    if (claim.kind === 'bound') return { id: claim.resultId, fresh: false };
    try {
      return { id: await work((tx, resultId) => this.bind(tx, claim.claimId, resultId)), fresh: true };
    } catch (error) {
      await this.release(claim.claimId);
      throw error;
    }
  }

  private async claim(accountId: string, operation: IdempotentOperation, key: string, input: unknown): Promise<Claim> {
    const idemKey = parseIdempotencyKey(key);
    const fingerprint = fingerprintOf(input);
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const claimId = randomUUID();
      try {
        await inTransaction(this.db, (tx) =>
          tx.getRepository(IdempotencyKeyEntity).insert({
            id: claimId,
            accountId,
            operation,
            key: idemKey,
            fingerprint,
            resultId: null,
            createdAt: new Date(),
          }),
        );
        this.keepRenewing(claimId);
        return { kind: 'claimed', claimId };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const row = await this.db.getRepository(IdempotencyKeyEntity).findOneBy({ accountId, operation, key: idemKey });
      if (!row) continue; // released in between: claim again
      if (row.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      if (row.resultId) return { kind: 'bound', resultId: row.resultId };
      if (Date.now() - row.createdAt.getTime() > this.options.staleMs) {
        // Only the claim as read: one renewed meanwhile is alive after all.
        await inTransaction(this.db, (tx) =>
          tx.getRepository(IdempotencyKeyEntity).delete({ id: row.id, resultId: IsNull(), createdAt: row.createdAt }),
        );
        continue;
      }
      if (Date.now() > deadline)
        throw new DomainError(
          'RATE_LIMITED',
          'The first request with this idempotency key is still running; retry shortly.',
          { retryAfterMs: 1000 },
        );
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
  }

  /** Binds the key to its result, in the caller's money transaction. */
  private async bind(tx: EntityManager, claimId: string, resultId: string): Promise<void> {
    this.stopRenewing(claimId);
    const result = await tx
      .getRepository(IdempotencyKeyEntity)
      .update({ id: claimId, resultId: IsNull() }, { resultId });
    // Released as stale by another call meanwhile: moving money now could double it. Roll back.
    if (result.affected !== 1)
      throw new DomainError(
        'RATE_LIMITED',
        'This request took too long and was superseded by a retry; retry with the same key.',
        { retryAfterMs: 1000 },
      );
  }

  /** Frees an unbound key so the same key may be retried (nothing moved). */
  private async release(claimId: string): Promise<void> {
    this.stopRenewing(claimId);
    await inTransaction(this.db, (tx) =>
      tx.getRepository(IdempotencyKeyEntity).delete({ id: claimId, resultId: IsNull() }),
    );
  }

  private keepRenewing(claimId: string): void {
    const until = Date.now() + MAX_RENEW_MS;
    const timer = setInterval(() => {
      if (Date.now() > until) return this.stopRenewing(claimId);
      inTransaction(this.db, (tx) =>
        tx.getRepository(IdempotencyKeyEntity).update({ id: claimId, resultId: IsNull() }, { createdAt: new Date() }),
      )
        .then((result) => {
          if (result.affected !== 1) this.stopRenewing(claimId); // bound, released, or taken over
        })
        .catch(() => undefined); // the next renewal, or staleness, settles it
    }, this.options.staleMs / 3);
    timer.unref();
    this.renewals.set(claimId, timer);
  }

  private stopRenewing(claimId: string): void {
    clearInterval(this.renewals.get(claimId));
    this.renewals.delete(claimId);
  }

  /** Drops keys past retention; called by the reconciler now and then. */
  async prune(now = Date.now()): Promise<number> {
    const result = await inTransaction(this.db, (tx) =>
      tx.getRepository(IdempotencyKeyEntity).delete({ createdAt: LessThan(new Date(now - KEY_RETENTION_MS)) }),
    );
    return result.affected ?? 0;
  }
}

/** The same rule the GraphQL edge applies (domain/text.ts), for callers that reach the service directly. */
export function parseIdempotencyKey(key: string): string {
  return parseText(key, 'idempotencyKey', 1, TEXT_LIMITS.idempotencyKey);
}

/** SHA-256 of the input with object keys sorted, so field order never matters. */
export function fingerprintOf(input: unknown): string {
  return createHash('sha256').update(stableJson(input)).digest('hex');
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
