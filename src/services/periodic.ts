/**
 * Runs `task` now and then again `intervalMs` after each run ends (never two runs at once).
 * `stop` waits for a run in progress, so shutdown never cuts a database write in half.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.task().finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
