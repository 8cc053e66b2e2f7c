import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { TokenStore } from './auth';
import { toWireBundle, type BundleCategory, type ComiumCatalog, type ProfileType, type SimBundle } from './catalog';
import { sendError } from './errors';
import { orderRoutes, type OrderRoutesState } from './orders';
import { page, paging, single } from './params';
import type { TokenBucketGuard } from './rate-limit';
import { topUpRoutes } from './topups';

export interface ApiState extends OrderRoutesState {
  readonly tokens: TokenStore;
  readonly catalog: ComiumCatalog;
  readonly guard: TokenBucketGuard;
}

const CATEGORIES: readonly BundleCategory[] = ['global', 'region', 'country', 'cruise'];
const PROFILE_TYPES: readonly ProfileType[] = ['STANDARD', 'GLOBAL_ESIM'];

/** Comium's reseller API below its API prefix (seed 002, "Core Endpoints"). */
export function apiRouter(state: ApiState): Router {
  const router = express.Router();
  router.use(state.guard.middleware());
  router.use(express.json());

  router.post('/Agent/login', (req, res) => {
    const { username, password } = req.body ?? {};
    if (typeof username !== 'string' || typeof password !== 'string')
      return sendError(res, 400, 'username and password are required');
    const session = state.tokens.login(username, password);
    if (!session) return sendError(res, 401, 'Invalid username or password', 'Authentication failed');
    res.json(session);
  });

  router.post('/Token/Refresh', (req, res) => {
    const refreshToken = req.body?.refresh_token;
    if (typeof refreshToken !== 'string' || !refreshToken) return sendError(res, 400, 'refresh_token is required');
    const session = state.tokens.rotate(refreshToken);
    if (!session)
      return sendError(
        res,
        401,
        'Invalid or expired refresh token',
        'Refresh token is unknown, expired or already used',
      );
    res.json(session);
  });

  router.use(requireAccessToken(state.tokens));
  router.get('/Bundles', (req, res) => listBundles(state, req, res));
  router.get('/Bundles/Networks', (req, res) => {
    const code = single(req.query.bundle_code);
    if (!code) return sendError(res, 400, 'bundle_code is required');
    const networks = state.catalog.networks.get(code);
    if (!networks) return sendError(res, 404, 'Bundle not found');
    res.json({ data: networks });
  });
  router.use(orderRoutes(state));
  router.use(topUpRoutes(state));

  router.use((_req: Request, res: Response) => sendError(res, 404, 'Resource not found'));
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status === 400) return sendError(res, 400, 'Malformed request body');
    sendError(res, 500, 'An unexpected error occurred');
  });
  return router;
}

function requireAccessToken(tokens: TokenStore) {
  return (req: Request, res: Response, next: NextFunction) => {
    switch (tokens.check(req.get('Access-Token'))) {
      case 'ok':
        return next();
      case 'missing':
        return sendError(res, 401, 'Access token is missing', 'Send the Access-Token header');
      case 'invalid':
        return sendError(res, 401, 'Invalid access token');
      case 'expired':
        return sendError(res, 401, 'Access token has expired', 'Use /Token/Refresh to get a new access token');
    }
  };
}

function listBundles(state: ApiState, req: Request, res: Response): void {
  const country = single(req.query.country_code);
  const region = single(req.query.region_code);
  const category = single(req.query.bundle_category);
  const profile = single(req.query.profile_type) ?? 'STANDARD';
  const pages = paging(req.query);

  if (country !== undefined && !/^[A-Za-z]{3}$/.test(country))
    return sendError(res, 400, 'Invalid country_code', 'country_code must be an ISO 3166-1 alpha-3 code');
  if (category !== undefined && !CATEGORIES.includes(category as BundleCategory))
    return sendError(
      res,
      400,
      'Invalid bundle_category',
      'bundle_category must be one of global, region, country, cruise',
    );
  if (!PROFILE_TYPES.includes(profile as ProfileType))
    return sendError(res, 400, 'Invalid profile_type', 'profile_type must be STANDARD or GLOBAL_ESIM');
  // Seed 002, "Compatibility & Migration": GLOBAL_ESIM queries answer 400 while the flag is off.
  if (profile === 'GLOBAL_ESIM' && !state.showGlobalEsimBundles)
    return sendError(res, 400, 'Feature not supported', 'Global eSIM bundles are not enabled for this reseller');
  if (typeof pages === 'string') return sendError(res, 400, pages);

  const matches = state.catalog.bundles.filter(
    (b: SimBundle) =>
      b.profile_type === profile &&
      (country === undefined || b.countries.includes(country.toUpperCase())) &&
      (region === undefined || b.region_code === region.toUpperCase()) &&
      (category === undefined || b.bundle_category === category),
  );
  res.json(page(matches.map(toWireBundle), pages));
}
