import type { Request, Response } from 'express';
import { IdempotencyStore, type Answer } from '../shared/idempotency-store';

export type { Answer };

/** Longer keys are refused with VALIDATION_ERROR (assumed). */
export const MAX_KEY_LENGTH = 255;

/**
 * The platform's `Idempotency-Key` header (ASSUMED; the document shows none): honoured for 24 h
 * across every write, the method and path being part of the request compared (see
 * `IdempotencyStore`); a conflict is 409 IDEMPOTENCY_CONFLICT.
 */
export function createIdempotencyStore(now: () => number): IdempotencyStore {
  return new IdempotencyStore(
    {
      header: 'idempotency-key',
      isValid: (key) => key.trim() !== '' && key.length <= MAX_KEY_LENGTH,
      invalid: () => failure(400, 'VALIDATION_ERROR', `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters`),
      conflict: () => failure(409, 'IDEMPOTENCY_CONFLICT', 'Idempotency-Key was already used with a different request'),
      retentionMs: 24 * 3600_000,
    },
    now,
  );
}

/** Wraps a write handler of this simulator in the store (one key space for all writes). */
export function idempotent(store: IdempotencyStore, handler: (req: Request, key: string | null) => Answer) {
  return (req: Request, res: Response) => store.answer('writes', req, res, (key) => handler(req, key));
}

function failure(status: number, code: string, message: string): Answer {
  return { status, body: { success: false, error: { code, message } } };
}
