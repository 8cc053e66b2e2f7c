/**
 * Label values admitted first come, first served, up to `cap`; every later value shares
 * `overflow`. Clients choose operation names, and each new value of a label is a new time series
 * kept for the life of the process: without a cap, a client inventing names would grow /metrics
 * (and the scraper's storage) without bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly cap: number,
    private readonly overflow = 'other',
    /** Longer values are never admitted: each admitted value is held for the process's life. */
    private readonly maxLength = 100,
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.cap || value.length > this.maxLength) return this.overflow;
    this.seen.add(value);
    return value;
  }
}
