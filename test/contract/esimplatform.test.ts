import { SANDBOX_API_PREFIX, type EsimPlatformConfig } from '../../src/config/provider-config';
import { ProviderError, ProviderRateLimitedError, ProviderUnavailableError } from '../../src/domain/errors';
import { decimalFromUpstream, multiplyDecimal, subtractDecimal } from '../../src/domain/money';
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
  createSimulator: (options) => createEsimPlatformSimulator({ orderDelayMs: 0, ...options }),
  createAdapter: (root, deps, wrongCredentials) => createEsimPlatformAdapter(adapterConfig(root, wrongCredentials), deps),
});

describe('the eSIM platform API, simulated and adapted', () => {
  const fastPolicy = { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20 };
  let clockOffsetMs = 0;
  let sim: RunningSimulator;
  let adapters: ProviderAdapter[] = [];
  let api: string;

  const start = async (options: Partial<SimulatorOptions> = {}, tuning: { stockPerPlan?: number } = {}) => {
    sim = await startSimulator(createEsimPlatformSimulator({ orderDelayMs: 0, ...options }, { now: () => Date.now() + clockOffsetMs, ...tuning }));
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

  describe('ordering and eSIMs (wire format, idempotency, error codes)', () => {
    type Json = Record<string, any>;
    const send = (method: string, path: string, token: string, body?: unknown, key?: string) =>
      fetch(api + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }) as Promise<JsonResponse>;
    const cheapTopUpPlan = async (token: string): Promise<Json> => {
      const plans = (await (await get('/plans?limit=100', token)).json()).data as Json[];
      return plans.filter((p) => p.topup_available && !p.is_unlimited).sort((a, b) => a.price - b.price)[0];
    };
    const orderBody = (plan: Json, extra: Json = {}) => ({ plan_id: plan.id, quantity: 1, end_customer_email: 'c@example.com', customer_name: 'C', ...extra });
    const placed = async (token: string, plan: Json, extra: Json = {}) => (await (await send('POST', '/orders', token, orderBody(plan, extra))).json()).order as Json;
    const balance = async (token: string) => decimalFromUpstream((await (await get('/credits/balance', token)).json()).balance);
    const less = (amount: string, price: number) => subtractDecimal(amount, decimalFromUpstream(price));
    const errorOf = async (res: Promise<JsonResponse>) => {
      const r = await res;
      return [r.status, (await r.json()).error?.code];
    };

    it('creates an order with the documented fields plus its eSIMs, found by id, reference, ICCID, esimTranNo and order id', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      const res = await send('POST', '/orders', token, orderBody(plan, { quantity: 2, reference: 'ref-wire-1' }));
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toMatchObject({ success: true, message: 'Order created successfully' });
      const order = body.order;
      expect(order).toMatchObject({
        id: expect.stringMatching(/^ord-[0-9a-f]{12}$/), user_id: 'user-1001', plan_id: plan.id, plan_name: plan.name, quantity: 2, unit_price: plan.price,
        currency: 'USD', status: 'active', reference: 'ref-wire-1', iccid: expect.stringMatching(/^8901260\d{12}$/), qr_code_url: expect.stringMatching(/^https:\/\/.+\.png$/),
      });
      expect(decimalFromUpstream(order.total_amount)).toBe(multiplyDecimal(decimalFromUpstream(plan.price), 2));
      expect(order.esims).toHaveLength(2);
      const [esim] = order.esims;
      expect(esim).toMatchObject({
        iccid: order.iccid, esim_tran_no: expect.stringMatching(/^esim-tran-\d+$/), order_id: order.id, plan_id: plan.id, status: 'released',
        smdp_address: 'smdp.esim-platform.example', activation_code: `LPA:1$smdp.esim-platform.example$${esim.matching_id}`, data_used: 0, data_remaining: plan.data_volume_mb,
      });
      expect((await (await get(`/orders/${order.id}`, token)).json()).order).toEqual(order);
      expect((await (await get('/orders?reference=ref-wire-1', token)).json()).data).toEqual([order]);
      expect((await (await get('/orders?reference=ref-none', token)).json()).data).toEqual([]);
      for (const identifier of [esim.iccid, esim.esim_tran_no, order.id]) {
        expect((await (await get(`/esims/${identifier}`, token)).json()).profile).toEqual(esim);
      }
    });

    it('replays the first answer for the same Idempotency-Key and body, and refuses the key with another body', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      const before = await balance(token);
      const first = await send('POST', '/orders', token, orderBody(plan), 'key-1');
      const again = await send('POST', '/orders', token, { customer_name: 'C', end_customer_email: 'c@example.com', quantity: 1, plan_id: plan.id }, 'key-1');
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const firstId = (await first.json()).order.id;
      expect((await again.json()).order.id).toBe(firstId);
      expect(await balance(token)).toBe(less(before, plan.price));
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan, { quantity: 2 }), 'key-1'))).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
      // After the 24 h window the key is forgotten: the same request orders again.
      clockOffsetMs = 24 * 3600_000 + 1000;
      const { access_token: later } = await login();
      const third = await send('POST', '/orders', later, orderBody(plan), 'key-1');
      expect([third.status, third.headers.get('idempotent-replayed')]).toEqual([201, null]);
      expect((await third.json()).order.id).not.toBe(firstId);
    });

    it('sends our reference as the Idempotency-Key, and answers the existing order after the key window', async () => {
      const a = adapter();
      const [plan] = (await a.listPlans()).filter((p) => p.dataBytes !== null);
      const request = { reference: 'ref-adapter-1', planCode: plan.code, quantity: 1, expectedUnitPrice: plan.wholesalePrice };
      const first = await a.placeOrder(request);
      const { access_token: token } = await login();
      const body = { plan_id: plan.code, quantity: 1, end_customer_email: credentials.email, customer_name: 'Order ref-adapter-1', reference: 'ref-adapter-1' };
      const replay = await send('POST', '/orders', token, body, 'ref-adapter-1');
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      clockOffsetMs = 25 * 3600_000;
      const { access_token: later } = await login();
      const before = await balance(later);
      expect(await errorOf(send('POST', '/orders', later, body, 'ref-adapter-1'))).toEqual([409, 'DUPLICATE_REFERENCE']);
      await sim.control('reset-stats');
      expect((await a.placeOrder(request)).providerOrderId).toBe(first.providerOrderId);
      expect(await calls('GET /api/v1/orders')).toBe(1);
      expect(await balance(later)).toBe(before);
    });

    it('retries order creation through a flaky platform, under the same Idempotency-Key', async () => {
      const a = adapter();
      const [plan] = await a.listPlans();
      await sim.control('fault', { mode: 'flaky', errorRate: 1 });
      await sim.control('reset-stats');
      const error = await a.placeOrder({ reference: 'ref-retry', planCode: plan.code, quantity: 1, expectedUnitPrice: plan.wholesalePrice }).catch((e) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(await calls('POST /api/v1/orders')).toBe(3);
    });

    it('answers its own error codes: 402 INSUFFICIENT_CREDITS, 404 PLAN_NOT_FOUND, 400 VALIDATION_ERROR, 404 ORDER_NOT_FOUND', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      expect(await errorOf(send('POST', '/orders', token, orderBody({ id: 'plan-0' })))).toEqual([404, 'PLAN_NOT_FOUND']);
      expect(await errorOf(send('POST', '/orders', token, { plan_id: plan.id, quantity: 1 }))).toEqual([400, 'VALIDATION_ERROR']);
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan, { quantity: 11 })))).toEqual([400, 'VALIDATION_ERROR']);
      expect(await errorOf(get('/orders/ord-000000000000', token))).toEqual([404, 'ORDER_NOT_FOUND']);
      await sim.control('balance', { amount: '0.50' });
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan)))).toEqual([402, 'INSUFFICIENT_CREDITS']);
      const a = adapter();
      const error = await a.placeOrder({ reference: 'ref-poor', planCode: plan.id, quantity: 1, expectedUnitPrice: { amount: '1', currency: 'USD' } }).catch((e) => e);
      expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'INSUFFICIENT_CREDITS' });
      expect(await a.getOrder({ reference: 'ref-none', providerOrderId: 'ord-000000000000', placedAt: new Date() })).toBeNull();
    });

    it('answers 409 OUT_OF_STOCK when the plan has too few eSIMs left', async () => {
      await sim.close();
      await start({}, { stockPerPlan: 1 });
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan, { quantity: 2 })))).toEqual([409, 'OUT_OF_STOCK']);
      expect((await send('POST', '/orders', token, orderBody(plan))).status).toBe(201);
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan)))).toEqual([409, 'OUT_OF_STOCK']);
    });

    it('maps each eSIM status word the platform sends through the lifecycle', async () => {
      const { access_token: token } = await login();
      const a = adapter();
      const order = await placed(token, await cheapTopUpPlan(token));
      const esim = order.esims[0] as Json;
      const ref = { iccid: esim.iccid, providerProfileId: esim.esim_tran_no };
      const seen = async () => {
        const [profile] = await a.getProfiles([ref]);
        return [profile?.rawStatus, profile?.status];
      };
      expect(await seen()).toEqual(['released', 'NOT_INSTALLED']);
      await sim.control('usage', { iccid: esim.iccid, usedBytes: 1024 });
      expect(await seen()).toEqual(['active', 'ACTIVE']);
      await sim.control('usage', { iccid: esim.iccid, usedBytes: esim.data_limit * 1024 * 1024 });
      expect(await seen()).toEqual(['depleted', 'DEPLETED']);
      await a.suspendProfile!(ref);
      expect(await seen()).toEqual(['suspended', 'SUSPENDED']);
      await a.resumeProfile!(ref);
      expect(await seen()).toEqual(['depleted', 'DEPLETED']);
      await a.revokeProfile!(ref);
      expect(await seen()).toEqual(['revoked', 'REVOKED']);
    });

    it('refuses what the state does not allow with 409 INVALID_STATE, an unknown eSIM with 404 ESIM_NOT_FOUND', async () => {
      const { access_token: token } = await login();
      const { iccid } = (await placed(token, await cheapTopUpPlan(token))).esims[0];
      expect(await errorOf(send('POST', `/esims/${iccid}/unsuspend`, token))).toEqual([409, 'INVALID_STATE']);
      expect(await errorOf(send('POST', '/esims/8901260000000000000/suspend', token))).toEqual([404, 'ESIM_NOT_FOUND']);
      expect(await errorOf(get('/esims/8901260000000000000', token))).toEqual([404, 'ESIM_NOT_FOUND']);
      expect(await errorOf(send('POST', `/esims/${iccid}/sms`, token, { message: 'x'.repeat(161) }))).toEqual([400, 'VALIDATION_ERROR']);
      const error = await adapter().resumeProfile!({ iccid, providerProfileId: iccid }).catch((e) => e);
      expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'INVALID_STATE' });
    });

    it('reads usage of a list of esimTranNo in bytes, leaving unknown ones out, at most 10 per call', async () => {
      const { access_token: token } = await login();
      const order = await placed(token, await cheapTopUpPlan(token), { quantity: 2 });
      const [one, two] = order.esims as Json[];
      await sim.control('usage', { iccid: one.iccid, usedBytes: 123_456 });
      const res = await send('POST', '/esims/usage', token, { esimTranNoList: [one.esim_tran_no, 'esim-tran-0', two.esim_tran_no] });
      const { usage } = await res.json();
      expect(usage).toEqual([
        { esimTranNo: one.esim_tran_no, iccid: one.iccid, dataUsage: 123_456, totalData: one.data_limit * 1024 * 1024, lastUpdateTime: expect.any(String) },
        expect.objectContaining({ esimTranNo: two.esim_tran_no, dataUsage: 0 }),
      ]);
      const eleven = Array.from({ length: 11 }, (_, i) => `esim-tran-${i}`);
      expect(await errorOf(send('POST', '/esims/usage', token, { esimTranNoList: eleven }))).toEqual([400, 'VALIDATION_ERROR']);
    });

    it('lists top-up packages in the documented shape and tops up once per key', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      const { iccid } = (await placed(token, plan)).esims[0];
      const options = await (await get(`/esims/${iccid}/topups`, token)).json();
      expect(options).toEqual({
        success: true, iccid, plan_id: plan.id,
        plans: [{ package_code: expect.stringMatching(/^PKG_\d+GB_\d+D_P\d+$/), name: expect.any(String), data_volume_mb: plan.data_volume_mb, price: plan.price, currency: 'USD', validity_days: plan.validity_days }],
      });
      const code = options.plans[0].package_code;
      const before = await balance(token);
      const first = await (await send('POST', `/esims/${iccid}/topup`, token, { package_code: code }, 'topup-key-1')).json();
      const again = await (await send('POST', `/esims/${iccid}/topup`, token, { package_code: code }, 'topup-key-1')).json();
      expect(first).toMatchObject({ success: true, message: 'Profile topped up successfully', topup_details: { id: expect.stringMatching(/^topup-/), package_code: code, status: 'completed' } });
      expect(again).toEqual(first);
      expect(await balance(token)).toBe(less(before, plan.price));
      expect(await errorOf(send('POST', `/esims/${iccid}/topup`, token, { package_code: 'PKG_1GB_7D_P0' }))).toEqual([404, 'PACKAGE_NOT_FOUND']);
    });
  });
});
