import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SimulatorControl } from '../shared/control';
import type { WirePlan, WirePlanType } from './catalog';
import { sendError } from './errors';
import { profileRoutes, type ResellerProfile } from './profile';

export interface ApiState {
  readonly catalog: readonly WirePlan[];
  readonly control: SimulatorControl;
  readonly profile: ResellerProfile;
}

const PLAN_TYPES: readonly WirePlanType[] = ['local', 'regional', 'global'];
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/** The documented endpoints served so far: wallet balance, plans and the reseller profile (seed 004). */
export function apiRouter(state: ApiState): Router {
  const router = express.Router();
  router.use(express.json());

  router.get('/portal/balance', (_req, res) => {
    res.json({ data: { balance: state.control.balance, currency: 'USD', updated_at: new Date().toISOString() } });
  });

  router.get('/portal/plans', (req, res) => {
    const slug = queryValue(req, 'slug');
    if (slug !== undefined) {
      const plan = state.catalog.find((p) => p.slug === slug);
      if (plan) res.json({ data: plan });
      else sendError(res, 404, 'PLAN_NOT_FOUND', 'No plan has this slug.');
      return;
    }
    const filters = parseFilters(req);
    if (typeof filters === 'string') {
      sendError(res, 400, 'INVALID_PARAMETER', filters);
      return;
    }
    const { country, type, page, limit } = filters;
    const matching = state.catalog.filter(
      (p) => (!type || p.type === type) && (!country || p.countries.some((c) => c.code === country)),
    );
    res.json({
      data: matching.slice((page - 1) * limit, page * limit),
      meta: { page, limit, total: matching.length, pages: Math.ceil(matching.length / limit) },
    });
  });

  router.use(profileRoutes(state.profile));

  router.use((_req: Request, res: Response) => {
    sendError(res, 404, 'NOT_FOUND', 'No such endpoint.');
  });
  // express.json() failures land here: answer in the provider's envelope, not express's HTML page.
  router.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, 400, 'INVALID_JSON', 'The request body is not valid JSON.');
  });
  return router;
}

interface PlanFilters {
  readonly country?: string;
  readonly type?: WirePlanType;
  readonly page: number;
  readonly limit: number;
}

/** Parses the list filters; a string is the validation message of a 400. */
function parseFilters(req: Request): PlanFilters | string {
  const country = queryValue(req, 'country');
  const type = queryValue(req, 'type');
  const page = positiveInt(queryValue(req, 'page'), 1);
  const limit = positiveInt(queryValue(req, 'limit'), DEFAULT_LIMIT);
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) return 'country must be an ISO 3166-1 alpha-2 code.';
  if (type !== undefined && !PLAN_TYPES.includes(type as WirePlanType)) return 'type must be local, regional or global.';
  if (page === null) return 'page must be a positive integer.';
  if (limit === null || limit > MAX_LIMIT) return `limit must be an integer from 1 to ${MAX_LIMIT}.`;
  return { country: country?.toUpperCase(), type: type as WirePlanType | undefined, page, limit };
}

/** One query value; a repeated parameter counts as invalid (empty string fails every check). */
function queryValue(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : '';
}

function positiveInt(value: string | undefined, fallback: number): number | null {
  if (value === undefined) return fallback;
  return /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}
