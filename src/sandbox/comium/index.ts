import express, { type Request, type Response } from 'express';
import { SANDBOX_CREDENTIALS } from '../../domain/sandbox-credentials';
import { SimulatorControl } from '../shared/control';
import type { SimInventory } from '../shared/inventory';
import { openSimulatorState } from '../shared/persistence';
import type { Simulator, SimulatorOptions } from '../shared/simulator';
import { TokenStore } from './auth';
import { buildCatalog } from './catalog';
import { sendError, sendRateLimited } from './errors';
import { ComiumLedger } from './ledger';
import { TokenBucketGuard } from './rate-limit';
import { apiRouter } from './routes';

/** Mirrors SANDBOX_API_PREFIX.comium: the spec's server path. The live default is the Base URL row's /api/v0; the adapter falls back between the two on a login 404 (adapter README). */
const API_PREFIX = '/api/v1';
const SANDBOX_ACCOUNT = { ...SANDBOX_CREDENTIALS.comium, resellerId: '507f191e810c19729de860ea' };

export interface ComiumSimulatorOptions extends SimulatorOptions {
  /** The reseller's `show_global_esim_bundles` flag; default true (the sandbox reseller has it on). */
  readonly showGlobalEsimBundles?: boolean;
  /** Profiles in stock per bundle (default: plenty); tests lower it to reach "not available". */
  readonly stockPerPlan?: number;
  /** The assumed token bucket (default 10 per second, burst 10); tests mixing raw calls raise it. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
}

export interface ComiumSimulator extends Simulator {
  /** Requests refused with 429 since start. */
  readonly rateLimitedCount: () => number;
  /** Drops every live access token, as a server-side session purge would (refresh tokens survive). */
  revokeAccessTokens(): void;
  /** The order/profile state behind the API, for tests (e.g. a device downloading a profile). */
  readonly inventory: SimInventory;
}

/** Comium's reseller API (seed 002), served in memory (saved in `options.stateDir` when given) with a seeded catalog. */
export function createComiumSimulator(options: ComiumSimulatorOptions): ComiumSimulator {
  const showGlobalEsimBundles = options.showGlobalEsimBundles ?? true;
  const tokens = new TokenStore({ ...SANDBOX_ACCOUNT, showGlobalEsimBundles }, options.tokenTtlSeconds ?? 900);
  const guard = new TokenBucketGuard(options.rateLimit?.perSecond, options.rateLimit?.burst);
  const control = new SimulatorControl({ initialBalance: '5000.00', flakyResponse });
  const catalog = buildCatalog();
  const ledger = new ComiumLedger({
    control,
    orderDelayMs: options.orderDelayMs,
    catalog,
    stockPerPlan: options.stockPerPlan,
  });

  const { inventory } = ledger;
  const saved = openSimulatorState(options.stateDir, 'comium', { control, inventory, ledger });
  inventory.on(saved.changed);

  const router = express.Router();
  router.use(saved.watch());
  router.use('/_control', control.router());
  router.use(control.meter());
  router.use(
    API_PREFIX,
    apiRouter({
      tokens,
      catalog,
      guard,
      showGlobalEsimBundles,
      ledger,
      control,
      resellerId: SANDBOX_ACCOUNT.resellerId,
    }),
  );

  return {
    id: 'comium',
    router,
    control,
    rateLimitedCount: () => guard.rejected,
    revokeAccessTokens: () => tokens.revokeAccessTokens(),
    inventory,
    dispose: () => {
      saved.close();
      ledger.dispose();
      tokens.clear();
      guard.reset();
    },
  };
}

/** Flaky Comium fails like its gateway does under load: a 500 in its envelope, or a 429. */
function flakyResponse(_req: Request, res: Response): void {
  if (Math.random() < 0.5) sendRateLimited(res);
  else sendError(res, 500, 'An unexpected error occurred', 'Upstream service error');
}
