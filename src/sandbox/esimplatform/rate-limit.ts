/**
 * A sliding log of hits per key (IP or user). The platform documents its limits as "N per window"
 * without saying fixed or sliding; a sliding log is the stricter reading.
 */
export class SlidingLog {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Records a hit for `key`; when the window is full, records nothing and returns the seconds until a slot frees. */
  take(key: string): number | null {
    const now = this.now();
    const log = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.hits.set(key, log);
    if (log.length >= this.limit) return Math.max(1, Math.ceil((log[0] + this.windowMs - now) / 1000));
    log.push(now);
    return null;
  }

  clear(): void {
    this.hits.clear();
  }
}
