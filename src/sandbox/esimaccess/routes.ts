import express, { type Request, type Response, type Router } from 'express';
import { toScaledInteger } from '../../domain/money';
import type { SimInventory } from '../shared/inventory';
import { signatureGuard } from './auth';
import type { SimCatalog } from './catalog';
import { SimFault, sendError, sendNotFound, sendOk } from './errors';
import { lifecycleHandlers } from './lifecycle';
import { locationList } from './locations';
import { orderHandlers } from './orders';
import type { Params } from './params';
import type { EsimAccessState, Handler } from './state';
import type { SimPackage } from './wire';

export type { EsimAccessState } from './state';

/**
 * The provider API under `/api/v1/open`: every endpoint is POST with a JSON body, even reads
 * (research §1.1). Order: rate limit, raw body, HMAC check, then the endpoint.
 */
export function apiRouter(state: EsimAccessState): Router {
  const handlers: Readonly<Record<string, Handler>> = {
    '/api/v1/open/package/list': (params) => ({
      packageList: filterPackages(state.catalog, params, state.inventory).map((p) => p.wire),
    }),
    '/api/v1/open/balance/query': () => ({ balance: toScaledInteger(state.control.balance, 10_000) }),
    '/api/v1/open/location/list': () => ({ locationList: locationList() }),
    ...orderHandlers(state),
    ...lifecycleHandlers(state),
    ...state.webhooks.handlers(),
  };
  const router = express.Router();
  router.use(state.limiter.middleware());
  router.use(express.text({ type: () => true, limit: '1mb' }));
  router.use(signatureGuard(state.secrets));
  // Async: webhook/save answers only once its CHECK_HEALTH test delivery did (Express 5 forwards rejections).
  router.use(async (req: Request, res: Response) => {
    const handler = handlers[req.path];
    if (!handler) return sendNotFound(res);
    if (req.method !== 'POST') return sendError(res, '000103');
    const params = parseBody(req.body);
    if (params === null) return sendError(res, '000104');
    try {
      sendOk(res, await handler(params));
    } catch (error) {
      if (!(error instanceof SimFault)) throw error;
      sendError(res, error.code);
    }
  });
  return router;
}

/** An empty body counts as `{}`, as the quick-start's `--data ''` shows. */
function parseBody(body: unknown): Params | null {
  if (typeof body !== 'string' || body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Params) : null;
  } catch {
    return null;
  }
}

/**
 * `package/list` filters (research §1.3), all optional and combined with AND. No pagination: the
 * whole filtered list comes back. With `type` TOPUP, an `iccid` selects the top-ups of that
 * profile's base package (none for an unknown ICCID).
 */
export function filterPackages(catalog: SimCatalog, params: Params, inventory?: SimInventory): SimPackage[] {
  const text = (key: string) =>
    typeof params[key] === 'string' && params[key] !== '' ? (params[key] as string) : undefined;
  const type = (text('type') ?? 'BASE').toUpperCase();
  const locationCode = text('locationCode');
  const packageCode = text('packageCode');
  const slug = text('slug');
  const iccid = text('iccid');
  const dataType = params.dataType === undefined || params.dataType === '' ? undefined : Number(params.dataType);
  if (type === 'TOPUP') {
    const profile = iccid ? inventory?.profile(iccid) : undefined;
    if (iccid && profile?.iccid !== iccid) return [];
    return catalog.topUps.filter(
      (p) =>
        (!profile || p.baseCode === profile.planCode) &&
        (!packageCode || p.baseCode === packageCode || p.wire.packageCode === packageCode),
    );
  }
  if (type !== 'BASE') return [];
  return catalog.base.filter(
    (p) =>
      (!locationCode || matchesLocation(p, locationCode)) &&
      (!packageCode || p.wire.packageCode === packageCode) &&
      (!slug || p.wire.slug === slug) &&
      (dataType === undefined || p.dataType === dataType),
  );
}

function matchesLocation(p: SimPackage, code: string): boolean {
  const upper = code.toUpperCase();
  if (upper === '!RG') return p.scope === 'REGION';
  if (upper === '!GL') return p.scope === 'GLOBAL';
  return p.locationCode === upper;
}
