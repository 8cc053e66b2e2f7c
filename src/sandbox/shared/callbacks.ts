/**
 * Webhook deliveries from a simulator to whichever URL a gateway registered, as real providers
 * send them: fire-and-forget POSTs with a few retries, and, now and then (`chaos`, default 10 %),
 * a duplicate or a delayed delivery that a later event overtakes. The gateway must cope with both.
 */
export interface CallbackTarget {
  readonly url: string;
  /** Extra headers the provider adds to every delivery (e.g. a configured custom header). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface CallbackOptions {
  /** Share of deliveries sent twice or late, 0..1. */
  readonly chaos?: number;
  readonly retries?: number;
  readonly timeoutMs?: number;
}

export class CallbackSender {
  private current: CallbackTarget | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly counts = { delivered: 0, failed: 0, duplicated: 0, delayed: 0 };
  private disposed = false;

  constructor(private readonly options: CallbackOptions = {}) {}

  setTarget(target: CallbackTarget | null): void {
    this.current = target;
  }

  target(): CallbackTarget | null {
    return this.current;
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  /** Queues one delivery of `body` (already serialized, so signatures match the bytes sent). */
  send(body: string, headers: Readonly<Record<string, string>> = {}): void {
    const target = this.current;
    if (!target || this.disposed) return;
    const chaos = this.options.chaos ?? 0.1;
    const roll = Math.random();
    if (roll < chaos / 2) {
      this.counts.duplicated++;
      this.later(0, () => this.deliver(target, body, headers, 0));
      this.later(50 + Math.random() * 150, () => this.deliver(target, body, headers, 0));
    } else if (roll < chaos) {
      this.counts.delayed++;
      this.later(200 + Math.random() * 400, () => this.deliver(target, body, headers, 0));
    } else {
      this.later(0, () => this.deliver(target, body, headers, 0));
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async deliver(
    target: CallbackTarget,
    body: string,
    headers: Readonly<Record<string, string>>,
    attempt: number,
  ): Promise<void> {
    if (this.disposed) return;
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers, ...headers },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        this.counts.delivered++;
        return;
      }
      throw new Error(`HTTP ${res.status}`);
    } catch {
      if (attempt >= (this.options.retries ?? 3)) {
        this.counts.failed++;
        return;
      }
      this.later(200 * 2 ** attempt, () => this.deliver(target, body, headers, attempt + 1));
    }
  }

  private later(ms: number, fn: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, ms);
    this.timers.add(timer);
  }
}
