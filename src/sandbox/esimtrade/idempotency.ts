import { IdempotencyStore } from '../shared/idempotency-store';
import { errorAnswer } from './errors';

const KEY_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The `Idempotency-Key` header of eSIMTrade's money-moving POSTs (assumed semantics, see
 * `IdempotencyStore`): kept 24 hours, scoped per endpoint; a key reused with another body is
 * 409 IDEMPOTENCY_CONFLICT.
 */
export function createIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  return new IdempotencyStore(
    {
      header: 'idempotency-key',
      isValid: (key) => KEY_RE.test(key),
      invalid: () => errorAnswer(400, 'INVALID_PARAMETER', 'Idempotency-Key must be 1 to 64 letters, digits or ._:-'),
      conflict: () =>
        errorAnswer(409, 'IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was used with another request body.'),
      retentionMs: 24 * 3_600_000,
    },
    now,
  );
}
