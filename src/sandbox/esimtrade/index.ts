import express from 'express';
import { SANDBOX_CREDENTIALS } from '../../domain/sandbox-credentials';
import { SimulatorControl } from '../shared/control';
import { SimInventory } from '../shared/inventory';
import { openSimulatorState, plainPart } from '../shared/persistence';
import type { Simulator, SimulatorOptions } from '../shared/simulator';
import { authenticate } from './auth';
import { EsimTradeBook } from './book';
import { buildCatalog } from './catalog';
import { sendFlaky } from './errors';
import { initialProfile } from './profile';
import { rateLimit } from './rate-limit';
import { apiRouter } from './routes';
import { EsimTradeWebhookDispatcher } from './webhook-events';
import { initialWebhookSettings } from './webhook-settings';

/** Requests per access code per second (assumed; eSIMTrade publishes no figure). */
export const ESIMTRADE_RATE_LIMIT = { limit: 10, windowMs: 1000 } as const;

export interface EsimTradeSimulatorOptions extends SimulatorOptions {
  /** eSIMs in stock per plan (default: plenty); tests lower it to reach OUT_OF_STOCK. */
  readonly stockPerPlan?: number;
  /** Default ESIMTRADE_RATE_LIMIT; tests that mix raw calls with adapter calls raise it. */
  readonly rateLimit?: { readonly limit: number; readonly windowMs: number };
}

/**
 * The simulator plus its inventory, for tests that play eSIMTrade's own side (it suspends,
 * revokes or expires an eSIM with no reseller endpoint to do so).
 */
export interface EsimTradeSimulator extends Simulator {
  readonly inventory: SimInventory;
}

/** A local imitation of the eSIMTrade reseller API (api.esimtrade.com): fresh state, or `options.stateDir`'s. */
export function createEsimTradeSimulator(options: EsimTradeSimulatorOptions): EsimTradeSimulator {
  const control = new SimulatorControl({ initialBalance: '2500.00', flakyResponse: (_req, res) => sendFlaky(res) });
  const inventory = new SimInventory({
    control,
    orderDelayMs: options.orderDelayMs,
    iccidPrefix: '8937200',
    smdpAddress: 'smdp.esimtrade.com',
    orderId: (seq) => `EST-${String(seq).padStart(10, '0')}`,
    stockPerPlan: options.stockPerPlan,
  });
  const book = new EsimTradeBook(inventory, buildCatalog());
  const webhook = initialWebhookSettings();
  const webhooks = new EsimTradeWebhookDispatcher(webhook, book, options.webhookChaos);
  const profile = initialProfile();
  const api = apiRouter({ book, control, profile, webhook, webhookChanged: () => webhooks.settingsChanged() });
  const saved = openSimulatorState(options.stateDir, 'esimtrade', {
    control,
    inventory,
    book,
    profile: plainPart(profile),
    webhook: plainPart(webhook),
    webhooks,
  });
  inventory.on(saved.changed);

  const router = express.Router();
  router.use(saved.watch());
  router.use('/_control', control.router());
  router.use(control.meter());
  router.use(authenticate(SANDBOX_CREDENTIALS.esimtrade));
  const limit = options.rateLimit ?? ESIMTRADE_RATE_LIMIT;
  router.use(rateLimit(limit.limit, limit.windowMs));
  // SANDBOX_API_PREFIX.esimtrade is '': the real paths (/portal/..., /reseller/...) sit at the root.
  router.use(api);

  return {
    id: 'esimtrade',
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
