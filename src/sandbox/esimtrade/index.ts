import express from 'express';
import { SANDBOX_CREDENTIALS } from '../../domain/sandbox-credentials';
import { SimulatorControl } from '../shared/control';
import type { Simulator, SimulatorOptions } from '../shared/simulator';
import { authenticate } from './auth';
import { buildCatalog } from './catalog';
import { sendFlaky } from './errors';
import { initialProfile } from './profile';
import { rateLimit } from './rate-limit';
import { apiRouter } from './routes';

/** Requests per access code per second (assumed; eSIMTrade publishes no figure). */
export const ESIMTRADE_RATE_LIMIT = { limit: 10, windowMs: 1000 } as const;

/** A local imitation of the eSIMTrade reseller API (api.esimtrade.com), fresh state per instance. */
export function createEsimTradeSimulator(_options: SimulatorOptions): Simulator {
  const control = new SimulatorControl({ initialBalance: '2500.00', flakyResponse: (_req, res) => sendFlaky(res) });
  const api = apiRouter({ catalog: buildCatalog(), control, profile: initialProfile() });

  const router = express.Router();
  router.use('/_control', control.router());
  router.use(control.meter());
  router.use(authenticate(SANDBOX_CREDENTIALS.esimtrade));
  router.use(rateLimit(ESIMTRADE_RATE_LIMIT.limit, ESIMTRADE_RATE_LIMIT.windowMs));
  // SANDBOX_API_PREFIX.esimtrade is '': the real paths (/portal/..., /reseller/...) sit at the root.
  router.use(api);

  return {
    id: 'esimtrade',
    router,
    control,
    // No timers yet: orders (and their allocation delay) arrive with the ordering task.
    dispose: () => undefined,
  };
}
