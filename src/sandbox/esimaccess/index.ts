import express, { type Request, type Response } from 'express';
import { SANDBOX_CREDENTIALS } from '../../domain/sandbox-credentials';
import { SimulatorControl } from '../shared/control';
import { SimInventory } from '../shared/inventory';
import { openSimulatorState } from '../shared/persistence';
import type { Simulator, SimulatorOptions } from '../shared/simulator';
import { buildCatalog } from './catalog';
import { sendError } from './errors';
import { ESIMACCESS_SMDP, idStamp } from './profiles';
import { SlidingWindow } from './rate-limit';
import { apiRouter, type EsimAccessState } from './routes';
import { SimWebhooks } from './webhooks';

/** Documented limit: 8 API requests per second (changelog v1.5). */
export const ESIMACCESS_RATE_LIMIT = { limit: 8, windowMs: 1000 } as const;

/** Simulator-only knobs beyond the shared options (tests of out-of-stock refusals). */
export interface EsimAccessSimulatorExtras {
  /** Profiles in stock per package (default: plenty). */
  readonly stockPerPlan?: number;
}

/** The simulator, plus its inventory for tests that act as the device (install) or inspect state. */
export interface EsimAccessSimulator extends Simulator {
  readonly inventory: SimInventory;
}

/**
 * A faithful local eSIM Access: HMAC-signed POST endpoints under `/api/v1/open`, the
 * `{ success, errorCode, errorMsg, obj }` envelope, USD × 10 000 money, bytes, ISO alpha-2
 * locations and the 8 requests/s limit, for the catalog, ordering, the profile lifecycle and
 * webhooks (`webhook/save`, `webhook/query` and the notifications of `webhooks.ts`).
 * State lives in this instance, and in `options.stateDir` when given.
 */
export function createEsimAccessSimulator(
  options: SimulatorOptions,
  extras: EsimAccessSimulatorExtras = {},
): EsimAccessSimulator {
  let flakyTurn = 0;
  const control = new SimulatorControl({
    initialBalance: '5000.00',
    // Alternates the provider's two transient failures: a server error and "system busy".
    flakyResponse: (_req: Request, res: Response) =>
      flakyTurn++ % 2 === 0 ? sendError(res, '000001', 500) : sendError(res, '900001', 429),
  });
  const { accessCode, secretKey } = SANDBOX_CREDENTIALS.esimaccess;
  const inventory = new SimInventory({
    control,
    orderDelayMs: options.orderDelayMs,
    iccidPrefix: '8985240',
    smdpAddress: ESIMACCESS_SMDP,
    // `B23051616050537`: B + yyMMddHHmmss + digits; esimTranNo `23051616050537…` alike (research §1.3, §1.5).
    orderId: (seq) => `B${idStamp()}${seq}`,
    profileHandle: (seq) => `${idStamp()}${seq}`,
    stockPerPlan: extras.stockPerPlan,
    unusedValidDays: 180,
  });
  const webhooks = new SimWebhooks(inventory, options.webhookChaos);
  const state: EsimAccessState = {
    catalog: buildCatalog(),
    control,
    secrets: new Map([[accessCode, secretKey]]),
    limiter: new SlidingWindow(ESIMACCESS_RATE_LIMIT.limit, ESIMACCESS_RATE_LIMIT.windowMs),
    inventory,
    webhooks,
  };
  const saved = openSimulatorState(options.stateDir, 'esimaccess', { control, inventory, webhooks });
  inventory.on(saved.changed);
  const router = express.Router();
  router.use(saved.watch());
  router.use('/_control', control.router());
  router.use(control.meter());
  // SANDBOX_API_PREFIX.esimaccess is '': the real paths (/api/v1/open/...) sit at the root.
  router.use(apiRouter(state));
  return {
    id: 'esimaccess',
    router,
    control,
    inventory,
    dispose: () => {
      saved.close();
      inventory.dispose();
      webhooks.dispose();
    },
  };
}
