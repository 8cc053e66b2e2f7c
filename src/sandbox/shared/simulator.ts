import type { Router } from 'express';
import type { ProviderId } from '../../domain/provider';
import type { SimulatorControl } from './control';

/** Options every simulator takes. */
export interface SimulatorOptions {
  /** Simulated allocation delay of orders (SANDBOX_ORDER_DELAY_MS). */
  readonly orderDelayMs: number;
  /** Access-token lifetime for providers with expiring tokens; shortened in tests. */
  readonly tokenTtlSeconds?: number;
  /** Share of webhook deliveries sent twice or late (default 0.1); 0 in tests that count deliveries. */
  readonly webhookChaos?: number;
  /**
   * Where the simulators keep their state across restarts (DATA_DIR): each one its own
   * `<stateDir>/sandbox/<providerId>.json` (orders, profiles, usage, top-ups, balance, idempotency
   * keys, webhook settings), loaded at creation and saved shortly after every change and on
   * dispose(). Absent: memory only, nothing written. See shared/persistence.ts.
   */
  readonly stateDir?: string;
}

/**
 * One provider's simulated REST API. `router` serves the provider's own paths plus
 * `/_control/*`, and is mounted at `/sandbox/<id>`.
 */
export interface Simulator {
  readonly id: ProviderId;
  readonly router: Router;
  readonly control: SimulatorControl;
  /** Clears timers (pending allocations, token expiry) and writes pending state (with `stateDir`). */
  dispose(): void;
}
