import express from 'express';
import { SANDBOX_CREDENTIALS } from '../../domain/sandbox-credentials';
import { CallbackSender } from '../shared/callbacks';
import { SimulatorControl } from '../shared/control';
import { SimInventory } from '../shared/inventory';
import { openSimulatorState } from '../shared/persistence';
import type { Simulator, SimulatorOptions } from '../shared/simulator';
import { TokenStore } from './auth';
import { buildProducts } from './catalog';
import { DeviceSide } from './devices';
import { sendError } from './errors';
import { IdempotencyStore } from './idempotency';
import { OutboundEvents } from './outbound';
import { portalRouter } from './portal';
import { ClientRateLimiter } from './rate-limit';
import { apiRouter } from './routes';
import { orderIdOf } from './wire';

/** The simulator, plus a hook tests use to invalidate issued tokens (a credential rotation). */
export interface ConnectedYouSimulator extends Simulator {
  revokeTokens(): void;
  /** The order and eSIM state behind the API, for tests that need a state no endpoint reaches (installed, suspended). */
  readonly inventory: SimInventory;
}

/** ConnectedYou's reseller API (base_url …/v1), served below `/sandbox/connectedyou/v1`. */
export function createConnectedYouSimulator(options: SimulatorOptions): ConnectedYouSimulator {
  const tokens = new TokenStore(
    [SANDBOX_CREDENTIALS.connectedyou].map((c) => ({
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      accountNumber: c.resellerAccountId,
    })),
    options.tokenTtlSeconds ?? 3600,
  );
  const limiter = new ClientRateLimiter(20, 20);
  let flakyTurn = 0;
  const control = new SimulatorControl({
    initialBalance: '10000.00',
    // Alternates the provider's two transient answers: 503 and 429 with Retry-After.
    flakyResponse: (_req, res) => {
      if (flakyTurn++ % 2 === 0) {
        sendError(res, 'service_unavailable', 'The service is temporarily unavailable.');
        return;
      }
      res.set('Retry-After', '1');
      sendError(res, 'rate_limited', 'Too many requests; slow down.');
    },
  });
  const inventory = new SimInventory({
    control,
    orderDelayMs: options.orderDelayMs,
    iccidPrefix: '8944500',
    smdpAddress: 'smdp.connectedyou.io',
    orderId: orderIdOf,
  });
  const idempotency = new IdempotencyStore();
  const products = buildProducts();
  const callbacks = new CallbackSender({ chaos: options.webhookChaos });
  // The device side first: it must have moved before the outbound events and REST reads look at it.
  const devices = new DeviceSide(inventory);
  const outbound = new OutboundEvents(callbacks, inventory, devices, products);
  const saved = openSimulatorState(options.stateDir, 'connectedyou', {
    control,
    inventory,
    idempotency,
    devices,
    outbound,
  });
  inventory.on(saved.changed);
  const router = express.Router();
  router.use(saved.watch());
  router.use('/_control', control.router());
  // The portal's Outbound Events form, emulated: not ConnectedYou API, so not metered.
  router.use('/_portal', portalRouter(outbound));
  router.use(control.meter());
  router.use('/v1', apiRouter({ tokens, limiter, products, control, inventory, devices, idempotency }));
  router.use((_req, res) => sendError(res, 'not_found', 'No such resource.'));
  return {
    id: 'connectedyou',
    router,
    control,
    revokeTokens: () => tokens.revokeAll(),
    inventory,
    dispose: () => {
      saved.close();
      tokens.clear();
      limiter.clear();
      inventory.dispose();
      idempotency.clear();
      callbacks.dispose();
    },
  };
}
