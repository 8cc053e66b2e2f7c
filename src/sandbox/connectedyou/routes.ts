import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SimulatorControl } from '../shared/control';
import type { SimInventory } from '../shared/inventory';
import type { TokenStore } from './auth';
import type { ProductWire } from './catalog';
import type { DeviceSide } from './devices';
import { methodNotAllowed, microsecondTimestamp, sendError } from './errors';
import { esimsRouter } from './esims';
import type { IdempotencyStore } from './idempotency';
import { ordersRouter } from './orders';
import { queryProducts } from './query';
import type { ClientRateLimiter } from './rate-limit';

export interface ApiDeps {
  readonly tokens: TokenStore;
  readonly limiter: ClientRateLimiter;
  readonly products: readonly ProductWire[];
  readonly control: SimulatorControl;
  readonly inventory: SimInventory;
  readonly devices: DeviceSide;
  readonly idempotency: IdempotencyStore;
}

const ACCOUNT_NAME = 'Sandbox Reseller';
const CREDIT_LIMIT = '10000.00';
const ACCOUNT_CREATED = microsecondTimestamp(new Date(Date.UTC(2024, 10, 4, 8, 12, 45, 120)));

/** The API below base_url (…/v1). Paths are assumed; statuses follow the seed's table. */
export function apiRouter(deps: ApiDeps): Router {
  const api = express.Router();
  api.post('/oauth/token', express.json(), express.urlencoded({ extended: false }), deps.tokens.issue());
  api.all('/oauth/token', methodNotAllowed);
  api.use(
    '/reseller-accounts/:accountId',
    deps.tokens.authenticate(),
    deps.limiter.middleware(),
    accountGuard,
    accountRouter(deps),
  );
  api.use((_req: Request, res: Response) => sendError(res, 'not_found', 'No such resource.'));
  api.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status;
    if (status === 400) sendError(res, 'invalid_request', 'The request body is not well-formed.');
    else if (status === 413)
      res.status(413).json({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
    else sendError(res, 'internal_error', 'Unexpected error.');
  });
  return api;
}

function accountRouter(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });
  router.get('/', (_req, res) => {
    // "Balance" here is the credit still available under the credit limit (GitBook billing modes).
    res.json({
      account_number: res.locals.accountNumber,
      name: ACCOUNT_NAME,
      billing_mode: 'credit_limit',
      credit_limit: CREDIT_LIMIT,
      available_credit: deps.control.balance,
      currency: 'USD',
      created_at: ACCOUNT_CREATED,
    });
  });
  router.get('/products', (req, res) => {
    const page = queryProducts(deps.products, req.query as Record<string, unknown>);
    if (typeof page === 'string') sendError(res, 'validation_error', page);
    else res.json(page);
  });
  router.get('/products/:productId', (req, res) => {
    const product = deps.products.find((p) => p.product_id === req.params.productId);
    if (product) res.json(product);
    else sendError(res, 'product_not_found', 'No such product.');
  });
  router.all(['/', '/products', '/products/:productId'], methodNotAllowed);
  router.use(ordersRouter(deps), esimsRouter(deps));
  return router;
}

/** The seed: credentials not valid for the account number in the URL answer 404. */
function accountGuard(req: Request, res: Response, next: NextFunction): void {
  if (req.params.accountId !== res.locals.accountNumber) {
    sendError(res, 'account_not_found', 'No such reseller account.');
    return;
  }
  next();
}
