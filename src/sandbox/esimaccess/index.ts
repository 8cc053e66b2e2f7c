import express, { type Request, type Response } from 'express';
import { SANDBOX_CREDENTIALS } from '../../domain/sandbox-credentials';
import { SimulatorControl } from '../shared/control';
import type { Simulator, SimulatorOptions } from '../shared/simulator';
import { buildCatalog } from './catalog';
import { sendError } from './errors';
import { SlidingWindow } from './rate-limit';
import { apiRouter, type EsimAccessState } from './routes';

/** Documented limit: 8 API requests per second (changelog v1.5). */
export const ESIMACCESS_RATE_LIMIT = { limit: 8, windowMs: 1000 } as const;

/**
 * A faithful local eSIM Access: HMAC-signed POST endpoints under `/api/v1/open`, the
 * `{ success, errorCode, errorMsg, obj }` envelope, USD × 10 000 money, bytes, ISO alpha-2
 * locations and the 8 requests/s limit. State lives in this instance only.
 */
export function createEsimAccessSimulator(options: SimulatorOptions): Simulator {
  let flakyTurn = 0;
  const control = new SimulatorControl({
    initialBalance: '5000.00',
    // Alternates the provider's two transient failures: a server error and "system busy".
    flakyResponse: (_req: Request, res: Response) => (flakyTurn++ % 2 === 0 ? sendError(res, '000001', 500) : sendError(res, '900001', 429)),
  });
  const { accessCode, secretKey } = SANDBOX_CREDENTIALS.esimaccess;
  const state: EsimAccessState = {
    catalog: buildCatalog(),
    control,
    secrets: new Map([[accessCode, secretKey]]),
    limiter: new SlidingWindow(ESIMACCESS_RATE_LIMIT.limit, ESIMACCESS_RATE_LIMIT.windowMs),
    orderDelayMs: options.orderDelayMs,
  };
  const router = express.Router();
  router.use('/_control', control.router());
  router.use(control.meter());
  // SANDBOX_API_PREFIX.esimaccess is '': the real paths (/api/v1/open/...) sit at the root.
  router.use(apiRouter(state));
  return {
    id: 'esimaccess',
    router,
    control,
    dispose: () => undefined,
  };
}
