import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { SimulatorControl } from '../shared/control';
import { SimInventory } from '../shared/inventory';
import { openSimulatorState } from '../shared/persistence';
import type { Simulator, SimulatorOptions } from '../shared/simulator';
import type { AuthSettings } from './auth';
import { PlatformCatalog } from './catalog';
import { sendError } from './errors';
import { createIdempotencyStore } from './idempotency';
import { SlidingLog } from './rate-limit';
import { apiRouter } from './routes';
import { publishInventoryEvents } from './webhook-events';
import { WebhookHub } from './webhook-hub';

/** The real base URL's path (seed 003: https://api.example.com/api/v1); equals SANDBOX_API_PREFIX.esimplatform. */
const API_PREFIX = '/api/v1';
/** Not documented; a week is the common choice for refresh tokens (assumed). */
const REFRESH_TTL_SECONDS = 7 * 24 * 3600;

/** Test seams beyond the shared simulator options. */
export interface EsimPlatformSimulatorTuning {
  /** The simulator's clock (token expiry, rate-limit windows); tests move it instead of sleeping. */
  readonly now?: () => number;
  /** eSIMs in stock per plan (default: plenty), to provoke OUT_OF_STOCK. */
  readonly stockPerPlan?: number;
}

/** The inventory needs an SM-DP+; the platform never shows one (it mails a QR code), so it is never served. */
const SMDP_ADDRESS = 'smdp.esim-platform.example';

/** The eSIM platform API ("eSIM API Documentation", seed 003, first part) over real HTTP. */
export function createEsimPlatformSimulator(
  options: SimulatorOptions,
  tuning: EsimPlatformSimulatorTuning = {},
): Simulator {
  const now = tuning.now ?? Date.now;
  const control = new SimulatorControl({ initialBalance: '1500.00', flakyResponse });
  const auth: AuthSettings = {
    secret: randomBytes(32),
    accessTtlSeconds: options.tokenTtlSeconds ?? 3600,
    refreshTtlSeconds: REFRESH_TTL_SECONDS,
    now,
    loginLimit: new SlidingLog(5, 15 * 60_000, now),
    userLimit: new SlidingLog(1000, 3_600_000, now),
  };
  const inventory = new SimInventory({
    control,
    orderDelayMs: options.orderDelayMs,
    iccidPrefix: '8901260',
    smdpAddress: SMDP_ADDRESS,
    // The document's order ids look like "ord-abc123def456"; an eSIM is named by its ICCID only.
    orderId: (seq) => `ord-${seq.toString(16).padStart(12, '0')}`,
    stockPerPlan: tuning.stockPerPlan,
  });
  const idempotency = createIdempotencyStore(now);
  // Webhook subscriptions and deliveries (each subscription its own CallbackSender).
  const webhooks = new WebhookHub({ chaos: options.webhookChaos, now });
  const words = publishInventoryEvents(inventory, webhooks, now);
  // The JWT secret is not saved: tokens are runtime-only, and a caller logs in again after a restart.
  const saved = openSimulatorState(options.stateDir, 'esimplatform', {
    control,
    inventory,
    idempotency,
    webhooks,
    words,
  });
  inventory.on(saved.changed);
  const router = express.Router();
  router.use(saved.watch());
  router.use('/_control', control.router());
  router.use(control.meter());
  router.use(
    API_PREFIX,
    apiRouter({ control, catalog: new PlatformCatalog(), auth, inventory, idempotency, webhooks }),
  );
  router.use((_req, res) => sendError(res, 404, 'NOT_FOUND', 'Route not found'));
  return {
    id: 'esimplatform',
    router,
    control,
    dispose: () => {
      saved.close();
      auth.loginLimit.clear();
      auth.userLimit.clear();
      idempotency.clear();
      inventory.dispose();
      webhooks.dispose();
    },
  };
}

/** The platform fails like a typical Express app: its own 500 envelope, or 503 from its proxy. */
function flakyResponse(_req: Request, res: Response): void {
  if (Math.random() < 0.5) sendError(res, 500, 'INTERNAL_ERROR', 'Internal server error');
  else sendError(res, 503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable');
}
