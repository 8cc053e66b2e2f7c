import express, { type Request, type Response, type Router } from 'express';
import type { SimProfile } from '../shared/inventory';
import { methodNotAllowed, sendError } from './errors';
import { CURRENCY, jsonOnly, refuse, type OrderDeps } from './orders';
import { readPaging } from './query';
import type { ProductWire } from './catalog';
import { planTerms, renderEsim, renderTopUp, renderUsage } from './wire';

/** States in which an eSIM takes a top-up (the shared inventory's rule). */
const TOP_UP_STATES: ReadonlySet<SimProfile['state']> = new Set(['RELEASED', 'INSTALLED', 'IN_USE', 'DEPLETED']);

/**
 * `GET …/esims/{iccid}`, `GET …/esims/{iccid}/usage`, `GET|POST …/esims/{iccid}/topups` (paths
 * ASSUMED). There is no separate top-up catalog: a top-up buys a product with `topup_available`.
 */
export function esimsRouter(deps: OrderDeps): Router {
  const router = express.Router({ mergeParams: true });
  router.get('/esims/:iccid', (req, res) => withEsim(deps, req, res, (p) => res.json(renderEsim(p, deps.devices))));
  router.get('/esims/:iccid/usage', (req, res) => withEsim(deps, req, res, (p) => res.json(renderUsage(p))));
  router.get('/esims/:iccid/topups', (req, res) =>
    withEsim(deps, req, res, (profile) => {
      const paging = readPaging(req.query as Record<string, unknown>);
      if (typeof paging === 'string') return sendError(res, 'validation_error', paging);
      const rows = topUpsFor(deps, profile);
      res.json({
        products: rows.slice(paging.offset, paging.offset + paging.limit),
        limit: paging.limit,
        offset: paging.offset,
        total: rows.length,
      });
    }),
  );
  router.post('/esims/:iccid/topups', jsonOnly, express.json(), deps.idempotency.guard('topups'), (req, res) =>
    topUp(deps, req, res),
  );
  router.all(['/esims/:iccid', '/esims/:iccid/usage', '/esims/:iccid/topups'], methodNotAllowed);
  return router;
}

function topUp(deps: OrderDeps, req: Request, res: Response): void {
  const productId = (req.body as Record<string, unknown> | undefined)?.product_id;
  if (typeof productId !== 'string' || !/^\d{1,18}$/.test(productId))
    return sendError(res, 'validation_error', 'product_id must be a numeric string.');
  withEsim(deps, req, res, (profile) => {
    const product = deps.products.find((p) => p.product_id === productId);
    if (!product) return sendError(res, 'invalid_product', 'No such product.');
    if (!topUpsFor(deps, profile).includes(product))
      return sendError(res, 'topup_not_allowed', 'This product can not top up this eSIM now.');
    const result = deps.inventory.topUp({
      key: res.locals.idempotentKey as string,
      iccid: profile.iccid,
      plan: planTerms(product),
    });
    if (!result.ok) return refuse(res, result.error, 'topup_not_allowed');
    res.status(201).json(renderTopUp(result.value, profile, CURRENCY));
  });
}

/**
 * ASSUMED compatibility rule: active products with `topup_available` of the same type (fixed or
 * unlimited) and the very same countries as the eSIM's own product, while the eSIM is live.
 */
function topUpsFor(deps: OrderDeps, profile: SimProfile): ProductWire[] {
  const base = deps.products.find((p) => p.product_id === profile.planCode);
  if (!base || !TOP_UP_STATES.has(profile.state)) return [];
  const area = [...base.countries].sort().join();
  return deps.products.filter(
    (p) =>
      p.status === 'ACTIVE' && p.topup_available && p.type === base.type && [...p.countries].sort().join() === area,
  );
}

function withEsim(deps: OrderDeps, req: Request, res: Response, then: (profile: SimProfile) => void): void {
  const profile = deps.inventory.profile(String(req.params.iccid));
  if (profile) then(profile);
  else sendError(res, 'esim_not_found', 'No such eSIM.');
}
