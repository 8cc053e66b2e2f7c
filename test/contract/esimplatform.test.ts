import { SANDBOX_API_PREFIX, type EsimPlatformConfig } from '../../src/config/provider-config';
import { ProviderError, ProviderRateLimitedError, ProviderUnavailableError } from '../../src/domain/errors';
import { decimalFromUpstream, subtractDecimal } from '../../src/domain/money';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createEsimPlatformAdapter } from '../../src/providers/esimplatform';
import type { ProviderAdapter, UpstreamOrderRequest, WebhookDelivery } from '../../src/providers/provider-adapter';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_UPSTREAM_POLICY } from '../../src/providers/http/upstream-client';
import { createEsimPlatformSimulator } from '../../src/sandbox/esimplatform';
import { maskUrl } from '../../src/sandbox/shared/webhook-mask';
import type { SimulatorOptions } from '../../src/sandbox/shared/simulator';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { describeConformance } from './conformance';

const id = 'esimplatform' as const;
const credentials = SANDBOX_CREDENTIALS.esimplatform;

function adapterConfig(root: string, wrongCredentials = false): EsimPlatformConfig {
  return {
    baseUrl: root + SANDBOX_API_PREFIX[id],
    sandbox: true,
    email: credentials.email,
    password: wrongCredentials ? 'Wrong-Passw0rd!' : credentials.password,
  };
}

/** A customer the platform mails the eSIM to (required by its order call). */
const CUSTOMER = { email: 'customer@example.com', name: 'John Customer' };

/**
 * The order service refuses an order without the customer this provider needs before calling
 * it; the shared conformance suites call the adapter directly, so the customer is added here.
 */
function withCustomer(adapter: ProviderAdapter): ProviderAdapter {
  const placeOrder = adapter.placeOrder.bind(adapter);
  return Object.assign(Object.create(adapter) as ProviderAdapter, {
    placeOrder: (request: UpstreamOrderRequest, signal?: AbortSignal) =>
      placeOrder({ ...request, customer: request.customer ?? CUSTOMER }, signal),
  });
}

describeConformance({
  id,
  createSimulator: (options) => createEsimPlatformSimulator({ orderDelayMs: 0, ...options }),
  createAdapter: (root, deps, wrongCredentials) =>
    withCustomer(createEsimPlatformAdapter(adapterConfig(root, wrongCredentials), deps)),
  webhooks: true,
});

describe('the eSIM platform API, simulated and adapted', () => {
  const fastPolicy = { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20 };
  let clockOffsetMs = 0;
  let sim: RunningSimulator;
  let adapters: ProviderAdapter[] = [];
  let api: string;

  const start = async (options: Partial<SimulatorOptions> = {}, tuning: { stockPerPlan?: number } = {}) => {
    sim = await startSimulator(
      createEsimPlatformSimulator(
        { orderDelayMs: 0, ...options },
        { now: () => Date.now() + clockOffsetMs, ...tuning },
      ),
    );
    api = sim.root + SANDBOX_API_PREFIX[id];
  };
  const adapter = (policy: AdapterDeps['policy'] = {}, wrong = false) => {
    const made = createEsimPlatformAdapter(adapterConfig(sim.root, wrong), {
      logger: testLogger,
      policy: { ...fastPolicy, ...policy },
    });
    adapters.push(made);
    return made;
  };
  type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
  const post = (path: string, body: unknown) =>
    fetch(api + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }) as Promise<JsonResponse>;
  const get = (path: string, token?: string) =>
    fetch(api + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }) as Promise<JsonResponse>;
  const login = async () =>
    (await (await post('/auth/login', { email: credentials.email, password: credentials.password })).json()) as {
      access_token: string;
      refresh_token: string;
    };
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
      expect(body).toMatchObject({
        success: true,
        user: { email: credentials.email, role: 'reseller' },
        token_expires_in: 3600,
      });
      expect(JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString())).toEqual({
        alg: 'HS256',
        typ: 'JWT',
      });
      const access = claimsOf(body.access_token);
      expect(access).toMatchObject({ sub: body.user.id, role: 'reseller', typ: 'access' });
      expect(access.exp - access.iat).toBeGreaterThanOrEqual(3600);
      expect(claimsOf(body.refresh_token).typ).toBe('refresh');
    });

    it('refuses a wrong password with 401 INVALID_CREDENTIALS', async () => {
      const res = await post('/auth/login', { email: credentials.email, password: 'Wrong-Passw0rd!' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        success: false,
        error: { code: 'INVALID_CREDENTIALS', message: expect.any(String) },
      });
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
      for (let i = 0; i < 5; i++)
        expect((await post('/auth/login', { email: credentials.email, password: 'Wrong-Passw0rd!' })).status).toBe(401);
      const refused = await post('/auth/login', { email: credentials.email, password: credentials.password });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(890);
      expect((await refused.json()).error.code).toBe('RATE_LIMIT_EXCEEDED');
      clockOffsetMs = 15 * 60_000 + 1000;
      expect((await post('/auth/login', { email: credentials.email, password: credentials.password })).status).toBe(
        200,
      );
    });

    it('refuses the 1001st request of a user within an hour, and the adapter reports RATE_LIMITED with the wait', async () => {
      const { access_token } = await login();
      for (let sent = 0; sent < 1000; sent += 100) {
        const statuses = await Promise.all(
          Array.from({ length: 100 }, () => get('/credits/balance', access_token).then((r) => r.status)),
        );
        expect(statuses.every((s) => s === 200)).toBe(true);
      }
      const refused = await get('/credits/balance', access_token);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
      const error = await adapter({ maxAttempts: 1 })
        .getBalance()
        .catch((e) => e);
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
      const plans = async (query: string) =>
        (await (await get(`/plans?limit=100&${query}`, access_token)).json()).data as {
          countries: string[];
          region_code: string | null;
          name: string;
        }[];
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
      expect(plans.some((p) => p.countries.includes('RU') || (p.networks ?? []).some((n) => n.country === 'RU'))).toBe(
        false,
      );
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
      expect(await calls('GET /api/v1/credits/balance')).toBe(DEFAULT_UPSTREAM_POLICY.maxAttempts);
    });
  });

  describe('ordering and eSIMs (wire format, idempotency, error codes)', () => {
    type Json = Record<string, any>;
    const send = (method: string, path: string, token: string, body?: unknown, key?: string) =>
      fetch(api + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }) as Promise<JsonResponse>;
    const cheapTopUpPlan = async (token: string): Promise<Json> => {
      const plans = (await (await get('/plans?limit=100', token)).json()).data as Json[];
      return plans.filter((p) => p.topup_available && !p.is_unlimited).sort((a, b) => a.price - b.price)[0];
    };
    const orderBody = (plan: Json, extra: Json = {}) => ({
      plan_id: plan.id,
      quantity: 1,
      end_customer_email: 'c@example.com',
      customer_name: 'C',
      ...extra,
    });
    const placed = async (token: string, plan: Json, extra: Json = {}) =>
      (await (await send('POST', '/orders', token, orderBody(plan, extra))).json()).order as Json;
    const balance = async (token: string) =>
      decimalFromUpstream((await (await get('/credits/balance', token)).json()).balance);
    const less = (amount: string, price: number) => subtractDecimal(amount, decimalFromUpstream(price));
    const errorOf = async (res: Promise<JsonResponse>) => {
      const r = await res;
      return [r.status, (await r.json()).error?.code];
    };

    it('answers the order with exactly the documented fields (active, iccid, qr_code_url), read back by id, reference, ICCID and order id', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      const res = await send('POST', '/orders', token, orderBody(plan, { reference: 'ref-wire-1' }));
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(Object.keys(body).sort()).toEqual(['message', 'order', 'success']);
      expect(body).toMatchObject({ success: true, message: 'Order created successfully' });
      const order = body.order;
      expect(order).toEqual({
        id: expect.stringMatching(/^ord-[0-9a-f]{12}$/),
        user_id: 'user-1001',
        plan_id: plan.id,
        plan_name: plan.name,
        quantity: 1,
        unit_price: plan.price,
        total_amount: plan.price,
        currency: 'USD',
        status: 'active',
        iccid: expect.stringMatching(/^8901260\d{12}$/),
        qr_code_url: expect.stringMatching(/^https:\/\/.+\.png$/),
      });
      // The reads (no body documented) answer the same object plus our reference (ASSUMED).
      expect((await (await get(`/orders/${order.id}`, token)).json()).order).toEqual({
        ...order,
        reference: 'ref-wire-1',
      });
      expect((await (await get('/orders?reference=ref-wire-1', token)).json()).data).toEqual([
        { ...order, reference: 'ref-wire-1' },
      ]);
      expect((await (await get('/orders?reference=ref-none', token)).json()).data).toEqual([]);
      for (const identifier of [order.iccid, order.id]) {
        const profile = await (await get(`/esims/${identifier}`, token)).json();
        expect(profile).toEqual({
          success: true,
          profile: {
            iccid: order.iccid,
            status: 'released',
            data_remaining: plan.data_volume_mb,
            validity_days: plan.validity_days,
          },
        });
      }
    });

    it('answers `pending` without iccid while the eSIM is not allocated, and the profile read names it later', async () => {
      await sim.close();
      await start({ orderDelayMs: 150 });
      const { access_token: token } = await login();
      const order = await placed(token, await cheapTopUpPlan(token));
      expect(order).toMatchObject({ status: 'pending', iccid: null, qr_code_url: null });
      expect(await errorOf(get(`/esims/${order.id}`, token))).toEqual([404, 'ESIM_NOT_FOUND']);
      await new Promise((r) => setTimeout(r, 250));
      const { profile } = await (await get(`/esims/${order.id}`, token)).json();
      expect(profile.iccid).toMatch(/^8901260\d{12}$/);
      expect((await (await get(`/orders/${order.id}`, token)).json()).order).toMatchObject({
        status: 'active',
        iccid: profile.iccid,
      });
    });

    it('replays the first answer for the same Idempotency-Key and body, and refuses the key with another body', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      const before = await balance(token);
      const first = await send('POST', '/orders', token, orderBody(plan), 'key-1');
      const again = await send(
        'POST',
        '/orders',
        token,
        { customer_name: 'C', end_customer_email: 'c@example.com', quantity: 1, plan_id: plan.id },
        'key-1',
      );
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const firstId = (await first.json()).order.id;
      expect((await again.json()).order.id).toBe(firstId);
      expect(await balance(token)).toBe(less(before, plan.price));
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan, { quantity: 2 }), 'key-1'))).toEqual([
        409,
        'IDEMPOTENCY_CONFLICT',
      ]);
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
      const request = {
        reference: 'ref-adapter-1',
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer: CUSTOMER,
      };
      const first = await a.placeOrder(request);
      const { access_token: token } = await login();
      // The customer as given: never the reseller's own e-mail or an invented name.
      const body = {
        plan_id: plan.code,
        quantity: 1,
        end_customer_email: CUSTOMER.email,
        customer_name: CUSTOMER.name,
        reference: 'ref-adapter-1',
      };
      const replay = await send('POST', '/orders', token, body, 'ref-adapter-1');
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      clockOffsetMs = 25 * 3600_000;
      const { access_token: later } = await login();
      const before = await balance(later);
      expect(await errorOf(send('POST', '/orders', later, body, 'ref-adapter-1'))).toEqual([
        409,
        'DUPLICATE_REFERENCE',
      ]);
      await sim.control('reset-stats');
      expect((await a.placeOrder(request)).providerOrderId).toBe(first.providerOrderId);
      expect(await calls('GET /api/v1/orders')).toBe(1);
      expect(await balance(later)).toBe(before);
    });

    it('sends order creation once through a flaky platform: seed 003 names no idempotency key (README "Money-moving calls")', async () => {
      const a = adapter();
      const [plan] = await a.listPlans();
      await sim.control('fault', { mode: 'flaky', errorRate: 1 });
      await sim.control('reset-stats');
      const error = await a
        .placeOrder({
          reference: 'ref-retry',
          planCode: plan.code,
          quantity: 1,
          expectedUnitPrice: plan.wholesalePrice,
          customer: CUSTOMER,
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(await calls('POST /api/v1/orders')).toBe(1);
    });

    it('answers its own error codes: 402 INSUFFICIENT_CREDITS, 404 PLAN_NOT_FOUND, 400 VALIDATION_ERROR, 404 ORDER_NOT_FOUND', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      expect(await errorOf(send('POST', '/orders', token, orderBody({ id: 'plan-0' })))).toEqual([
        404,
        'PLAN_NOT_FOUND',
      ]);
      expect(await errorOf(send('POST', '/orders', token, { plan_id: plan.id, quantity: 1 }))).toEqual([
        400,
        'VALIDATION_ERROR',
      ]);
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan, { quantity: 11 })))).toEqual([
        400,
        'VALIDATION_ERROR',
      ]);
      expect(await errorOf(get('/orders/ord-000000000000', token))).toEqual([404, 'ORDER_NOT_FOUND']);
      await sim.control('balance', { amount: '0.50' });
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan)))).toEqual([402, 'INSUFFICIENT_CREDITS']);
      const a = adapter();
      const error = await a
        .placeOrder({
          reference: 'ref-poor',
          planCode: plan.id,
          quantity: 1,
          expectedUnitPrice: { amount: '1', currency: 'USD' },
          customer: CUSTOMER,
        })
        .catch((e) => e);
      expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'INSUFFICIENT_CREDITS' });
      expect(
        await a.getOrder({ reference: 'ref-none', providerOrderId: 'ord-000000000000', placedAt: new Date() }),
      ).toBeNull();
    });

    it('answers 409 OUT_OF_STOCK when the plan has too few eSIMs left', async () => {
      await sim.close();
      await start({}, { stockPerPlan: 1 });
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan, { quantity: 2 })))).toEqual([
        409,
        'OUT_OF_STOCK',
      ]);
      expect((await send('POST', '/orders', token, orderBody(plan))).status).toBe(201);
      expect(await errorOf(send('POST', '/orders', token, orderBody(plan)))).toEqual([409, 'OUT_OF_STOCK']);
    });

    it('maps each eSIM status word the platform sends through the lifecycle', async () => {
      const { access_token: token } = await login();
      const a = adapter();
      const plan = await cheapTopUpPlan(token);
      const order = await placed(token, plan);
      const ref = { iccid: order.iccid, providerProfileId: order.iccid };
      const seen = async () => {
        const [profile] = await a.getProfiles([ref]);
        return [profile?.rawStatus, profile?.status];
      };
      expect(await seen()).toEqual(['released', 'NOT_INSTALLED']);
      await sim.control('usage', { iccid: order.iccid, usedBytes: 1024 });
      expect(await seen()).toEqual(['active', 'ACTIVE']);
      await sim.control('usage', { iccid: order.iccid, usedBytes: plan.data_volume_mb * 1024 * 1024 });
      expect(await seen()).toEqual(['depleted', 'DEPLETED']);
      await a.supports.SUSPEND!(ref);
      expect(await seen()).toEqual(['suspended', 'SUSPENDED']);
      await a.supports.RESUME!(ref);
      expect(await seen()).toEqual(['depleted', 'DEPLETED']);
      await a.supports.REVOKE!(ref);
      expect(await seen()).toEqual(['revoked', 'REVOKED']);
    });

    it('refuses what the state does not allow with 409 INVALID_STATE, an unknown eSIM with 404 ESIM_NOT_FOUND', async () => {
      const { access_token: token } = await login();
      const { iccid } = await placed(token, await cheapTopUpPlan(token));
      expect(await errorOf(send('POST', `/esims/${iccid}/unsuspend`, token))).toEqual([409, 'INVALID_STATE']);
      expect(await errorOf(send('POST', '/esims/8901260000000000000/suspend', token))).toEqual([404, 'ESIM_NOT_FOUND']);
      expect(await errorOf(get('/esims/8901260000000000000', token))).toEqual([404, 'ESIM_NOT_FOUND']);
      expect(await errorOf(send('POST', `/esims/${iccid}/sms`, token, { message: 'x'.repeat(161) }))).toEqual([
        400,
        'VALIDATION_ERROR',
      ]);
      const error = await adapter().supports.RESUME!({ iccid, providerProfileId: iccid }).catch((e) => e);
      expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'INVALID_STATE' });
    });

    it('reports usage as documented, in MB, and the adapter reads it as bytes one profile per call', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      const { iccid } = await placed(token, plan);
      await sim.control('usage', { iccid, usedBytes: 3 * 1024 * 1024 + 1 });
      const { usage } = await (await get(`/esims/${iccid}/usage`, token)).json();
      // A started MB counts as used.
      expect(usage).toEqual({ data_used: 4, data_limit: plan.data_volume_mb, percent_used: expect.any(Number) });
      expect((await (await get(`/esims/${iccid}`, token)).json()).profile.data_remaining).toBe(plan.data_volume_mb - 4);
      await sim.control('reset-stats');
      const a = adapter();
      const [read, unknown] = await a.getUsage([
        { iccid, providerProfileId: iccid },
        { iccid: '8901260000000000000', providerProfileId: '8901260000000000000' },
      ]);
      expect(read).toMatchObject({ usedBytes: 4 * 1024 * 1024, totalBytes: plan.data_volume_mb * 1024 * 1024 });
      expect(unknown).toBeNull();
      expect(await calls(`GET /api/v1/esims/${iccid}/usage`)).toBe(1);
      expect((await send('POST', '/esims/usage', token, { esimTranNoList: [iccid] })).status).toBe(404);
    });

    it('lists top-up packages and tops up with exactly the documented answers, once per key', async () => {
      const { access_token: token } = await login();
      const plan = await cheapTopUpPlan(token);
      const { iccid } = await placed(token, plan);
      const options = await (await get(`/esims/${iccid}/topups`, token)).json();
      expect(options).toEqual({
        success: true,
        plans: [
          {
            package_code: expect.stringMatching(/^PKG_\d+GB_\d+D_P\d+$/),
            data_volume_mb: plan.data_volume_mb,
            price: plan.price,
            validity_days: plan.validity_days,
          },
        ],
      });
      const code = options.plans[0].package_code;
      const before = await balance(token);
      const first = await (
        await send('POST', `/esims/${iccid}/topup`, token, { package_code: code }, 'topup-key-1')
      ).json();
      const again = await (
        await send('POST', `/esims/${iccid}/topup`, token, { package_code: code }, 'topup-key-1')
      ).json();
      expect(first).toEqual({ success: true, message: 'Profile topped up successfully', topup_details: {} });
      expect(again).toEqual(first);
      expect(await balance(token)).toBe(less(before, plan.price));
      expect(await errorOf(send('POST', `/esims/${iccid}/topup`, token, { package_code: 'PKG_1GB_7D_P0' }))).toEqual([
        404,
        'PACKAGE_NOT_FOUND',
      ]);
    });

    it('gives top-ups the coverage of the plan ordered for the ICCID, and tops up under our reference', async () => {
      const a = adapter();
      const plan = (await a.listPlans())
        .filter((p) => p.topUpSupported && p.dataBytes !== null)
        .sort((x, y) => Number(x.wholesalePrice.amount) - Number(y.wholesalePrice.amount))[0];
      const order = await a.placeOrder({
        reference: 'ref-topup-cover',
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer: CUSTOMER,
      });
      expect(order.status).toBe('COMPLETED');
      const [profile] = order.profiles;
      const [option] = await a.supports.TOP_UP!.list(profile);
      expect(option).toMatchObject({
        coverage: plan.coverage,
        countries: plan.countries,
        dataBytes: plan.dataBytes,
        validityDays: plan.validityDays,
        wholesalePrice: plan.wholesalePrice,
      });
      // Another process (no order seen) still lists it, with coverage unknown.
      const [elsewhere] = await adapter().supports.TOP_UP!.list(profile);
      expect(elsewhere).toMatchObject({
        code: option.code,
        coverage: 'GLOBAL',
        countries: [],
        wholesalePrice: plan.wholesalePrice,
      });
      const topUp = await a.supports.TOP_UP!.buy({
        reference: 'ref-topup-1',
        profile,
        planCode: option.code,
        expectedPrice: option.wholesalePrice,
      });
      expect(topUp).toEqual({ providerTopUpId: 'ref-topup-1', status: 'COMPLETED', expiresAt: null });
    });
  });
});

describe('the eSIM platform webhooks: subscriptions, payloads, signatures', () => {
  type Json = any;
  interface Received extends WebhookDelivery {
    readonly json: Json;
  }
  const fastPolicy = { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20 };
  let sim: RunningSimulator;
  let api: string;
  let token: string;
  let receiver: Server;
  let base: string;
  let received: Received[];
  /** Every request the receiver got, refused ones included. */
  let attempts: Received[];
  /** Deliveries the receiver answers 500 before accepting (to make the platform retry). */
  let failFirst: number;
  let adapters: ProviderAdapter[];
  const secret = 'our-gateway-secret-0123456789abcdef';
  const hookUrl = (token2 = secret) => `${base}/webhooks/esimplatform?token=${token2}`;

  const adapter = () => {
    const made = createEsimPlatformAdapter(adapterConfig(sim.root), { logger: testLogger, policy: fastPolicy });
    adapters.push(made);
    return made;
  };
  const send = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const res = await fetch(api + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const subscriptions = async (): Promise<Json[]> => (await send('GET', '/webhooks')).json.data;
  const until = async (find: () => Received | undefined, what: string): Promise<Received> => {
    for (let i = 0; i < 100; i++) {
      const hit = find();
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${what} delivered`);
  };
  const ofType = (type: string, match: (d: Received) => boolean = () => true) =>
    until(() => received.find((d) => d.json.event_type === type && match(d)), type);
  const orderOne = async (a: ProviderAdapter) => {
    const plan = (await a.listPlans())
      .filter((p) => p.dataBytes !== null && p.topUpSupported)
      .sort((x, y) => Number(x.wholesalePrice.amount) - Number(y.wholesalePrice.amount))[0];
    const reference = `wh-${Math.random().toString(36).slice(2, 12)}`;
    const placed = await a.placeOrder({
      reference,
      planCode: plan.code,
      quantity: 1,
      expectedUnitPrice: plan.wholesalePrice,
      customer: CUSTOMER,
    });
    const order = await a.getOrder({ reference, providerOrderId: placed.providerOrderId, placedAt: new Date() });
    return { reference, providerOrderId: placed.providerOrderId, profile: order!.profiles[0] };
  };

  beforeEach(async () => {
    received = [];
    attempts = [];
    failFirst = 0;
    adapters = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const query = Object.fromEntries(new URL(req.url!, 'http://x').searchParams);
        const delivery = { headers: req.headers as Record<string, string>, query, rawBody, json: JSON.parse(rawBody) };
        attempts.push(delivery);
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(500).end();
        } else {
          received.push(delivery);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    sim = await startSimulator(createEsimPlatformSimulator({ orderDelayMs: 0, webhookChaos: 0 }));
    api = sim.root + SANDBOX_API_PREFIX[id];
    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    });
    token = ((await login.json()) as Json).access_token;
  });
  afterEach(async () => {
    await Promise.all(adapters.map((a) => a.dispose()));
    await sim.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('registers one subscription with our URL, secret and every event type, and the platform sends its automatic test', async () => {
    const registered = await adapter().supports.WEBHOOKS!.register!({ url: hookUrl(), secret });
    expect(registered).toEqual({});
    const [sub, ...others] = await subscriptions();
    expect(others).toEqual([]);
    expect(sub).toEqual({
      id: expect.stringMatching(/^wh-/),
      name: 'eSIM gateway',
      endpoint_url: maskUrl(hookUrl()),
      event_types: ['ORDER_STATUS', 'ESIM_STATUS', 'ESIM_USAGE', 'TOPUP_STATUS'],
      status: 'active',
      timeout_seconds: 30,
      retry_count: 3,
      has_secret: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const test = await ofType('TEST');
    expect(test.query.token).toBe(secret);
    expect(adapters[0].supports.WEBHOOKS!.verify(test, { secret, signingSecret: null })).toBe(true);
    expect(adapters[0].supports.WEBHOOKS!.parse(test)).toEqual([]);
  });

  it('registers idempotently across restarts: reuses our subscription, removes duplicates, leaves other URLs alone', async () => {
    await adapter().supports.WEBHOOKS!.register!({ url: hookUrl(), secret });
    const [first] = await subscriptions();
    const other = await send('POST', '/webhooks', {
      name: 'CRM',
      endpoint_url: 'https://crm.example/hooks',
      event_types: ['ORDER_STATUS'],
      secret: 'crm-secret-123',
    });
    await send('POST', '/webhooks', {
      name: 'stale',
      endpoint_url: hookUrl('old-token'),
      event_types: ['ESIM_STATUS'],
      secret: 'stale-secret-123',
    });
    expect(await subscriptions()).toHaveLength(3);
    const rotated = 'rotated-secret-abcdefghijklmnop';
    await adapter().supports.WEBHOOKS!.register!({ url: hookUrl(rotated), secret: rotated });
    const after = await subscriptions();
    expect(after.map((s: Json) => s.id).sort()).toEqual([first.id, other.json.subscription.id].sort());
    expect(after.find((s: Json) => s.id === first.id)).toMatchObject({
      endpoint_url: maskUrl(hookUrl(rotated)),
      status: 'active',
      event_types: first.event_types,
    });
    // Deliveries are now signed with the new secret.
    await orderOne(adapters[1]);
    const order = await ofType('ORDER_STATUS');
    expect(adapters[1].supports.WEBHOOKS!.verify(order, { secret: rotated, signingSecret: null })).toBe(true);
    expect(adapters[1].supports.WEBHOOKS!.verify(order, { secret, signingSecret: null })).toBe(false);
  });

  it('serves the documented subscription operations with the assumed paths and errors', async () => {
    const created = await send('POST', '/webhooks', {
      name: 'Order Status Updates',
      endpoint_url: hookUrl(),
      event_types: ['ORDER_STATUS', 'ESIM_STATUS'],
      timeout_seconds: 30,
      retry_count: 3,
    });
    expect(created.status).toBe(201);
    // Without a secret the platform generates one and shows it once.
    expect(created.json).toMatchObject({
      success: true,
      subscription: { secret: expect.stringMatching(/^whsec_/) },
      test_webhook: { event_id: expect.stringMatching(/^evt-/) },
    });
    const subId = created.json.subscription.id;
    expect((await send('GET', `/webhooks/${subId}`)).json.subscription).not.toHaveProperty('secret');
    expect((await send('GET', '/webhooks')).json.available_event_types).toEqual([
      'ORDER_STATUS',
      'ESIM_STATUS',
      'ESIM_USAGE',
      'TOPUP_STATUS',
    ]);
    const bad = await send('POST', '/webhooks', { endpoint_url: hookUrl(), event_types: ['EVERYTHING'], secret });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect((await send('POST', '/webhooks', { event_types: ['ORDER_STATUS'], secret })).status).toBe(400);
    expect((await send('PUT', `/webhooks/${subId}`, { status: 'inactive' })).json.subscription.status).toBe('inactive');
    expect((await send('GET', '/webhooks?status=active')).json.data).toEqual([]);
    expect((await send('POST', `/webhooks/${subId}/test`)).json.event_id).toMatch(/^evt-/);
    expect((await send('GET', `/webhooks/${subId}/logs`)).json.data.map((l: Json) => l.event_type)).toEqual([
      'TEST',
      'TEST',
    ]);
    expect((await send('DELETE', `/webhooks/${subId}`)).json.success).toBe(true);
    const gone = await send('DELETE', `/webhooks/${subId}`);
    expect([gone.status, gone.json.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('delivers each payload type, signed, and the adapter normalizes them', async () => {
    const a = adapter();
    await a.supports.WEBHOOKS!.register!({ url: hookUrl(), secret });
    const secrets = { secret, signingSecret: null };
    const { reference, providerOrderId, profile } = await orderOne(a);
    const order = await ofType('ORDER_STATUS');
    expect(order.headers).toMatchObject({
      'x-webhook-event': 'ORDER_STATUS',
      'x-webhook-id': order.json.id,
      'x-webhook-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
      'x-webhook-timestamp': expect.stringMatching(/^\d{10}$/),
    });
    expect(order.json.data.order).toMatchObject({
      id: providerOrderId,
      reference,
      status: 'active',
      iccid: profile.iccid,
    });
    expect(a.supports.WEBHOOKS!.parse(order)).toEqual([
      { eventId: order.json.id, kind: 'ORDER', occurredAt: order.json.created_at, providerOrderId, reference },
    ]);

    for (const usedBytes of [2_097_152, 3_145_728]) await sim.control('usage', { iccid: profile.iccid, usedBytes });
    await ofType('ESIM_USAGE', (d) => d.json.data.usage.data_used === 3);
    expect(received.find((d) => d.json.event_type === 'ESIM_USAGE')!.json.data.usage).toEqual({
      iccid: profile.iccid,
      data_used: 2,
      data_limit: expect.any(Number),
      percent_used: expect.any(Number),
    });
    const usage = received.filter((d) => d.json.event_type === 'ESIM_USAGE');
    expect(usage.map((d) => a.supports.WEBHOOKS!.parse(d)[0].usage)).toEqual([
      { usedBytes: 2_097_152, totalBytes: expect.any(Number) },
      { usedBytes: 3_145_728, totalBytes: expect.any(Number) },
    ]);
    const active = await ofType('ESIM_STATUS', (d) => d.json.data.profile.status === 'active');
    expect(a.supports.WEBHOOKS!.parse(active)[0]).toMatchObject({
      kind: 'PROFILE',
      iccid: profile.iccid,
      providerProfileId: profile.iccid,
      status: 'ACTIVE',
    });

    await a.supports.SUSPEND!(profile);
    const suspended = await ofType('ESIM_STATUS', (d) => d.json.data.profile.status === 'suspended');
    expect(a.supports.WEBHOOKS!.parse(suspended)[0]).toMatchObject({
      kind: 'PROFILE',
      rawStatus: 'suspended',
      status: 'SUSPENDED',
    });
    await a.supports.RESUME!(profile);

    const [pkg] = await a.supports.TOP_UP!.list(profile);
    await a.supports.TOP_UP!.buy({
      reference: `tu-${reference}`,
      profile,
      planCode: pkg.code,
      expectedPrice: pkg.wholesalePrice,
    });
    const topUp = await ofType('TOPUP_STATUS');
    expect(topUp.json.data.topup).toEqual({ iccid: profile.iccid, package_code: pkg.code });
    expect(a.supports.WEBHOOKS!.parse(topUp)).toEqual([
      {
        eventId: topUp.json.id,
        kind: 'USAGE',
        occurredAt: topUp.json.created_at,
        iccid: profile.iccid,
        providerProfileId: profile.iccid,
      },
    ]);
    expect(received.every((d) => a.supports.WEBHOOKS!.verify(d, secrets))).toBe(true);
  });

  it('refuses a tampered body, a wrong secret and a delivery without signature', async () => {
    const a = adapter();
    await a.supports.WEBHOOKS!.register!({ url: hookUrl(), secret });
    await orderOne(a);
    const real = await ofType('ORDER_STATUS');
    const secrets = { secret, signingSecret: null };
    expect(a.supports.WEBHOOKS!.verify(real, secrets)).toBe(true);
    expect(
      a.supports.WEBHOOKS!.verify({ ...real, rawBody: real.rawBody.replace('"active"', '"cancelled"') }, secrets),
    ).toBe(false);
    expect(a.supports.WEBHOOKS!.verify(real, { secret: 'not-our-secret-0123456789', signingSecret: null })).toBe(false);
    const { 'x-webhook-signature': _dropped, ...unsigned } = real.headers;
    expect(a.supports.WEBHOOKS!.verify({ ...real, headers: unsigned }, secrets)).toBe(false);
  });

  it('retries a refused delivery with the same body: one event id for both deliveries', async () => {
    const a = adapter();
    await a.supports.WEBHOOKS!.register!({ url: hookUrl(), secret });
    await ofType('TEST');
    failFirst = 1;
    await orderOne(a);
    await ofType('ORDER_STATUS');
    const deliveries = attempts.filter((d) => d.json.event_type === 'ORDER_STATUS');
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1].rawBody).toBe(deliveries[0].rawBody);
    expect(deliveries.every((d) => a.supports.WEBHOOKS!.verify(d, { secret, signingSecret: null }))).toBe(true);
    const ids = deliveries.flatMap((d) => a.supports.WEBHOOKS!.parse(d).map((e) => e.eventId));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });
});
