import { SANDBOX_API_PREFIX, type ConnectedYouConfig } from '../../src/config/provider-config';
import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../src/domain/errors';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createConnectedYouAdapter } from '../../src/providers/connectedyou';
import {
  classifyConnectedYou,
  CyAccountMismatchError,
  CyCredentialsRejectedError,
  CyNotFoundError,
} from '../../src/providers/connectedyou/connectedyou.errors';
import { DEFAULT_UPSTREAM_POLICY, type PreparedRequest } from '../../src/providers/http/upstream-client';
import type { ProviderAdapter } from '../../src/providers/provider-adapter';
import { createConnectedYouSimulator, type ConnectedYouSimulator } from '../../src/sandbox/connectedyou';

import { fixture } from '../helpers/documented-stub';
import { testLogger } from '../helpers/logger';
import { maskUrl } from '../../src/sandbox/shared/webhook-mask';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { describeConformance } from './conformance';

const creds = SANDBOX_CREDENTIALS.connectedyou;
const TOKEN = 'POST /v1/oauth/token';
const ACCOUNT_PATH = `/reseller-accounts/${creds.resellerAccountId}`;
/** As the simulator's stats name requests. */
const ACCOUNT = `/v1${ACCOUNT_PATH}`;

/** Raw wire JSON, read loosely: these tests check the simulator's wire format field by field. */
type Wire = Record<string, any>;
const body = (res: Response): Promise<Wire> => res.json() as Promise<Wire>;

function config(root: string, overrides: Partial<ConnectedYouConfig> = {}): ConnectedYouConfig {
  return { baseUrl: root + SANDBOX_API_PREFIX.connectedyou, sandbox: true, ...creds, ...overrides };
}

describeConformance({
  id: 'connectedyou',
  // The shared webhook suite expects a callback when an order is allocated; ConnectedYou documents
  // none (only USAGE_ALERT, PROFILE_LIFECYCLE, PRODUCT_STATUS_CHANGE), so its simulator sends none.
  // Its documented events are checked below ("connectedyou outbound events").
  webhooks: false,
  createSimulator: (options) => createConnectedYouSimulator({ orderDelayMs: 0, ...options }),
  createAdapter: (root, deps, wrongCredentials) =>
    createConnectedYouAdapter(config(root, wrongCredentials ? { clientSecret: 'not-the-secret' } : {}), deps),
});

describe('connectedyou specifics', () => {
  let simulator: ConnectedYouSimulator;
  let sim: RunningSimulator;
  const adapters: ProviderAdapter[] = [];
  const fastPolicy = { timeoutMs: 2000, retryBaseMs: 5, retryMaxMs: 20 };
  const adapter = (overrides: Partial<ConnectedYouConfig> = {}, deps: Partial<AdapterDeps> = {}) => {
    const made = createConnectedYouAdapter(config(sim.root, overrides), {
      logger: testLogger,
      ...deps,
      policy: { ...fastPolicy, ...deps.policy },
    });
    adapters.push(made);
    return made;
  };
  const start = async (tokenTtlSeconds?: number) => {
    simulator = createConnectedYouSimulator({ orderDelayMs: 0, tokenTtlSeconds });
    sim = await startSimulator(simulator);
  };
  const api = (path: string, init: RequestInit = {}) => fetch(`${sim.root}/v1${path}`, init);
  const login = async (secret: string = creds.clientSecret) =>
    api('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: secret }),
    });
  const bearer = async () => ({ authorization: `Bearer ${(await body(await login())).access_token}` });

  beforeEach(() => start());
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.dispose()));
    await sim.close();
  });

  describe('the simulator', () => {
    it('issues a bearer token for the client credentials, as JSON or as a form', async () => {
      const token = await body(await login());
      expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect(typeof token.access_token).toBe('string');
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
      });
      expect((await api('/oauth/token', { method: 'POST', body: form })).status).toBe(200);
    });

    it('answers a wrong client secret with 401 invalid_client', async () => {
      const res = await login('wrong');
      expect(res.status).toBe(401);
      expect(await body(res)).toEqual({ error: { code: 'invalid_client', message: expect.any(String) } });
    });

    it('answers a missing token with 401 and an unknown token with 403', async () => {
      expect((await api(ACCOUNT_PATH)).status).toBe(401);
      const res = await api(ACCOUNT_PATH, { headers: { authorization: 'Bearer made-up' } });
      expect(res.status).toBe(403);
      expect((await body(res)).error.code).toBe('invalid_token');
    });

    it('answers an expired token with 403 token_expired', async () => {
      await sim.close();
      await start(1);
      const headers = await bearer();
      await new Promise((r) => setTimeout(r, 1050));
      const res = await api(ACCOUNT_PATH, { headers });
      expect(res.status).toBe(403);
      expect((await body(res)).error.code).toBe('token_expired');
    });

    it('answers 404 when a valid token is used with another reseller account number', async () => {
      const res = await api('/reseller-accounts/999999/products', { headers: await bearer() });
      expect(res.status).toBe(404);
      expect((await body(res)).error.code).toBe('account_not_found');
    });

    it('honours limit and offset and reports the total, with pages that do not overlap', async () => {
      const headers = await bearer();
      const page = async (query: string) => body(await api(`${ACCOUNT_PATH}/products?${query}`, { headers }));
      const first = await page('limit=100&offset=0');
      expect(first).toMatchObject({ limit: 100, offset: 0 });
      expect(first.products).toHaveLength(100);
      const second = await page('limit=100&offset=100');
      const ids = new Set([...first.products, ...second.products].map((p: Wire) => p.product_id));
      expect(ids.size).toBe(200);
      const small = await page('limit=7&offset=3');
      expect(small.products.map((p: Wire) => p.product_id)).toEqual(
        first.products.slice(3, 10).map((p: Wire) => p.product_id),
      );
      expect(small.total).toBe(first.total);
      expect((await api(`${ACCOUNT_PATH}/products?limit=500`, { headers })).status).toBe(422);
    });

    it('sorts with a leading hyphen for descending order and filters by exact match', async () => {
      const headers = await bearer();
      const res = await body(
        await api(`${ACCOUNT_PATH}/products?country=FR&type=fixed&sort=-validity_days`, { headers }),
      );
      expect(res.products.length).toBeGreaterThan(0);
      for (const p of res.products) expect(p.countries).toContain('FR');
      const days = res.products.map((p: Wire) => p.validity_days);
      expect(days).toEqual([...days].sort((a: number, b: number) => b - a));
    });

    it('answers 429 with Retry-After beyond a burst of 20 requests per client', async () => {
      const headers = await bearer();
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 60 }, () => api(ACCOUNT_PATH, { headers })));
      const refilled = Math.ceil(((Date.now() - started) * 20) / 1000);
      const ok = answers.filter((r) => r.status === 200).length;
      expect(ok).toBeGreaterThanOrEqual(20);
      expect(ok).toBeLessThanOrEqual(20 + refilled);
      const limited = answers.find((r) => r.status === 429)!;
      expect(limited.headers.get('retry-after')).toBe('1');
      expect((await body(limited)).error.code).toBe('rate_limited');
    });

    it('fails alternately with 503 and 429 when flaky', async () => {
      await sim.control('fault', { mode: 'flaky', errorRate: 1 });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await login()).status);
      expect(statuses).toEqual([503, 429, 503, 429]);
    });
  });

  describe('the adapter', () => {
    it('refreshes an expired token transparently and the second call succeeds', async () => {
      await sim.close();
      await start(1);
      const cy = adapter();
      await cy.probe();
      await new Promise((r) => setTimeout(r, 1100));
      await expect(cy.getBalance()).resolves.toEqual({ amount: '10000', currency: 'USD' });
      expect((await sim.stats()).requests[TOKEN]).toBe(2);
    });

    it('replaces a token the provider refuses (403) once and retries the call', async () => {
      const cy = adapter();
      await cy.probe();
      simulator.revokeTokens();
      await sim.control('reset-stats');
      await expect(cy.probe()).resolves.toBeUndefined();
      expect((await sim.stats()).requests).toEqual({ [TOKEN]: 1, [`GET ${ACCOUNT}`]: 2 });
    });

    it('shares one token request between concurrent callers', async () => {
      const cy = adapter();
      await Promise.all([cy.probe(), cy.getBalance(), cy.getPlans(['600']), cy.getPlans(['601'])]);
      expect((await sim.stats()).requests[TOKEN]).toBe(1);
    });

    it('reports a wrong client secret as PROVIDER_UNAVAILABLE with reason AUTH, asking for a token once', async () => {
      const cy = adapter({ clientSecret: 'wrong' });
      const error = await cy.listPlans().catch((e) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'AUTH' });
      expect((await sim.stats()).requests[TOKEN]).toBe(1);
      expect(cy.health()).toMatchObject({ status: 'DEGRADED', circuitOpen: false });
    });

    it('reports a reseller account number the credentials do not own as PROVIDER_UNAVAILABLE with reason AUTH, without a new token', async () => {
      const error = await adapter({ resellerAccountId: '999999' })
        .getBalance()
        .catch((e) => e);
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'AUTH' });
      expect((await sim.stats()).requests).toEqual({ [TOKEN]: 1, 'GET /v1/reseller-accounts/999999': 1 });
    });

    it('reads every page with limit 100, the pages after the first in parallel', async () => {
      const headers = await bearer();
      const { total } = await body(await api(`${ACCOUNT_PATH}/products?limit=1`, { headers }));
      const { total: inactive } = await body(
        await api(`${ACCOUNT_PATH}/products?limit=1&status=INACTIVE`, { headers }),
      );
      await sim.control('reset-stats');
      await sim.control('fault', { mode: 'slow', latencyMs: 400 });
      const started = Date.now();
      const plans = await adapter().listPlans();
      // Token, first page, then the other pages together: three waves of 400 ms; one by one would be four or more.
      expect(Date.now() - started).toBeLessThan(1550);
      expect(plans).toHaveLength(total - inactive);
      expect((await sim.stats()).requests[`GET ${ACCOUNT}/products`]).toBe(Math.ceil(total / 100));
      expect(Math.ceil(total / 100)).toBeGreaterThanOrEqual(3);
    });

    it('leaves retired (INACTIVE) products out of the catalog and lookups', async () => {
      const headers = await bearer();
      const inactive = await body(await api(`${ACCOUNT_PATH}/products?status=INACTIVE`, { headers }));
      expect(inactive.total).toBeGreaterThan(0);
      const cy = adapter();
      const codes = new Set((await cy.listPlans()).map((p) => p.code));
      expect(codes.has(inactive.products[0].product_id)).toBe(false);
      expect(await cy.getPlans([inactive.products[0].product_id])).toEqual([null]);
    });

    it('looks up a few plans one GET each and many plans with one catalog read', async () => {
      const cy = adapter();
      await cy.getPlans(['600', '601', 'not-numeric']);
      expect((await sim.stats()).requests[`GET ${ACCOUNT}/products/600`]).toBe(1);
      await sim.control('reset-stats');
      const codes = Array.from({ length: 12 }, (_, i) => String(600 + i * 3));
      const found = await cy.getPlans(codes);
      expect(found.filter(Boolean).length).toBeGreaterThanOrEqual(11);
      const { requests, total } = await sim.stats();
      expect(Object.keys(requests).every((k) => k === `GET ${ACCOUNT}/products`)).toBe(true);
      expect(total).toBeLessThanOrEqual(3);
    });

    it('paces itself under the provider rate limit and never sees a 429', async () => {
      const outcomes: string[] = [];
      const cy = adapter({}, { observe: (e) => outcomes.push(e.outcome) });
      const started = Date.now();
      const found = await Promise.all(Array.from({ length: 30 }, (_, i) => cy.getPlans([String(600 + i)])));
      expect(found.every(([plan]) => plan === null || plan.code.startsWith('6'))).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(outcomes).not.toContain('RATE_LIMITED');
    });
  });

  describe('ordering over the wire', () => {
    const MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
    const key = () => `k-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const post = async (path: string, payload: unknown, idempotentKey: string | null = key()) =>
      api(path, {
        method: 'POST',
        headers: {
          ...(await bearer()),
          'content-type': 'application/json',
          ...(idempotentKey === null ? {} : { idempotent_key: idempotentKey }),
        },
        body: JSON.stringify(payload),
      });
    const get = async (path: string) => api(path, { headers: await bearer() });
    /** An orderable fixed-data product with top-ups, and one for another country. */
    const products = async () => {
      const all: Wire[] = (await body(await get(`${ACCOUNT_PATH}/products?type=fixed&status=ACTIVE&limit=100`)))
        .products;
      const topUpable = all.find((p) => p.topup_available && p.coverage === 'local')!;
      return { topUpable, elsewhere: all.find((p) => p.countries.join() !== topUpable.countries.join())! };
    };
    const orderOne = async (productId: string, reference = key()) =>
      body(await post(`${ACCOUNT_PATH}/orders`, { product_id: productId, quantity: 1, reference }, reference));

    it('answers an order with its eSIMs, prices as decimal strings and microsecond timestamps', async () => {
      const { topUpable } = await products();
      const res = await post(`${ACCOUNT_PATH}/orders`, {
        product_id: topUpable.product_id,
        quantity: 2,
        reference: 'ref-1',
        customer: { email: 'a@example.com' },
      });
      expect(res.status).toBe(201);
      const order = await body(res);
      expect(order).toMatchObject({
        order_id: expect.stringMatching(/^ord_[0-9a-f]{12}$/),
        order_number: expect.stringMatching(/^CY\d+$/),
        reference: 'ref-1',
        status: 'COMPLETED',
        quantity: 2,
        unit_price: topUpable.price,
        currency: 'USD',
        customer: { email: 'a@example.com', name: null },
      });
      expect(order.created_at).toMatch(MICROS);
      expect(order.esims).toHaveLength(2);
      const [esim] = order.esims;
      expect(esim).toMatchObject({
        iccid: expect.stringMatching(/^8944500\d{12}$/),
        status: 'NOT_ACTIVATED',
        profile_status: 'RELEASED',
        eid: null,
        smdp_address: 'smdp.connectedyou.io',
        expires_at: null,
        activated_at: null,
      });
      expect(esim.activation_code).toBe(`LPA:1$smdp.connectedyou.io$${esim.matching_id}`);
      expect((await body(await get(`${ACCOUNT_PATH}/orders/${order.order_id}`))).esims).toEqual(order.esims);
    });

    it('answers 202 PROCESSING without eSIMs while allocating', async () => {
      await sim.close();
      simulator = createConnectedYouSimulator({ orderDelayMs: 200 });
      sim = await startSimulator(simulator);
      const { topUpable } = await products();
      const res = await post(`${ACCOUNT_PATH}/orders`, { product_id: topUpable.product_id, quantity: 1 });
      expect(res.status).toBe(202);
      expect(await body(res)).toMatchObject({ status: 'PROCESSING', esims: [], completed_at: null });
    });

    it('replays the first answer for the same idempotent_key and payload, debiting once', async () => {
      const { topUpable } = await products();
      const payload = { product_id: topUpable.product_id, quantity: 1, reference: 'same' };
      const first = await post(`${ACCOUNT_PATH}/orders`, payload, 'key-1');
      const balance = simulator.control.balance;
      const again = await post(
        `${ACCOUNT_PATH}/orders`,
        { reference: 'same', quantity: 1, product_id: topUpable.product_id },
        'key-1',
      );
      expect(again.status).toBe(first.status);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await body(again)).toEqual(await body(first));
      expect(simulator.control.balance).toBe(balance);
      const conflict = await post(`${ACCOUNT_PATH}/orders`, { ...payload, quantity: 2 }, 'key-1');
      expect([conflict.status, (await body(conflict)).error.code]).toEqual([409, 'idempotency_conflict']);
    });

    it('requires an idempotent_key of less than 64 characters on orders and top-ups', async () => {
      const { topUpable } = await products();
      const payload = { product_id: topUpable.product_id, quantity: 1 };
      const missing = await post(`${ACCOUNT_PATH}/orders`, payload, null);
      expect([missing.status, (await body(missing)).error.code]).toEqual([400, 'idempotent_key_required']);
      expect((await post(`${ACCOUNT_PATH}/orders`, payload, 'x'.repeat(64))).status).toBe(422);
      expect((await post(`${ACCOUNT_PATH}/orders`, payload, 'x'.repeat(63))).status).toBe(201);
      const [esim] = (await orderOne(topUpable.product_id)).esims;
      expect(
        (await post(`${ACCOUNT_PATH}/esims/${esim.iccid}/topups`, { product_id: topUpable.product_id }, null)).status,
      ).toBe(400);
    });

    it('refuses with its own codes: insufficient credit, unknown product, too many eSIMs, unknown order or eSIM', async () => {
      const { topUpable } = await products();
      await sim.control('balance', { amount: '0.00' });
      const poor = await post(`${ACCOUNT_PATH}/orders`, { product_id: topUpable.product_id, quantity: 1 }, 'retry-me');
      expect([poor.status, (await body(poor)).error.code]).toEqual([402, 'insufficient_credit']);
      await sim.control('balance', { amount: '100.00' });
      // A refusal is not remembered: the same key may be sent again once the credit is there.
      expect(
        (await post(`${ACCOUNT_PATH}/orders`, { product_id: topUpable.product_id, quantity: 1 }, 'retry-me')).status,
      ).toBe(201);
      const codeOf = async (res: Response) => [res.status, (await body(res)).error.code];
      expect(await codeOf(await post(`${ACCOUNT_PATH}/orders`, { product_id: '99999', quantity: 1 }))).toEqual([
        422,
        'invalid_product',
      ]);
      expect(
        await codeOf(await post(`${ACCOUNT_PATH}/orders`, { product_id: topUpable.product_id, quantity: 11 })),
      ).toEqual([422, 'validation_error']);
      expect(await codeOf(await get(`${ACCOUNT_PATH}/orders/ord_000000000000`))).toEqual([404, 'order_not_found']);
      expect(await codeOf(await get(`${ACCOUNT_PATH}/esims/8944500000000000000/usage`))).toEqual([
        404,
        'esim_not_found',
      ]);
    });

    it('finds orders by the exact reference, newest first, in the list envelope', async () => {
      const { topUpable } = await products();
      const order = await orderOne(topUpable.product_id, 'find-me');
      await orderOne(topUpable.product_id, 'find-me-not');
      const found = await body(await get(`${ACCOUNT_PATH}/orders?reference=find-me`));
      expect(found).toMatchObject({ limit: 100, offset: 0, total: 1 });
      expect(found.orders.map((o: Wire) => o.order_id)).toEqual([order.order_id]);
      expect((await body(await get(`${ACCOUNT_PATH}/orders`))).total).toBe(2);
    });

    it('reads usage in MB with two decimals, as the usage events count', async () => {
      const { topUpable } = await products();
      const [esim] = (await orderOne(topUpable.product_id)).esims;
      await sim.control('usage', { iccid: esim.iccid, usedBytes: Math.round(525.01 * 1024 * 1024) });
      const usage = await body(await get(`${ACCOUNT_PATH}/esims/${esim.iccid}/usage`));
      expect(usage).toMatchObject({ iccid: esim.iccid, data_consumed: 525.01, data_total: topUpable.data_mb });
      expect(usage.updated_at).toMatch(MICROS);
      expect((await body(await get(`${ACCOUNT_PATH}/esims/${esim.iccid}`))).status).toBe('ACTIVE');
    });

    it('offers top-ups among the products for the same countries, and refuses another product or a dead eSIM', async () => {
      const { topUpable, elsewhere } = await products();
      const [esim] = (await orderOne(topUpable.product_id)).esims;
      const offers = await body(await get(`${ACCOUNT_PATH}/esims/${esim.iccid}/topups`));
      expect(offers.products.map((p: Wire) => p.product_id)).toContain(topUpable.product_id);
      for (const p of offers.products)
        expect([p.countries, p.topup_available, p.type]).toEqual([topUpable.countries, true, 'fixed']);
      const first = await post(
        `${ACCOUNT_PATH}/esims/${esim.iccid}/topups`,
        { product_id: topUpable.product_id },
        'top-1',
      );
      expect(first.status).toBe(201);
      const topUp = await body(first);
      expect(topUp).toMatchObject({
        topup_id: expect.stringMatching(/^top_[0-9a-f]{12}$/),
        status: 'COMPLETED',
        price: topUpable.price,
        currency: 'USD',
      });
      expect(
        await body(
          await post(`${ACCOUNT_PATH}/esims/${esim.iccid}/topups`, { product_id: topUpable.product_id }, 'top-1'),
        ),
      ).toEqual(topUp);
      const wrong = await post(`${ACCOUNT_PATH}/esims/${esim.iccid}/topups`, { product_id: elsewhere.product_id });
      expect([wrong.status, (await body(wrong)).error.code]).toEqual([422, 'topup_not_allowed']);
      simulator.inventory.revoke(esim.iccid);
      expect((await body(await get(`${ACCOUNT_PATH}/esims/${esim.iccid}/topups`))).products).toEqual([]);
      expect(await body(await get(`${ACCOUNT_PATH}/esims/${esim.iccid}`))).toMatchObject({
        status: 'REVOKED',
        profile_status: 'RELEASED',
      });
    });
  });

  describe('ordering through the adapter', () => {
    const cheapest = async (cy: ProviderAdapter) =>
      (await cy.listPlans()).filter((p) => p.topUpSupported && p.dataBytes !== null)[0];
    const placeOne = async (cy: ProviderAdapter, reference = `o-${Date.now()}-${Math.random()}`.slice(0, 40)) => {
      const plan = await cheapest(cy);
      return {
        plan,
        reference,
        order: await cy.placeOrder({
          reference,
          planCode: plan.code,
          quantity: 1,
          expectedUnitPrice: plan.wholesalePrice,
        }),
      };
    };

    it('answers the first order when an order sent earlier under the same reference lost its answer', async () => {
      const cy = adapter();
      const plan = await cheapest(cy);
      const lost = await body(
        await api(`${ACCOUNT_PATH}/orders`, {
          method: 'POST',
          headers: { ...(await bearer()), 'content-type': 'application/json', idempotent_key: 'o-lost' },
          body: JSON.stringify({ product_id: plan.code, quantity: 1, reference: 'o-lost' }),
        }),
      );
      const balance = simulator.control.balance;
      const order = await cy.placeOrder({
        reference: 'o-lost',
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
      });
      expect(order.providerOrderId).toBe(lost.order_id);
      expect(simulator.control.balance).toBe(balance);
    });

    it('retries an order POST through a failing provider, since it carries idempotent_key', async () => {
      const cy = adapter();
      const plan = await cheapest(cy);
      await sim.control('reset-stats');
      await sim.control('fault', { mode: 'down' });
      await expect(
        cy.placeOrder({
          reference: 'o-down',
          planCode: plan.code,
          quantity: 1,
          expectedUnitPrice: plan.wholesalePrice,
        }),
      ).rejects.toBeInstanceOf(ProviderUnavailableError);
      expect((await sim.stats()).requests[`POST ${ACCOUNT}/orders`]).toBe(DEFAULT_UPSTREAM_POLICY.maxAttempts);
    });

    it('keeps the provider’s codes: idempotency conflict, insufficient credit, top-up not allowed', async () => {
      const cy = adapter();
      const { plan, reference, order } = await placeOne(cy);
      const other = (await cy.listPlans()).find((p) => p.code !== plan.code)!;
      const conflict = await cy
        .placeOrder({ reference, planCode: other.code, quantity: 1, expectedUnitPrice: other.wholesalePrice })
        .catch((e) => e);
      expect(conflict).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'idempotency_conflict' });
      await sim.control('balance', { amount: '0.00' });
      expect(await placeOne(cy).catch((e) => e)).toMatchObject({ providerCode: 'insufficient_credit' });
      await sim.control('balance', { amount: '100.00' });
      const [profile] = (await cy.getOrder({
        reference,
        providerOrderId: order.providerOrderId,
        placedAt: new Date(),
      }))!.profiles;
      simulator.inventory.suspend(profile.iccid);
      const refused = await cy.supports
        .TOP_UP!.buy({ reference: 't-1', profile, planCode: plan.code, expectedPrice: plan.wholesalePrice })
        .catch((e) => e);
      expect(refused).toBeInstanceOf(ProviderRejectedError);
      expect(refused).toMatchObject({ providerCode: 'topup_not_allowed' });
    });

    it('maps each plan word the simulator answers through the table, with the device word beside it', async () => {
      const cy = adapter();
      const reference = 'o-words';
      const plan = await cheapest(cy);
      await cy.placeOrder({ reference, planCode: plan.code, quantity: 7, expectedUnitPrice: plan.wholesalePrice });
      const profiles = (await cy.getOrder({ reference, providerOrderId: null, placedAt: new Date() }))!.profiles;
      const [released, installed, used, suspended, deleted, expired, cancelled] = profiles.map((p) => p.iccid);
      simulator.inventory.install(installed);
      await sim.control('usage', { iccid: used, usedBytes: 1_048_576 });
      simulator.inventory.suspend(suspended);
      simulator.inventory.install(deleted);
      simulator.inventory.revoke(deleted);
      simulator.inventory.profile(expired)!.expiresAt = new Date(Date.now() - 1);
      simulator.inventory.cancel(cancelled);
      const read = await cy.getProfiles(profiles);
      expect(read.map((p) => [p?.rawStatus, p?.status, p?.device?.state])).toEqual([
        ['NOT_ACTIVATED', 'NOT_INSTALLED', 'RELEASED'],
        ['NOT_ACTIVATED', 'INSTALLED', 'INSTALLED'],
        ['ACTIVE', 'ACTIVE', 'ENABLED'],
        ['SUSPENDED', 'SUSPENDED', 'RELEASED'],
        ['REVOKED', 'REVOKED', 'DELETED'],
        ['EXPIRED', 'EXPIRED', 'RELEASED'],
        ['CANCELLED', 'CANCELLED', 'RELEASED'],
      ]);
      expect(released).toMatch(/^8944500/);
      // The EID appears once a device downloaded the profile.
      expect(read.map((p) => p?.device?.eid ?? null).map((eid) => eid !== null)).toEqual([
        false,
        true,
        true,
        false,
        true,
        false,
        false,
      ]);
    });

    it('reads an order by its id, null for an id ConnectedYou does not know', async () => {
      const cy = adapter();
      const { reference, order } = await placeOne(cy);
      expect(
        (await cy.getOrder({ reference, providerOrderId: order.providerOrderId, placedAt: new Date() }))?.status,
      ).toBe('COMPLETED');
      expect(await cy.getOrder({ reference, providerOrderId: 'ord_000000000000', placedAt: new Date() })).toBeNull();
    });
  });

  describe('the error-code table', () => {
    const request = (path: string): PreparedRequest => ({
      method: 'GET',
      url: new URL(`http://x${path}`),
      path,
      bodyText: '',
      operation: 'test',
    });
    const respond = (status: number, code?: string, headers: Record<string, string> = {}) => {
      const json = code ? { error: { code, message: 'upstream words https://secret.example' } } : undefined;
      return { status, headers: new Headers(headers), text: JSON.stringify(json ?? ''), json };
    };
    const classify = (
      status: number,
      code?: string,
      path = '/reseller-accounts/1/products',
      headers?: Record<string, string>,
    ) => classifyConnectedYou('connectedyou', respond(status, code, headers), request(path));

    it('lets 2xx through', () => {
      expect(classify(200)).toBeNull();
      expect(classify(201)).toBeNull();
    });

    it('treats 401 and 403 as refused credentials, whatever the code', () => {
      for (const code of ['invalid_client', 'token_expired', 'excessive_authentication', undefined]) {
        expect(classify(code === 'invalid_client' ? 401 : 403, code)).toBeInstanceOf(CyCredentialsRejectedError);
      }
    });

    it('tells an account mismatch (404 on the account) from an unknown product (404 on a product)', () => {
      expect(classify(404, 'account_not_found')).toBeInstanceOf(CyAccountMismatchError);
      expect(classify(404, undefined, '/reseller-accounts/1')).toBeInstanceOf(CyAccountMismatchError);
      expect(classify(404, 'product_not_found', '/reseller-accounts/1/products/9')).toBeInstanceOf(CyNotFoundError);
    });

    it('keeps the provider code of business refusals and never echoes the upstream message', () => {
      const refused = classify(402, 'insufficient_credit');
      expect(refused).toBeInstanceOf(ProviderRejectedError);
      expect(refused).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'insufficient_credit' });
      expect(refused!.message).not.toMatch(/secret|https?:/);
      expect(classify(422, 'validation_error')).toMatchObject({ providerCode: 'validation_error' });
      expect(classify(418)).toMatchObject({ providerCode: 'HTTP_418' });
    });

    it('reads the ordering codes: unknown order or eSIM as not found, the rest as business refusals', () => {
      expect(classify(404, 'esim_not_found', '/reseller-accounts/1/esims/89')).toBeInstanceOf(CyNotFoundError);
      expect(classify(404, 'order_not_found', '/reseller-accounts/1/orders/ord_1')).toBeInstanceOf(CyNotFoundError);
      for (const [status, code] of [
        [409, 'idempotency_conflict'],
        [422, 'topup_not_allowed'],
        [422, 'out_of_stock'],
        [422, 'invalid_product'],
        [400, 'idempotent_key_required'],
      ] as const) {
        const error = classify(status, code, '/reseller-accounts/1/orders');
        expect([error?.constructor, error]).toEqual([
          ProviderRejectedError,
          expect.objectContaining({ providerCode: code }),
        ]);
      }
    });

    it('maps 429 to RATE_LIMITED with Retry-After and 5xx to PROVIDER_UNAVAILABLE', () => {
      const limited = classify(429, 'rate_limited', undefined, { 'retry-after': '1' });
      expect(limited).toBeInstanceOf(ProviderRateLimitedError);
      expect(limited).toMatchObject({ retryAfterMs: 1000 });
      expect(classify(503)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'SERVER_ERROR' });
      expect(classify(500, 'internal_error')).toBeInstanceOf(ProviderUnavailableError);
    });
  });
});

describe('connectedyou outbound events', () => {
  const secret = 'gw-secret-0123456789abcdef';
  const secrets = { secret, signingSecret: null };
  let simulator: ConnectedYouSimulator;
  let sim: RunningSimulator;
  let cy: ProviderAdapter;
  let receiver: WebhookReceiver;
  const portal = (init: RequestInit = {}) => fetch(`${sim.root}/_portal/webhook`, init);
  // Deliveries are concurrent POSTs: they may arrive in any order.
  const events = (type: string): Wire[] =>
    receiver.deliveries.map((d) => JSON.parse(d.rawBody) as Wire).filter((e) => e.event_type === type);
  const byText = <T>(rows: T[]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const until = async <T>(find: () => T | undefined): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const found = find();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('nothing delivered');
  };
  const setUp = async (webhookChaos = 0) => {
    simulator = createConnectedYouSimulator({ orderDelayMs: 0, webhookChaos });
    sim = await startSimulator(simulator);
    cy = createConnectedYouAdapter(config(sim.root), {
      logger: testLogger,
      policy: { timeoutMs: 2000, retryBaseMs: 5, retryMaxMs: 20 },
    });
    receiver = await startWebhookReceiver();
    await cy.supports.WEBHOOKS!.register!({ url: `${receiver.url}/webhooks/connectedyou?token=${secret}`, secret });
  };
  const order = async (quantity = 1) => {
    const plan = (await cy.listPlans()).find((p) => p.dataBytes !== null)!;
    const reference = `wh-${Math.random().toString(36).slice(2, 12)}`;
    const placed = await cy.placeOrder({
      reference,
      planCode: plan.code,
      quantity,
      expectedUnitPrice: plan.wholesalePrice,
    });
    return { plan, reference, placed, iccid: placed.profiles[0].iccid };
  };

  afterEach(async () => {
    await cy.dispose();
    await sim.close();
    await receiver.close();
  });

  it('registers through the sandbox portal (PUT /_portal/webhook), unmetered, with our custom header', async () => {
    await setUp();
    const settings = await body(await portal());
    // Masked as the portal does: the URL's token and the header value show their last four characters only.
    expect(settings).toEqual({
      url: maskUrl(`${receiver.url}/webhooks/connectedyou?token=${secret}`),
      header_name: 'X-Gateway-Token',
      header_value: `••••${secret.slice(-4)}`,
      events: ['USAGE_ALERT', 'PROFILE_LIFECYCLE', 'PRODUCT_STATUS_CHANGE'],
    });
    expect(JSON.stringify(settings)).not.toContain(secret);
    expect(Object.keys((await sim.stats()).requests).some((key) => key.includes('_portal'))).toBe(false);
    const refused = await portal({
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'ftp://x', header_name: 'X-A', header_value: 'v' }),
    });
    expect([refused.status, (await body(refused)).error.code]).toEqual([422, 'validation_error']);
    const live = createConnectedYouAdapter({ ...config(sim.root), sandbox: false }, { logger: testLogger });
    expect(live.supports.WEBHOOKS?.register).toBeUndefined();
    await live.dispose();
  });

  /** The documented fields of each event type, from the verbatim published examples. */
  const documentedKeys = (type: string) =>
    Object.keys(
      fixture(
        'connectedyou',
        {
          USAGE_ALERT: 'webhook-USAGE_ALERT-80',
          PROFILE_LIFECYCLE: 'webhook-PROFILE_LIFECYCLE-ENABLED',
          PRODUCT_STATUS_CHANGE: 'webhook-PRODUCT_STATUS_CHANGE-ACTIVATED',
        }[type]!,
      ),
    ).sort();
  const expectDocumentedShape = () => {
    expect(receiver.deliveries.length).toBeGreaterThan(0);
    for (const d of receiver.deliveries) {
      const event = JSON.parse(d.rawBody) as Wire;
      expect([event.event_type, Object.keys(event).sort()]).toEqual([
        event.event_type,
        documentedKeys(event.event_type),
      ]);
    }
  };

  it('sends nothing when an order is allocated: no such event is documented', async () => {
    await setUp();
    await order(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.deliveries).toEqual([]);
  });

  it('sends each device step as PROFILE_LIFECYCLE with exactly the documented fields, under the header and the token', async () => {
    await setUp();
    const { iccid } = await order();
    await sim.control('install', { iccid });
    await until(() => (events('PROFILE_LIFECYCLE').length === 2 ? true : undefined));
    const [delivery] = receiver.deliveries;
    expect(delivery.headers['x-gateway-token']).toBe(secret);
    expect(delivery.query.token).toBe(secret);
    expect(cy.supports.WEBHOOKS!.verify(delivery, secrets)).toBe(true);
    const lifecycle = events('PROFILE_LIFECYCLE').sort((a, b) => a.event_timestamp.localeCompare(b.event_timestamp));
    expect(lifecycle).toEqual([
      {
        iccid,
        event_type: 'PROFILE_LIFECYCLE',
        event_timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
        eid: expect.stringMatching(/^89049032\d{24}$/),
        status: 'DOWNLOADED',
      },
      expect.objectContaining({ status: 'INSTALLED', eid: lifecycle[0].eid }),
    ]);
    expectDocumentedShape();
    const parsed = receiver.deliveries.flatMap((d) => cy.supports.WEBHOOKS!.parse(d));
    expect(
      parsed.every((e) => e.kind === 'DEVICE' && e.status === undefined && e.device?.eid === lifecycle[0].eid),
    ).toBe(true);
  });

  it('alerts at 50 % and 80 % used (not at every change), and sends the plan start and end as PRODUCT_STATUS_CHANGE', async () => {
    await setUp();
    const { plan, iccid } = await order();
    const total = plan.dataBytes!;
    for (const share of [0.1, 0.3, 0.55, 0.6, 0.85, 1])
      await sim.control('usage', { iccid, usedBytes: Math.round(total * share) });
    await until(() =>
      events('USAGE_ALERT').length === 2 &&
      events('PRODUCT_STATUS_CHANGE').length === 2 &&
      events('PROFILE_LIFECYCLE').length === 3
        ? true
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 100));
    const totalMb = total / 1_048_576;
    expect(events('USAGE_ALERT').sort((a, b) => a.data_consumed - b.data_consumed)).toEqual([
      {
        iccid,
        event_type: 'USAGE_ALERT',
        event_timestamp: expect.any(String),
        data_consumed: expect.any(Number),
        data_total: totalMb,
        percentage_consumed: 55,
      },
      expect.objectContaining({ data_total: totalMb, percentage_consumed: 85 }),
    ]);
    expect(
      byText(events('PRODUCT_STATUS_CHANGE').map((e) => [e.product_status, e.product_id, typeof e.product_name])),
    ).toEqual([
      ['ACTIVATED', plan.code, 'string'],
      ['TERMINATED', plan.code, 'string'],
    ]);
    // First use: the device downloaded, installed and enabled the profile.
    expect(
      events('PROFILE_LIFECYCLE')
        .map((e) => e.status)
        .sort(),
    ).toEqual(['DOWNLOADED', 'ENABLED', 'INSTALLED']);
    expectDocumentedShape();
    const parsed = receiver.deliveries.flatMap((d) => cy.supports.WEBHOOKS!.parse(d));
    expect(
      parsed
        .filter((e) => e.kind === 'USAGE')
        .map((e) => e.remainingThreshold)
        .sort(),
    ).toEqual([0.2, 0.5]);
    expect(byText(parsed.filter((e) => e.kind === 'PROFILE').map((e) => [e.rawStatus, e.status]))).toEqual([
      ['ACTIVATED', 'ACTIVE'],
      ['TERMINATED', 'DEPLETED'],
    ]);
  });

  it('sends the device removing the profile as DISABLED then DELETED, and nothing for a suspension', async () => {
    await setUp();
    const { iccid } = await order();
    await sim.control('usage', { iccid, usedBytes: 1_048_576 });
    simulator.inventory.suspend(iccid);
    simulator.inventory.resume(iccid);
    simulator.inventory.revoke(iccid);
    await until(() => (events('PROFILE_LIFECYCLE').length === 5 ? true : undefined));
    await new Promise((r) => setTimeout(r, 100));
    const steps = events('PROFILE_LIFECYCLE').sort((a, b) => a.event_timestamp.localeCompare(b.event_timestamp));
    expect(steps.map((e) => e.status)).toEqual(['DOWNLOADED', 'INSTALLED', 'ENABLED', 'DISABLED', 'DELETED']);
    expectDocumentedShape();
  });

  it('refuses deliveries with a wrong or missing header or token', async () => {
    await setUp();
    const { iccid } = await order();
    await sim.control('install', { iccid });
    const real = await until(() => receiver.deliveries[0]);
    expect(
      cy.supports.WEBHOOKS!.verify({ ...real, headers: { ...real.headers, 'x-gateway-token': 'forged' } }, secrets),
    ).toBe(false);
    expect(cy.supports.WEBHOOKS!.verify({ ...real, query: { token: 'forged' } }, secrets)).toBe(false);
    expect(cy.supports.WEBHOOKS!.verify({ ...real, headers: {}, query: {} }, secrets)).toBe(false);
    expect(cy.supports.WEBHOOKS!.verify(real, { secret: 'another-secret', signingSecret: null })).toBe(false);
  });

  it('gives duplicate and late deliveries one event id per event', async () => {
    await setUp(1);
    const { placed } = await order(5);
    for (const profile of placed.profiles) await sim.control('install', { iccid: profile.iccid });
    await until(() => (new Set(receiver.deliveries.map((d) => d.rawBody)).size === 10 ? true : undefined));
    await new Promise((r) => setTimeout(r, 250));
    const ids = receiver.deliveries.flatMap((d) => cy.supports.WEBHOOKS!.parse(d).map((e) => e.eventId));
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(new Set(ids).size).toBe(10);
  });
});
