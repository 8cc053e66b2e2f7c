/**
 * Live holdings counted per name (a client IP, an API key), on this instance only: what a socket
 * or subscription holds is released when it ends, so the counts are exact and need no expiry.
 */
export class Tally {
  private readonly counts = new Map<string, number>();

  /** Takes one slot for `name` unless it already holds `cap`; returns whether it did. */
  tryAcquire(name: string, cap: number): boolean {
    const held = this.counts.get(name) ?? 0;
    if (held >= cap) return false;
    this.counts.set(name, held + 1);
    return true;
  }

  /** Gives back `n` slots; names that hold nothing are forgotten, so the map stays as small as the live set. */
  release(name: string, n = 1): void {
    const left = (this.counts.get(name) ?? 0) - n;
    if (left > 0) this.counts.set(name, left);
    else this.counts.delete(name);
  }
}

/** `fn` at most once, however many of the paths that end a holding call it. */
export function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
