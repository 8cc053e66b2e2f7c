import type { Request, Response } from 'express';
import { entriesOf, refill, type Persistable } from './persistence';

/** What a write handler answers: HTTP status and JSON body, success or error alike. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** One provider's rules for its idempotency-key header. */
export interface KeyRules {
  readonly header: string;
  readonly isValid: (key: string) => boolean;
  /** The provider's own answer to a malformed key. */
  readonly invalid: () => Answer;
  /** The provider's own answer to a key reused with another request. */
  readonly conflict: () => Answer;
  readonly retentionMs: number;
}

interface Entry {
  readonly fingerprint: string;
  readonly answer: Answer;
  readonly at: number;
}

/**
 * Stripe-style idempotency keys as the simulated providers implement them: within the retention
 * the same key with the same method, path and body replays the first successful answer (header
 * `Idempotent-Replayed: true`) without acting again; the same key with anything else gets the
 * provider's conflict answer. Refusals are not stored, so a retry after e.g. a balance top-up can
 * succeed. Requests without the header run every time. Keys live per `scope`.
 */
export class IdempotencyStore implements Persistable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly rules: KeyRules,
    private readonly now: () => number = Date.now,
  ) {}

  answer(scope: string, req: Request, res: Response, handle: (key: string | null) => Answer): void {
    const key = req.get(this.rules.header) ?? null;
    if (key === null) return send(res, handle(null));
    if (!this.rules.isValid(key)) return send(res, this.rules.invalid());
    const id = `${scope} ${key}`;
    const fingerprint = `${req.method} ${req.baseUrl}${req.path} ${canonicalJson(req.body ?? null)}`;
    const entry = this.entries.get(id);
    if (entry && this.now() - entry.at < this.rules.retentionMs) {
      if (entry.fingerprint !== fingerprint) return send(res, this.rules.conflict());
      return send(res, entry.answer, { 'Idempotent-Replayed': 'true' });
    }
    const answer = handle(key);
    if (answer.status < 300) this.entries.set(id, { fingerprint, answer, at: this.now() });
    send(res, answer);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Saved with the simulator's state, so a key replayed after a restart still replays. */
  snapshot(): [string, Entry][] {
    return entriesOf(this.entries);
  }

  restore(data: unknown): void {
    refill(this.entries, data);
  }
}

function send(res: Response, answer: Answer, headers: Record<string, string> = {}): void {
  res.status(answer.status).set(headers).json(answer.body);
}

/** JSON with object keys sorted, so the same body sent with another key order still matches. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
