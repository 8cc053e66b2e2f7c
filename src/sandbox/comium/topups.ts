import express, { type Router } from 'express';
import type { SimProfile } from '../shared/inventory';
import { toWireBundle, type ComiumCatalog, type SimBundle } from './catalog';
import { sendError } from './errors';
import { DUPLICATE_REFERENCE, findProfile, refuse, sendTopUp, type OrderRoutesState } from './orders';
import { isText, page, paging } from './params';
import { orderItem } from './wire';

/**
 * Top-ups, v2 (seed 002 changelog: `GET /v2/Bundles/Topup` "filters top-up bundles to match the
 * original order profile type"). The sale path `POST /v2/Bundle/Topup` and its body are ASSUMED,
 * mirroring `GET /Bundles` / `POST /Bundle`. A top-up is an order of its own on the same ICCID.
 */
export function topUpRoutes(state: OrderRoutesState & { readonly catalog: ComiumCatalog }): Router {
  const router = express.Router();
  const { ledger } = state;

  router.get('/v2/Bundles/Topup', (req, res) => {
    const pages = paging(req.query);
    if (typeof pages === 'string') return sendError(res, 400, pages);
    const profile = findProfile(ledger, req, res);
    // The document gives no item fields: ASSUMED the same documented item as GET /Bundles.
    if (profile) res.json(page(topUpBundles(state, profile).map(toWireBundle), pages));
  });

  router.post('/v2/Bundle/Topup', (req, res) => {
    const { iccid, bundle_code: code, order_reference: reference } = req.body ?? {};
    if (!isText(iccid) || !isText(code)) return sendError(res, 400, 'iccid and bundle_code are required');
    if (!isText(reference)) return sendError(res, 400, 'order_reference is required');
    const profile = ledger.inventory.profile(iccid);
    if (!profile) return sendError(res, 404, 'Profile not found');
    const bundle = ledger.bundle(code);
    if (!bundle) return sendError(res, 404, 'Bundle not found');
    if (!bundle.support_topup) return sendError(res, 400, 'Bundle does not support top-up');
    // Seed 002: a Standard profile cannot be combined with Global eSIM bundles, and vice versa.
    if (!topUpBundles(state, profile).includes(bundle))
      return sendError(res, 400, 'Bundle is not compatible with this profile');
    if (ledger.referenceTaken(reference))
      return sendError(res, 409, DUPLICATE_REFERENCE, 'This order_reference was already used for a sale or a top-up');
    const done = ledger.inventory.topUp({ key: reference, iccid: profile.iccid, plan: ledger.terms(bundle) });
    if (!done.ok) return refuse(res, state, { reference, type: 'topup', bundle, iccid: profile.iccid }, done.error);
    const item = orderItem(ledger, {
      kind: 'topup',
      id: ledger.topUpId(done.value),
      topUp: done.value,
      profile,
      bundle,
    });
    // ASSUMED answer (undocumented): the sale's envelope with the top-up's /Orders item fields.
    sendTopUp(res, state, item);
  });

  return router;
}

/**
 * What a profile can be topped up with: top-up-eligible bundles of its profile type. A Global
 * eSIM takes any Global eSIM bundle (coverage areas coexist); a Standard profile only bundles
 * of its own coverage area (ASSUMED: same category and countries as the bundle it was sold with).
 */
function topUpBundles(
  state: { readonly ledger: OrderRoutesState['ledger']; readonly catalog: ComiumCatalog },
  profile: SimProfile,
): SimBundle[] {
  const origin = state.ledger.bundle(profile.planCode)!;
  return state.catalog.bundles.filter(
    (b) =>
      b.support_topup &&
      b.profile_type === origin.profile_type &&
      (origin.profile_type === 'GLOBAL_ESIM' || sameCoverage(b, origin)),
  );
}

function sameCoverage(a: SimBundle, b: SimBundle): boolean {
  return a.bundle_category === b.bundle_category && a.countries.join() === b.countries.join();
}
