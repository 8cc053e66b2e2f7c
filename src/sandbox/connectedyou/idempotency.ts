import type { NextFunction, Request, Response } from 'express';
import { canonicalJson } from '../shared/idempotency-store';
import { entriesOf, refill, type Persistable } from '../shared/persistence';
import { sendError } from './errors';

/** The seed: the key must be "less than 64 characters". */
const MAX_KEY_LENGTH = 63;
export const IDEMPOTENT_KEY_HEADER = 'idempotent_key';

interface FirstAnswer {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
}

/**
 * ConnectedYou's `idempotent_key` header, required on orders and top-ups (seed, "Idempotent
 * Requests"): the same payload under the same key answers "the response payloads of the first
 * request" without ordering again. ASSUMED beyond the seed: keys are scoped per endpoint kind
 * (orders, top-ups); the same key with another path or body is 409 `idempotency_conflict`; only
 * successful (2xx) answers are remembered, so a refused request (402, 422) may be sent again
 * under its key once the cause is fixed; a replay carries `idempotent-replayed: true`.
 */
export class IdempotencyStore implements Persistable {
  private readonly answers = new Map<string, FirstAnswer>();

  /** Middleware for one POST endpoint kind; `res.locals.idempotentKey` holds the key for the handler. */
  guard(scope: 'orders' | 'topups') {
    return (req: Request, res: Response, next: NextFunction): void => {
      const key = req.get(IDEMPOTENT_KEY_HEADER);
      if (!key) {
        sendError(res, 'idempotent_key_required', `The ${IDEMPOTENT_KEY_HEADER} header is required.`);
        return;
      }
      if (key.length > MAX_KEY_LENGTH) {
        sendError(res, 'validation_error', `${IDEMPOTENT_KEY_HEADER} must be less than 64 characters.`);
        return;
      }
      const id = `${scope}:${key}`;
      const fingerprint = `${req.path} ${canonicalJson(req.body)}`;
      const first = this.answers.get(id);
      if (first) {
        if (first.fingerprint !== fingerprint)
          sendError(
            res,
            'idempotency_conflict',
            `This ${IDEMPOTENT_KEY_HEADER} was already used with another request.`,
          );
        else res.set('idempotent-replayed', 'true').status(first.status).json(first.body);
        return;
      }
      // Record what the handler answers, so a retry gets the very same payload back.
      const send = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode >= 200 && res.statusCode < 300)
          this.answers.set(id, { fingerprint, status: res.statusCode, body: JSON.parse(JSON.stringify(body)) });
        return send(body);
      };
      res.locals.idempotentKey = key;
      next();
    };
  }

  clear(): void {
    this.answers.clear();
  }

  /** Saved with the simulator's state: a key replayed after a restart still gets its first answer. */
  snapshot(): [string, FirstAnswer][] {
    return entriesOf(this.answers);
  }

  restore(data: unknown): void {
    refill(this.answers, data);
  }
}
