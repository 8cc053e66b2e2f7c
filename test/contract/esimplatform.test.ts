import { SANDBOX_API_PREFIX, type EsimPlatformConfig } from '../../src/config/provider-config';
import { ProviderError, ProviderRateLimitedError, ProviderUnavailableError } from '../../src/domain/errors';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createEsimPlatformAdapter } from '../../src/providers/esimplatform';
import type { ProviderAdapter } from '../../src/providers/provider-adapter';
import { createEsimPlatformSimulator } from '../../src/sandbox/esimplatform';
import type { SimulatorOptions } from '../../src/sandbox/shared/simulator';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { describeConformance } from './conformance';

const id = 'esimplatform' as const;
const credentials = SANDBOX_CREDENTIALS.esimplatform;

function adapterConfig(root: string, wrongCredentials = false): EsimPlatformConfig {
  return { baseUrl: root + SANDBOX_API_PREFIX[id], sandbox: true, email: credentials.email, password: wrongCredentials ? 'Wrong-Passw0rd!' : credentials.password };
}

describeConformance({
  id,
  createSimulator: () => createEsimPlatformSimulator({ orderDelayMs: 0 }),
  createAdapter: (root, deps, wrongCredentials) => createEsimPlatformAdapter(adapterConfig(root, wrongCredentials), deps),
});

describe('the eSIM platform API, simulated and adapted', () => {
  const fastPolicy = { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20 };
  let clockOffsetMs = 0;
  let sim: RunningSimulator;
  let adapters: ProviderAdapter[] = [];
  let api: string;

  const start = async (options: Partial<SimulatorOptions> = {}) => {
    sim = await startSimulator(createEsimPlatformSimulator({ orderDelayMs: 0, ...options }, { now: () => Date.now() + clockOffsetMs }));
    api = sim.root + SANDBOX_API_PREFIX[id];
  };
  const adapter = (policy: AdapterDeps['policy'] = {}, wrong = false) => {
    const made = createEsimPlatformAdapter(adapterConfig(sim.root, wrong), { logger: testLogger, policy: { ...fastPolicy, ...policy } });
    adapters.push(made);
    return made;
  };
  type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
  const post = (path: string, body: unknown) => fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) as Promise<JsonResponse>;
  const get = (path: string, token?: string) => fetch(api + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }) as Promise<JsonResponse>;
  const login = async () => (await (await post('/auth/login', { email: credentials.email, password: credentials.password })).json()) as { access_token: string; refresh_token: string };
  const calls = async (key: string) => (await sim.stats()).requests[key] ?? 0;
  const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

  beforeEach(async () => {
    clockOffsetMs = 0;
    await start();
  });
  afterEach(async () => {
    await Promise.all(adapters.map((a) => a.dispose()));
    adapters = [];
    await sim.close();
  });

  describe('authentication', () => {
    it('issues HS256 access and refresh JWTs with sub, role, typ, iat and exp claims', async () => {
      const res = await post('/auth/login', { email: credentials.email, password: credentials.password });
      const body = await res.json();
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ success: true, user: { email: credentials.email, role: 'reseller' }, token_expires_in: 3600 });
      expect(JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
      const access = claimsOf(body.access_token);
      expect(access).toMatchObject({ sub: body.user.id, role: 'reseller', typ: 'access' });
      expect(access.exp - access.iat).toBeGreaterThanOrEqual(3600);
      expect(claimsOf(body.refresh_token).typ).toBe('refresh');
    });

    it('refuses a wrong password with 401 INVALID_CREDENTIALS', async () => {
      const res = await post('/auth/login', { email: credentials.email, password: 'Wrong-Passw0rd!' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ success: false, error: { code: 'INVALID_CREDENTIALS', message: expect.any(String) } });
    });

    it('refuses a call without a token, and a token whose signature was tampered with, with 401', async () => {
      const { access_token } = await login();
      const [head, body, sig] = access_token.split('.');
      const tampered = `${head}.${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
      const forged = `${head}.${Buffer.from(JSON.stringify({ ...claimsOf(access_token), role: 'admin' })).toString('base64url')}.${sig}`;
      expect((await (await get('/credits/balance')).json()).error.code).toBe('UNAUTHORIZED');
      for (const token of [tampered, forged]) {
        const res = await get('/credits/balance', token);
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe('INVALID_TOKEN');
      }
    });

    it('refuses an expired access token with 401 TOKEN_EXPIRED', async () => {
      const { access_token } = await login();
      expect((await get('/credits/balance', access_token)).status).toBe(200);
      clockOffsetMs = 3601_000;
      const res = await get('/credits/balance', access_token);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('TOKEN_EXPIRED');
    });

    it('refuses a refresh token used as an access token, and an access token used as a refresh token', async () => {
      const { access_token, refresh_token } = await login();
      expect((await (await get('/credits/balance', refresh_token)).json()).error.code).toBe('INVALID_TOKEN');
      const res = await post('/auth/refresh', { refresh_token: access_token });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('INVALID_TOKEN');
    });

    it('exchanges a refresh token for a new working token pair', async () => {
      const { refresh_token } = await login();
      const res = await post('/auth/refresh', { refresh_token });
      const body = await res.json();
      expect(body).toMatchObject({ success: true, token_expires_in: 3600 });
      expect((await get('/credits/balance', body.access_token)).status).toBe(200);
    });
  });

  describe('rate limits', () => {
    it('refuses the sixth login from one IP within 15 minutes with 429 and Retry-After, then admits it after the window', async () => {
      for (let i = 0; i < 5; i++) expect((await post('/auth/login', { email: credentials.email, password: 'Wrong-Passw0rd!' })).status).toBe(401);
      const refused = await post('/auth/login', { email: credentials.email, password: credentials.password });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(890);
      expect((await refused.json()).error.code).toBe('RATE_LIMIT_EXCEEDED');
      clockOffsetMs = 15 * 60_000 + 1000;
      expect((await post('/auth/login', { email: credentials.email, password: credentials.password })).status).toBe(200);
    });

    it('refuses the 1001st request of a user within an hour, and the adapter reports RATE_LIMITED with the wait', async () => {
      const { access_token } = await login();
      for (let sent = 0; sent < 1000; sent += 100) {
        const statuses = await Promise.all(Array.from({ length: 100 }, () => get('/credits/balance', access_token).then((r) => r.status)));
        expect(statuses.every((s) => s === 200)).toBe(true);
      }
      const refused = await get('/credits/balance', access_token);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
      const error = await adapter({ maxAttempts: 1 }).getBalance().catch((e) => e);
      expect(error).toBeInstanceOf(ProviderRateLimitedError);
      expect(error.retryAfterMs).toBeGreaterThan(3_500_000);
    });
  });

  describe('plans', () => {
    it('honours page and limit, caps limit at 100 and reports the pagination', async () => {
      const { access_token } = await login();
      const page2 = await (await get('/plans?page=2&limit=7', access_token)).json();
      expect(page2.data).toHaveLength(7);
      expect(page2.pagination).toMatchObject({ page: 2, limit: 7, total_pages: Math.ceil(page2.pagination.total / 7) });
      const all = await (await get('/plans?limit=1000', access_token)).json();
      expect(all.pagination.limit).toBe(100);
      expect(all.data[7].id).toBe(page2.data[0].id);
      expect((await (await get('/plans', access_token)).json()).data).toHaveLength(20);
      expect((await get('/plans?page=0', access_token)).status).toBe(400);
    });

    it('filters by country, country name, region and search', async () => {
      const { access_token } = await login();
      const plans = async (query: string) => (await (await get(`/plans?limit=100&${query}`, access_token)).json()).data as { countries: string[]; region_code: string | null; name: string }[];
      expect((await plans('country=fr')).every((p) => p.countries.includes('FR'))).toBe(true);
      expect((await plans('country_name=France')).length).toBe((await plans('country=FR')).length);
      const eu = await plans('region=EU');
      expect(eu.length).toBeGreaterThan(0);
      expect(eu.every((p) => p.region_code === 'EU')).toBe(true);
      expect((await plans('search=unlimited')).every((p) => /unlimited/i.test(p.name))).toBe(true);
    });

    it('never serves Russia plans, whatever the filter', async () => {
      const { access_token } = await login();
      for (const query of ['country=RU', 'country_name=Russian%20Federation', 'search=Russia']) {
        expect((await (await get(`/plans?${query}`, access_token)).json()).pagination.total).toBe(0);
      }
      const plans = await adapter().listPlans();
      expect(plans.some((p) => p.countries.includes('RU') || (p.networks ?? []).some((n) => n.country === 'RU'))).toBe(false);
    });

    it('fetches every page with limit 100, the pages after the first in parallel', async () => {
      const { access_token } = await login();
      const { total } = (await (await get('/plans?limit=1', access_token)).json()).pagination;
      await sim.control('reset-stats');
      const plans = await adapter().listPlans();
      expect(plans).toHaveLength(total);
      expect(await calls('GET /api/v1/plans')).toBe(Math.ceil(total / 100));
    });

    it('looks a few plans up one by one, and many with one catalog read', async () => {
      const a = adapter();
      const codes = (await a.listPlans()).map((p) => p.code);
      await sim.control('reset-stats');
      await a.getPlans(codes.slice(0, 3));
      expect(await calls('GET /api/v1/plans')).toBe(0);
      expect((await sim.stats()).total).toBe(3);
      await sim.control('reset-stats');
      const found = await a.getPlans([...codes.slice(0, 10), 'plan-0']);
      expect(found.slice(0, 10).map((p) => p?.code)).toEqual(codes.slice(0, 10));
      expect(found[10]).toBeNull();
      expect((await sim.stats()).total).toBe(Math.ceil(codes.length / 100));
    });

    it('answers an unknown plan id with 404 PLAN_NOT_FOUND', async () => {
      const { access_token } = await login();
      const res = await get('/plans/plan-0', access_token);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('PLAN_NOT_FOUND');
    });
  });

  describe('the adapter token cache', () => {
    it('logs in once for many concurrent calls', async () => {
      const a = adapter();
      await Promise.all([a.getBalance(), a.getBalance(), a.listPlans(), a.probe()]);
      await a.getBalance();
      expect(await calls('POST /api/v1/auth/login')).toBe(1);
    });

    it('refreshes an access token the platform says has expired, without logging in again', async () => {
      const a = adapter();
      await a.getBalance();
      clockOffsetMs = 2 * 3600_000;
      await expect(a.getBalance()).resolves.toEqual({ amount: '1500', currency: 'USD' });
      expect(await calls('POST /api/v1/auth/login')).toBe(1);
      expect(await calls('POST /api/v1/auth/refresh')).toBe(1);
    });

    it('refreshes a short-lived token before it expires, so no call is refused', async () => {
      await sim.close();
      await start({ tokenTtlSeconds: 1 });
      const a = adapter();
      await a.getBalance();
      await new Promise((resolve) => setTimeout(resolve, 800));
      await a.getBalance();
      expect(await calls('POST /api/v1/auth/login')).toBe(1);
      // At least one: a loaded machine may already be past the early-renewal point on the first call.
      expect(await calls('POST /api/v1/auth/refresh')).toBeGreaterThanOrEqual(1);
      expect(await calls('GET /api/v1/credits/balance')).toBe(2);
    });

    it('logs in again only when the refresh token is refused too', async () => {
      const a = adapter();
      await a.getBalance();
      clockOffsetMs = 8 * 24 * 3600_000;
      await expect(a.getBalance()).resolves.not.toBeNull();
      expect(await calls('POST /api/v1/auth/login')).toBe(2);
      expect(await calls('POST /api/v1/auth/refresh')).toBe(1);
    });

    it('reports refused credentials as PROVIDER_UNAVAILABLE (auth) and pauses logins instead of spending the login limit', async () => {
      const wrong = adapter({}, true);
      for (let i = 0; i < 3; i++) {
        const error = await wrong.getBalance().catch((e) => e);
        expect(error).toBeInstanceOf(ProviderUnavailableError);
        expect(error).toMatchObject({ reason: 'AUTH' });
        expect(error.message).not.toMatch(/Passw0rd|sandbox-reseller|127\.0\.0\.1|eyJ/);
      }
      expect(await calls('POST /api/v1/auth/login')).toBe(1);
      expect(wrong.health().status).toBe('DOWN');
    });

    it('classifies the platform 500 and 503 answers as PROVIDER_UNAVAILABLE and retries reads', async () => {
      const a = adapter();
      await a.getBalance();
      await sim.control('fault', { mode: 'flaky', errorRate: 1 });
      await sim.control('reset-stats');
      const error = await a.getBalance().catch((e) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'SERVER_ERROR' });
      expect(await calls('GET /api/v1/credits/balance')).toBe(3);
    });
  });
});
