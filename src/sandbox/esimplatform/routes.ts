import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { subtractDecimal } from '../../domain/money';
import type { SimulatorControl } from '../shared/control';
import type { SimInventory } from '../shared/inventory';
import { authRouter, requireAccessToken, type AuthSettings } from './auth';
import type { PlatformCatalog } from './catalog';
import { sendError } from './errors';
import { esimsRouter } from './esims';
import type { IdempotencyStore } from '../shared/idempotency-store';
import { ordersRouter } from './orders';
import { filterPlans, paginate, parsePlanQuery } from './plan-query';
import type { WebhookHub } from './webhook-hub';
import { webhooksRouter } from './webhook-routes';

export interface ApiDeps {
  readonly control: SimulatorControl;
  readonly catalog: PlatformCatalog;
  readonly auth: AuthSettings;
  readonly inventory: SimInventory;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookHub;
}

/** The platform's REST API below /api/v1 (paths assumed where the document names none). */
export function apiRouter({ control, catalog, auth, inventory, idempotency, webhooks }: ApiDeps): Router {
  const router = express.Router();
  router.use(express.json());
  router.use(authRouter(auth));

  router.get('/health', (_req, res) => {
    res.json({
      status: 'healthy',
      timestamp: new Date(auth.now()).toISOString(),
      services: { database: 'connected', redis: 'connected' },
    });
  });

  router.use(requireAccessToken(auth));

  router.get('/plans', (req, res) => {
    const query = parsePlanQuery(req);
    if (typeof query === 'string') return sendError(res, 400, 'VALIDATION_ERROR', query);
    res.json(paginate(filterPlans(catalog.served, query), query.page, query.limit));
  });
  router.get('/plans/region/:region', (req, res) => {
    res.json({ success: true, data: filterPlans(catalog.served, { region: String(req.params.region) }) });
  });
  router.get('/plans/:id', (req, res) => {
    const plan = catalog.find(String(req.params.id));
    if (!plan) return sendError(res, 404, 'PLAN_NOT_FOUND', 'Plan not found');
    res.json({ success: true, data: plan });
  });

  router.get('/credits/balance', (_req, res) => {
    // Prepaid orders are debited at once, so nothing is pending; `available_credit` = balance − usage (document example).
    const usage = '0';
    res.json({
      success: true,
      balance: Number(control.balance),
      currency: 'USD',
      billing_mode: 'prepaid',
      soft_limit_threshold: 100,
      current_usage: Number(usage),
      available_credit: Number(subtractDecimal(control.balance, usage)),
    });
  });

  router.use(ordersRouter({ inventory, catalog, idempotency }));
  router.use(esimsRouter({ inventory, catalog, idempotency, now: auth.now }));
  router.use(webhooksRouter(webhooks, idempotency));

  router.use((_req, res) => sendError(res, 404, 'NOT_FOUND', 'Route not found'));
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (status === 400) return sendError(res, 400, 'VALIDATION_ERROR', 'Malformed JSON body');
    sendError(res, 500, 'INTERNAL_ERROR', 'Internal server error');
  });
  return router;
}
