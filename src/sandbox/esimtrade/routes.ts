import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SimulatorControl } from '../shared/control';
import type { EsimTradeBook } from './book';
import type { WirePlanType } from './catalog';
import { esimRoutes } from './esims';
import { sendError } from './errors';
import { orderRoutes } from './orders';
import { profileRoutes, type ResellerProfile } from './profile';
import { pageOf, parsePaging, queryValue, type Paging } from './query';
import { webhookSettingsRoutes, type WebhookSettings } from './webhook-settings';

export interface ApiState {
  readonly book: EsimTradeBook;
  readonly control: SimulatorControl;
  readonly profile: ResellerProfile;
  readonly webhook: WebhookSettings;
  /** Runs after every accepted `PATCH /reseller/webhook` (retargets the deliveries). */
  readonly webhookChanged: () => void;
}

const PLAN_TYPES: readonly WirePlanType[] = ['local', 'regional', 'global'];
const DEFAULT_LIMIT = 50;

/** The documented endpoints served so far: wallet balance, plans, orders, eSIMs, top-ups, the reseller profile and webhook settings (seed 004). */
export function apiRouter(state: ApiState): Router {
  const router = express.Router();
  router.use(express.json());

  router.get('/portal/balance', (_req, res) => {
    res.json({ data: { balance: state.control.balance, currency: 'USD', updated_at: new Date().toISOString() } });
  });

  router.get('/portal/plans', (req, res) => {
    const slug = queryValue(req, 'slug');
    if (slug !== undefined) {
      const plan = state.book.plan(slug);
      if (plan) res.json({ data: plan });
      else sendError(res, 404, 'PLAN_NOT_FOUND', 'No plan has this slug.');
      return;
    }
    const filters = parseFilters(req);
    if (typeof filters === 'string') {
      sendError(res, 400, 'INVALID_PARAMETER', filters);
      return;
    }
    const { country, type } = filters;
    const matching = state.book.catalog.filter(
      (p) => (!type || p.type === type) && (!country || p.countries.some((c) => c.code === country)),
    );
    res.json(pageOf(matching, filters));
  });

  router.use(orderRoutes(state.book));
  router.use(esimRoutes(state.book));
  router.use(profileRoutes(state.profile));
  router.use(webhookSettingsRoutes(state.webhook, state.webhookChanged));

  router.use((_req: Request, res: Response) => {
    sendError(res, 404, 'NOT_FOUND', 'No such endpoint.');
  });
  // express.json() failures land here: answer in the provider's envelope, not express's HTML page.
  router.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, 400, 'INVALID_JSON', 'The request body is not valid JSON.');
  });
  return router;
}

interface PlanFilters extends Paging {
  readonly country?: string;
  readonly type?: WirePlanType;
}

/** Parses the list filters; a string is the validation message of a 400. */
function parseFilters(req: Request): PlanFilters | string {
  const country = queryValue(req, 'country');
  const type = queryValue(req, 'type');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) return 'country must be an ISO 3166-1 alpha-2 code.';
  if (type !== undefined && !PLAN_TYPES.includes(type as WirePlanType))
    return 'type must be local, regional or global.';
  const paging = parsePaging(req, DEFAULT_LIMIT);
  if (typeof paging === 'string') return paging;
  return { country: country?.toUpperCase(), type: type as WirePlanType | undefined, ...paging };
}
