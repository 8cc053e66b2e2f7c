import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { faultDelay } from './fault-delay';
import type { Persistable } from './persistence';

export type FaultMode = 'ok' | 'down' | 'slow' | 'flaky';

export interface Fault {
  readonly mode: FaultMode;
  readonly latencyMs: number;
  readonly errorRate: number;
}

/** One provider API call as the simulator saw it (ms since the epoch; `endedAt` once answered). */
export interface CallRecord {
  readonly call: string;
  readonly startedAt: number;
  endedAt: number | null;
}

/** `stock`: the longest plan code taken and the most plans limited at once (the control API has no key). */
const MAX_PLAN_CODE = 200;
export const MAX_STOCK_LIMITS = 1000;

/** Calls kept for `stats?calls=1` and `waves`; older ones are forgotten. */
const CALLS_KEPT = 1000;

export interface ControlOptions {
  /** Upstream balance at start, a decimal string in the provider's currency. */
  readonly initialBalance: string;
  /** Answers a request picked to fail in `flaky` mode the way this provider fails (its own 5xx or 429). */
  readonly flakyResponse: (req: Request, res: Response) => void;
}

/**
 * The sandbox control API of the contract, one per simulator: request statistics, fault
 * injection, the upstream balance and the usage hook. Not part of any provider's API.
 */
export class SimulatorControl implements Persistable {
  balance: string;
  fault: Fault = { mode: 'ok', latencyMs: 0, errorRate: 0 };
  /** Set by the simulator: applies a usage change; false when the ICCID is unknown. */
  onUsage: (iccid: string, usedBytes: number) => boolean | Promise<boolean> = () => false;
  /** Set by the simulator: a device downloads the profile; 'NOT_FOUND' / 'NOT_ALLOWED' when it cannot. */
  onInstall: (iccid: string) => 'OK' | 'NOT_FOUND' | 'NOT_ALLOWED' = () => 'NOT_FOUND';
  /**
   * Set by the simulator's inventory: eSIMs left to sell of one plan code (every plan when null);
   * null restores plenty. False when MAX_STOCK_LIMITS plans are limited already.
   */
  onStock: (planCode: string | null, available: number | null) => boolean = () => false;
  /** Set by the simulator's inventory: what it holds, reported in `stats` (orders, profiles, top-ups). */
  holdings: () => Readonly<Record<string, number>> = () => ({});
  private requests = new Map<string, number>();
  private total = 0;
  private recent: number[] = [];
  private peak = 0;
  private calls: CallRecord[] = [];
  /** `hold`: allocations waiting for the hold to be lifted, in the order they became due. */
  private held: (() => void)[] | null = null;

  constructor(private readonly options: ControlOptions) {
    this.balance = options.initialBalance;
  }

  /**
   * `waves`: the longest chain of calls each started after the one before it was answered, i.e.
   * how many sequential round trips the caller made (calls in parallel are one wave).
   */
  stats(withCalls = false): {
    requests: Record<string, number>;
    total: number;
    peakPerSecond: number;
    waves: number;
    holdings: Readonly<Record<string, number>>;
    calls?: readonly CallRecord[];
  } {
    const stats = {
      requests: Object.fromEntries(this.requests),
      total: this.total,
      peakPerSecond: this.peak,
      waves: sequentialWaves(this.calls),
      holdings: this.holdings(),
    };
    return withCalls ? { ...stats, calls: this.calls } : stats;
  }

  /**
   * Runs an allocation now, or once `hold` is turned off: a provider that leaves orders pending
   * for as long as a test needs, then settles them.
   */
  whenReleased(allocate: () => void): void {
    if (this.held) this.held.push(allocate);
    else allocate();
  }

  hold(on: boolean): void {
    if (on) {
      this.held ??= [];
      return;
    }
    const due = this.held ?? [];
    this.held = null;
    for (const allocate of due) allocate();
  }

  /**
   * Only the balance outlives a restart: it is account state a gateway set. Counters, call records,
   * faults and holds describe one run (a test's or an operator's experiment) and start clean.
   */
  snapshot(): { balance: string } {
    return { balance: this.balance };
  }

  restore(data: unknown): void {
    this.balance = (data as { balance: string }).balance;
  }

  resetStats(): void {
    this.requests.clear();
    this.total = 0;
    this.recent = [];
    this.peak = 0;
    this.calls = [];
  }

  /** Counts every provider API call, then applies the current fault. Mount before the API routes. */
  meter() {
    return async (req: Request, res: Response, next: NextFunction) => {
      const record = this.count(`${req.method} ${req.path}`);
      res.once('finish', () => {
        record.endedAt = Date.now();
      });
      const { mode, latencyMs, errorRate } = this.fault;
      if (mode === 'down') {
        res.status(503).json({ error: 'Service Unavailable' });
        return;
      }
      if ((mode === 'slow' || mode === 'flaky') && latencyMs > 0) await faultDelay(this, latencyMs);
      if (mode === 'flaky' && Math.random() < errorRate) {
        this.options.flakyResponse(req, res);
        return;
      }
      next();
    };
  }

  /** GET stats, POST reset-stats | fault | hold | usage | balance | stock | install. */
  router(): Router {
    const router = express.Router();
    router.use(express.json());
    router.get('/stats', (req, res) => {
      res.json(this.stats(req.query.calls === '1'));
    });
    router.post('/reset-stats', (_req, res) => {
      this.resetStats();
      res.json({ ok: true });
    });
    router.post('/fault', (req, res) => {
      const { mode, latencyMs = 0, errorRate = 0 } = req.body ?? {};
      if (
        !['ok', 'down', 'slow', 'flaky'].includes(mode) ||
        !isNonNegative(latencyMs) ||
        !isNonNegative(errorRate) ||
        errorRate > 1
      ) {
        res.status(400).json({ error: 'mode must be ok|down|slow|flaky; latencyMs ≥ 0; errorRate in 0..1' });
        return;
      }
      this.fault = {
        mode,
        latencyMs,
        errorRate: mode === 'flaky' && errorRate === 0 && req.body.errorRate === undefined ? 0.5 : errorRate,
      };
      res.json(this.fault);
    });
    router.post('/hold', (req, res) => {
      const on = req.body?.on;
      if (typeof on !== 'boolean') {
        res.status(400).json({ error: 'on (boolean) is required' });
        return;
      }
      this.hold(on);
      res.json({ on });
    });
    router.post('/balance', (req, res) => {
      const amount = String(req.body?.amount ?? '');
      if (!/^\d{1,12}(\.\d{1,4})?$/.test(amount)) {
        res.status(400).json({ error: 'amount must be a non-negative decimal string, e.g. "1000.00"' });
        return;
      }
      this.balance = amount;
      res.json({ amount });
    });
    // Out of stock on demand: each provider answers with its own out-of-stock error. Per run, like faults.
    router.post('/stock', (req, res) => {
      const { planCode = null, available } = req.body ?? {};
      const code = planCode === null || (typeof planCode === 'string' && planCode.length <= MAX_PLAN_CODE);
      if (!code || !(available === null || isCount(available))) {
        res.status(400).json({
          error: `available (non-negative integer, or null for plenty) is required; planCode optional, at most ${MAX_PLAN_CODE} characters`,
        });
        return;
      }
      if (!this.onStock(planCode, available)) {
        res.status(409).json({ error: `at most ${MAX_STOCK_LIMITS} plans may have a stock limit; lift one first` });
        return;
      }
      res.json({ planCode, available });
    });
    // Sandbox only: the one state change no provider call and no usage report can cause.
    router.post('/install', (req, res) => {
      const { iccid } = req.body ?? {};
      if (typeof iccid !== 'string') {
        res.status(400).json({ error: 'iccid (string) is required' });
        return;
      }
      const result = this.onInstall(iccid);
      if (result === 'OK') res.json({ iccid, installed: true });
      else
        res
          .status(result === 'NOT_ALLOWED' ? 409 : 404)
          .json({ error: result === 'NOT_ALLOWED' ? 'the profile is not waiting to be installed' : 'unknown iccid' });
    });
    router.post('/usage', async (req, res) => {
      const { iccid, usedBytes } = req.body ?? {};
      if (typeof iccid !== 'string' || !Number.isSafeInteger(usedBytes) || usedBytes < 0) {
        res.status(400).json({ error: 'iccid (string) and usedBytes (non-negative integer) are required' });
        return;
      }
      if (!(await this.onUsage(iccid, usedBytes))) {
        res.status(404).json({ error: 'unknown iccid' });
        return;
      }
      res.json({ iccid, usedBytes });
    });
    return router;
  }

  private count(key: string): CallRecord {
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.total++;
    const now = Date.now();
    this.recent.push(now);
    while (this.recent[0] <= now - 1000) this.recent.shift();
    this.peak = Math.max(this.peak, this.recent.length);
    const record: CallRecord = { call: key, startedAt: now, endedAt: null };
    this.calls.push(record);
    if (this.calls.length > CALLS_KEPT) this.calls.shift();
    return record;
  }
}

/**
 * Longest chain of calls where each starts at or after the previous one ended: the number of
 * sequential waves. Works across simulators too, given their calls on one clock.
 */
export function sequentialWaves(calls: readonly CallRecord[]): number {
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const depth: number[] = [];
  let longest = 0;
  for (let i = 0; i < sorted.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++) {
      const ended = sorted[j].endedAt;
      if (ended !== null && ended <= sorted[i].startedAt) before = Math.max(before, depth[j]);
    }
    depth[i] = before + 1;
    longest = Math.max(longest, depth[i]);
  }
  return longest;
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
