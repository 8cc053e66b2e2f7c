import pino, { type Logger } from 'pino';
import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { BYTES_PER_MB } from '../../src/domain/data-units';
import { findCountry } from '../../src/domain/countries';
import { ProviderRejectedError } from '../../src/domain/errors';
import type { CatalogPlan } from '../../src/domain/plan';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createComiumAdapter } from '../../src/providers/comium';
import type { ProviderAdapter, UpstreamOrderRequest, UpstreamProfile } from '../../src/providers/provider-adapter';
import { createComiumSimulator, type ComiumSimulator, type ComiumSimulatorOptions } from '../../src/sandbox/comium';
import { buildCatalog } from '../../src/sandbox/comium/catalog';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { describeConformance } from './conformance';

const credentials = SANDBOX_CREDENTIALS.comium;
/** Seed 002, Field Reference: the item, sale-answer and order-item field tables. */
const DOCUMENTED_BUNDLE_FIELDS = [
  'bundle_code',
  'bundle_name',
  'bundle_marketing_name',
  'country_name',
  'region_name',
  'validity',
  'data_quota',
  'bundle_price_final',
  'subscriber_price',
  'reseller_retail_price',
  'support_topup',
  'supports_calls_sms',
  'profile_type',
]
  .sort()
  .join();
const DOCUMENTED_SALE_FIELDS = [
  'title',
  'message',
  'developer_message',
  'response_code',
  'order_id',
  'iccid',
  'reseller_id',
  'remaining_wallet_balance',
  'remaining_wallet_balance_in_additional_currency',
  'additional_currency_code',
].sort();
const DOCUMENTED_ORDER_FIELDS = [
  'order_id',
  'order_reference',
  'bundle_code',
  'bundle_marketing_name',
  'iccid',
  'status',
  'created_at',
  'expiry_date',
  'amount_charged',
  'global_esim',
].sort();

function buildAdapter(root: string, deps: AdapterDeps, wrongCredentials = false): ProviderAdapter {
  return createComiumAdapter(
    {
      baseUrl: root + SANDBOX_API_PREFIX.comium,
      sandbox: true,
      username: credentials.username,
      password: wrongCredentials ? 'not-the-password' : credentials.password,
    },
    deps,
  );
}

/** The customer the order service guarantees for Comium (customerFields EMAIL, NAME); the seed's own example. */
const CUSTOMER = { email: 'client@hotmail.com', name: 'John Wick' };

/**
 * The shared conformance suite calls `placeOrder` without a customer; the order service never does
 * for Comium (it refuses an order without `customerFields` first), so the subject adds the customer
 * the service would have checked. Everything else is the adapter itself.
 */
function withCustomer(adapter: ProviderAdapter): ProviderAdapter {
  const placeOrder = adapter.placeOrder.bind(adapter);
  return Object.assign(Object.create(adapter) as ProviderAdapter, {
    placeOrder: (request: UpstreamOrderRequest, signal?: AbortSignal) =>
      placeOrder({ customer: CUSTOMER, ...request }, signal),
  });
}

describeConformance({
  id: 'comium',
  createSimulator: (options) => createComiumSimulator({ orderDelayMs: 0, ...options }),
  createAdapter: (root, deps, wrong) => withCustomer(buildAdapter(root, deps, wrong)),
});

describe('comium specifics', () => {
  let simulator: ComiumSimulator;
  let sim: RunningSimulator;
  let api: string;
  const adapters: ProviderAdapter[] = [];
  const fastPolicy = { timeoutMs: 2000, retryBaseMs: 5, retryMaxMs: 20 };

  async function startSim(options: Partial<ComiumSimulatorOptions> = {}): Promise<void> {
    simulator = createComiumSimulator({ orderDelayMs: 0, ...options });
    sim = await startSimulator(simulator);
    api = sim.root + SANDBOX_API_PREFIX.comium;
  }
  function makeAdapter(policy = {}, logger: Logger = testLogger): ProviderAdapter {
    const made = buildAdapter(sim.root, { logger, policy: { ...fastPolicy, ...policy } });
    adapters.push(made);
    return made;
  }
  async function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<{ status: number; headers: Headers; body: any }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers['Access-Token'] = options.token;
    const res = await fetch(api + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }
  async function login(): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
    const res = await call('POST', '/Agent/login', { body: credentials });
    expect(res.status).toBe(200);
    return res.body;
  }
  const requests = async (key: string) =>
    (await sim.stats()).requests[`${key.split(' ')[0]} ${SANDBOX_API_PREFIX.comium}${key.split(' ')[1]}`] ?? 0;

  const start = startSim;
  const adapter = (policy = {}) => makeAdapter(policy);
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.dispose()));
    await sim.close();
  });

  describe('authentication', () => {
    it('answers a login with both tokens, their lifetimes and the reseller flags', async () => {
      await start();
      const res = await call('POST', '/Agent/login', { body: credentials });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 900,
        role: 'Reseller',
        show_global_esim_bundles: true,
      });
      expect(typeof res.body.access_token).toBe('string');
      expect(res.body.refresh_expires_in).toBeGreaterThan(res.body.expires_in);
    });

    it('refuses a wrong password with 401 in the provider error shape', async () => {
      await start();
      const res = await call('POST', '/Agent/login', { body: { ...credentials, password: 'wrong' } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        title: 'Unauthorized',
        message: 'Invalid username or password',
        developer_message: expect.any(String),
        response_code: '401',
      });
    });

    it('refuses a call without an Access-Token, or with an unknown one, with 401', async () => {
      await start();
      expect((await call('GET', '/Bundles')).status).toBe(401);
      const res = await call('GET', '/Bundles', { token: 'forged-token' });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ title: 'Unauthorized', message: 'Invalid access token' });
    });

    it('rotates refresh tokens: a replayed refresh token is refused with 401', async () => {
      await start();
      const session = await login();
      const first = await call('POST', '/Token/Refresh', { body: { refresh_token: session.refresh_token } });
      expect(first.status).toBe(200);
      expect(first.body.refresh_token).not.toBe(session.refresh_token);
      const replay = await call('POST', '/Token/Refresh', { body: { refresh_token: session.refresh_token } });
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ title: 'Unauthorized', response_code: '401' });
      expect((await call('POST', '/Token/Refresh', { body: { refresh_token: first.body.refresh_token } })).status).toBe(
        200,
      );
      expect((await call('GET', '/Bundles?page_size=1', { token: first.body.access_token })).status).toBe(200);
    });

    it('logs in once and reuses the access token across calls', async () => {
      await start();
      const comium = adapter();
      await comium.listPlans();
      await comium.probe();
      await Promise.all([comium.getPlans(['NO-SUCH-BUNDLE']), comium.probe()]);
      expect(await requests('POST /Agent/login')).toBe(1);
      expect(await requests('POST /Token/Refresh')).toBe(0);
    });

    it('renews an expired access token through /Token/Refresh rather than a new login', async () => {
      await start({ tokenTtlSeconds: 1 });
      const comium = adapter();
      await comium.probe();
      const expired = await login();
      await new Promise((resolve) => setTimeout(resolve, 1050));
      const res = await call('GET', '/Bundles', { token: expired.access_token });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Access token has expired');
      await comium.probe();
      expect(await requests('POST /Agent/login')).toBe(2);
      expect(await requests('POST /Token/Refresh')).toBe(1);
    });

    it('renews the session once and retries when the provider drops its access token', async () => {
      await start();
      const comium = adapter();
      await comium.probe();
      simulator.revokeAccessTokens();
      await expect(comium.probe()).resolves.toBeUndefined();
      expect(await requests('POST /Token/Refresh')).toBe(1);
      expect(await requests('POST /Agent/login')).toBe(1);
      expect(await requests('GET /Bundles')).toBe(3);
    });

    it('shares one login between concurrent first calls', async () => {
      await start();
      const comium = adapter();
      await Promise.all([comium.probe(), comium.probe(), comium.getNetworks!(['NO-SUCH-BUNDLE'])]);
      expect(await requests('POST /Agent/login')).toBe(1);
    });
  });

  describe('catalog', () => {
    // Raw calls follow the adapter's catalog read (one per category and page): lift the sim's limit.
    const start = (options: Partial<ComiumSimulatorOptions> = {}) =>
      startSim({ rateLimit: { perSecond: 10_000, burst: 10_000 }, ...options });

    it('pages with page_size and page_number and reports total_count', async () => {
      await start();
      const { access_token: token } = await login();
      const all = await call('GET', '/Bundles?page_size=100', { token });
      const page2 = await call('GET', '/Bundles?page_size=10&page_number=2', { token });
      expect(page2.body).toMatchObject({ page_number: 2, page_size: 10, total_count: all.body.total_count });
      expect(page2.body.data.map((b: any) => b.bundle_code)).toEqual(
        all.body.data.slice(10, 20).map((b: any) => b.bundle_code),
      );
      expect((await call('GET', '/Bundles?page_size=101', { token })).status).toBe(400);
    });

    it('sends exactly the 13 documented item fields, and filters by ISO alpha-3 country_code and bundle_category (request filters, not item fields)', async () => {
      await start();
      const { access_token: token } = await login();
      const res = await call('GET', '/Bundles?country_code=FRA&bundle_category=country&page_size=25', { token });
      expect(res.body.data.length).toBeGreaterThan(0);
      expect(res.body.data.every((b: any) => Object.keys(b).sort().join() === DOCUMENTED_BUNDLE_FIELDS)).toBe(true);
      expect(
        res.body.data.every((b: any) => b.country_name === 'France' && /^FRA\d+GB_\d{10}$/.test(b.bundle_code)),
      ).toBe(true);
      const wider = await call('GET', '/Bundles?country_code=FRA&page_size=100', { token });
      expect(wider.body.data.some((b: any) => !b.bundle_code.startsWith('FRA'))).toBe(true);
      const regional = await call('GET', '/Bundles?bundle_category=region&page_size=100', { token });
      expect(regional.body.data.length).toBeGreaterThan(0);
      expect(regional.body.data.every((b: any) => !b.bundle_code.startsWith('FRA') && b.region_name !== '')).toBe(true);
      expect((await call('GET', '/Bundles?country_code=FR', { token })).status).toBe(400);
    });

    it('reads coverage from the category it asked: country bundles by country_name, regional and global ones without countries', async () => {
      await start();
      const plans = await adapter().listPlans();
      const byCode = new Map(buildCatalog().bundles.map((b) => [b.bundle_code, b]));
      const coverage = { country: 'COUNTRY', region: 'REGION', global: 'GLOBAL', cruise: 'CRUISE' } as const;
      expect(plans.length).toBe(byCode.size);
      for (const plan of plans)
        expect([plan.code, plan.coverage]).toEqual([plan.code, coverage[byCode.get(plan.code)!.bundle_category]]);
      const countryPlans = plans.filter((p) => p.coverage === 'COUNTRY');
      expect(
        countryPlans.every(
          (p) => p.countries.length === 1 && byCode.get(p.code)!.country_code === findCountry(p.countries[0])?.alpha3,
        ),
      ).toBe(true);
      expect(plans.filter((p) => p.coverage !== 'COUNTRY').every((p) => p.countries.length === 0)).toBe(true);
      expect(await requests('GET /Bundles')).toBeGreaterThanOrEqual(8);
    });

    it('honours profile_type=GLOBAL_ESIM, and lists Standard bundles by default', async () => {
      await start();
      const { access_token: token } = await login();
      const global = await call('GET', '/Bundles?profile_type=GLOBAL_ESIM', { token });
      expect(global.body.data.length).toBeGreaterThan(0);
      expect(global.body.data.every((b: any) => b.profile_type === 'GLOBAL_ESIM')).toBe(true);
      const standard = await call('GET', '/Bundles?page_size=100', { token });
      expect(standard.body.data.every((b: any) => b.profile_type === 'STANDARD')).toBe(true);
      const plans = await adapter().listPlans();
      expect(plans.filter((p) => p.profileType === 'GLOBAL_ESIM').length).toBe(global.body.total_count);
    });

    it('answers GLOBAL_ESIM with 400 "Feature not supported" when the reseller flag is off, and the adapter does not ask', async () => {
      await start({ showGlobalEsimBundles: false });
      const { access_token: token } = await login();
      const res = await call('GET', '/Bundles?profile_type=GLOBAL_ESIM', { token });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ title: 'Bad Request', message: 'Feature not supported' });
      await sim.control('reset-stats');
      const plans = await adapter().listPlans();
      expect(plans.length).toBeGreaterThan(100);
      expect(plans.some((p) => p.profileType === 'GLOBAL_ESIM')).toBe(false);
      // One read per documented bundle_category (one page each but for country bundles), STANDARD only.
      expect(await requests('GET /Bundles')).toBeGreaterThanOrEqual(4);
    });

    it('lists cruise bundles without countries, and voice bundles without allowances (none documented on an item)', async () => {
      await start();
      const plans = await adapter().listPlans();
      expect(plans.find((p) => p.coverage === 'CRUISE')).toMatchObject({ countries: [], regionName: 'Cruise ships' });
      const voice = buildCatalog().bundles.find((b) => b.supports_calls_sms)!;
      expect(plans.find((p) => p.code === voice.bundle_code)).toMatchObject({ voiceMinutes: null, smsCount: null });
      expect(plans.every((p) => p.networks === null && p.wholesalePrice.currency === 'USD')).toBe(true);
    });

    it('maps networks from alpha-3 to alpha-2 and answers an unknown bundle with none', async () => {
      await start();
      const comium = adapter();
      const germany = (await comium.listPlans()).find((p) => p.coverage === 'COUNTRY' && p.countries[0] === 'DE')!;
      const { access_token: token } = await login();
      const raw = await call('GET', `/Bundles/Networks?bundle_code=${germany.code}`, { token });
      expect(raw.body.data.every((n: any) => n.country_code === 'DEU')).toBe(true);
      const [networks, unknown] = await comium.getNetworks!([germany.code, 'NO-SUCH-BUNDLE']);
      expect(networks.length).toBe(raw.body.data.length);
      expect(networks.every((n) => n.country === 'DE' && n.operator.length > 0)).toBe(true);
      expect(unknown).toEqual([]);
    });
  });

  describe('rate limit', () => {
    it('refuses calls beyond a burst of 10 per second with 429 Too Many Requests and Retry-After: 1', async () => {
      await start();
      const { access_token: token } = await login();
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => call('GET', '/Bundles?page_size=1', { token })),
      );
      const refused = answers.filter((a) => a.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0].headers.get('retry-after')).toBe('1');
      expect(refused[0].body).toMatchObject({ title: 'Too Many Requests', response_code: '429' });
    });

    it('paces its own calls under the limit instead of being refused', async () => {
      await start();
      const comium = adapter();
      const codes = (await comium.listPlans())
        .filter((p) => p.coverage === 'COUNTRY')
        .slice(0, 16)
        .map((p) => p.code);
      const started = Date.now();
      const networks = await comium.getNetworks!(codes);
      expect(networks.every((n) => n.length > 0)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      // The client counts call starts, the provider counts arrivals: allow a rare refusal from jitter.
      expect(simulator.rateLimitedCount()).toBeLessThanOrEqual(1);
    });
  });

  describe('ordering and lifecycle', () => {
    const HEX24 = /^[0-9a-f]{24}$/;
    // These tests mix raw calls with the adapter's: lift the assumed 10/s limit on both sides.
    const unpaced = { rateLimit: { perSecond: 10_000, burst: 10_000 } };
    const start = (options: Partial<ComiumSimulatorOptions> = {}) => startSim({ ...unpaced, ...options });
    const adapter = (policy = {}, logger?: Logger) =>
      makeAdapter({ rateLimit: { limit: 10_000, windowMs: 1000 }, ...policy }, logger);
    let seq = 0;
    const reference = () => `cm-${Date.now().toString(36)}-${++seq}`;
    const customer = { email: 'client@hotmail.com', name: 'John Wick' };
    const at = () => ({ providerOrderId: null, placedAt: new Date(Date.now() - 60_000) });

    /** The cheapest Standard single-country bundle that can be topped up. */
    async function standardPlan(comium: ProviderAdapter): Promise<CatalogPlan> {
      const plans = (await comium.listPlans()).filter(
        (p) => p.profileType === 'STANDARD' && p.coverage === 'COUNTRY' && p.topUpSupported,
      );
      return plans.sort((a, b) => Number(a.wholesalePrice.amount) - Number(b.wholesalePrice.amount))[0];
    }
    async function sale(token: string, bundleCode: string, orderReference: string) {
      return call('POST', '/Bundle', {
        token,
        body: { bundle_code: bundleCode, ...customer, order_reference: orderReference },
      });
    }
    async function ordered(comium: ProviderAdapter, plan: CatalogPlan, ref = reference()): Promise<UpstreamProfile> {
      const order = await comium.placeOrder({
        reference: ref,
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer,
      });
      expect(order.status).toBe('COMPLETED');
      return order.profiles[0];
    }
    const globalBundleCode = () =>
      buildCatalog().bundles.find((b) => b.profile_type === 'GLOBAL_ESIM' && b.support_topup)!.bundle_code;
    const status = async (comium: ProviderAdapter, profile: UpstreamProfile) =>
      (await comium.getProfiles([profile]))[0];

    it('sells one bundle with POST /Bundle, answering exactly the documented fields: the ICCID and the wallet balance, no activation details', async () => {
      await start();
      const plan = await standardPlan(adapter());
      const { access_token: token } = await login();
      const res = await sale(token, plan.code, 'ORDER-10001');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(DOCUMENTED_SALE_FIELDS);
      expect(res.body).toMatchObject({ title: 'Success', message: 'Bundle Assigned Successfully', response_code: '1' });
      expect(res.body.order_id).toMatch(HEX24);
      expect(res.body.reseller_id).toMatch(HEX24);
      expect(res.body.iccid).toMatch(/^8922001\d{12}$/);
      expect(res.body.remaining_wallet_balance).toBe(Number(simulator.control.balance));
      expect(Number(simulator.control.balance)).toBeCloseTo(5000 - Number(plan.wholesalePrice.amount), 6);
      const history = await call('GET', '/Orders?order_reference=ORDER-10001', { token });
      expect(history.body).toMatchObject({ page_number: 1, total_count: 1 });
      expect(Object.keys(history.body.data[0]).sort()).toEqual(DOCUMENTED_ORDER_FIELDS);
      expect(history.body.data[0]).toMatchObject({
        order_id: res.body.order_id,
        iccid: res.body.iccid,
        bundle_code: plan.code,
        status: 'success',
        global_esim: false,
        amount_charged: Number(plan.wholesalePrice.amount),
      });
    });

    it('completes an adapter order from the sale answer: the ICCID, NOT_INSTALLED, activation null (Comium e-mails the eSIM to the customer it was sent)', async () => {
      await start();
      const comium = adapter();
      const plan = await standardPlan(comium);
      const order = await comium.placeOrder({
        reference: 'ORDER-MAIL',
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer,
      });
      expect(order).toMatchObject({
        status: 'COMPLETED',
        profiles: [{ status: 'NOT_INSTALLED', smdpAddress: null, matchingId: null, qrCodeUrl: null }],
      });
      expect(
        simulator.inventory.order(simulator.inventory.profile(order.profiles[0].iccid)!.orderId)?.customer,
      ).toEqual(customer);
    });

    it('refuses a repeated order_reference with 409 and never sells twice; the adapter answers the existing order without a sale', async () => {
      await start();
      const comium = adapter();
      const plan = await standardPlan(comium);
      const { access_token: token } = await login();
      const first = await sale(token, plan.code, 'ORDER-REPEAT');
      const balance = simulator.control.balance;
      const again = await sale(token, plan.code, 'ORDER-REPEAT');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        title: 'Conflict',
        message: 'Duplicate order_reference',
        response_code: '409',
      });
      expect(simulator.control.balance).toBe(balance);
      await sim.control('reset-stats');
      const order = await comium.placeOrder({
        reference: 'ORDER-REPEAT',
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer,
      });
      expect(order).toMatchObject({ providerOrderId: first.body.order_id, status: 'COMPLETED' });
      expect(order.profiles[0].iccid).toBe(first.body.iccid);
      expect(await requests('POST /Bundle')).toBe(0);
    });

    it('reads the order back after a 409 when two calls race on one reference', async () => {
      await start();
      const comium = adapter();
      const plan = await standardPlan(comium);
      const balance = simulator.control.balance;
      const request = {
        reference: reference(),
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer,
      };
      // Slow answers keep both lookups in flight together: both miss, both sell, one gets the 409.
      await sim.control('fault', { mode: 'slow', latencyMs: 40 });
      await sim.control('reset-stats');
      const [a, b] = await Promise.all([comium.placeOrder(request), comium.placeOrder(request)]);
      expect(a.providerOrderId).toBe(b.providerOrderId);
      expect([await requests('POST /Bundle'), await requests('GET /Orders')]).toEqual([2, 3]);
      expect(Number(simulator.control.balance)).toBeCloseTo(Number(balance) - Number(plan.wholesalePrice.amount), 6);
    });

    it('refuses an unpaid sale with 402, keeps it as a failed order, and sells under the same reference once the wallet is refilled', async () => {
      await start();
      const comium = adapter();
      const plan = await standardPlan(comium);
      const { access_token: token } = await login();
      await sim.control('balance', { amount: '0.00' });
      const raw = await sale(token, plan.code, 'ORDER-BROKE');
      expect(raw.status).toBe(402);
      expect(raw.body).toEqual({
        title: 'Payment Required',
        message: 'Insufficient wallet balance',
        developer_message: expect.any(String),
        response_code: '402',
      });
      const ref = reference();
      const error = await comium
        .placeOrder({
          reference: ref,
          planCode: plan.code,
          quantity: 1,
          expectedUnitPrice: plan.wholesalePrice,
          customer,
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(ProviderRejectedError);
      expect(error.providerCode).toBe('INSUFFICIENT_BALANCE');
      // The documented order item names no reason: the adapter says so in its own words.
      expect(await comium.getOrder({ reference: ref, ...at() })).toMatchObject({
        status: 'FAILED',
        failureReason: 'refused by Comium',
        profiles: [],
      });
      await sim.control('balance', { amount: '100.00' });
      const order = await comium.placeOrder({
        reference: ref,
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer,
      });
      expect(order.status).toBe('COMPLETED');
      expect((await comium.getOrder({ reference: ref, ...at() }))?.providerOrderId).toBe(order.providerOrderId);
    });

    it('answers an unknown bundle with 404, an exhausted one with 400 "Bundle is not available", a Global eSIM bundle without the flag with 400', async () => {
      await start({ stockPerPlan: 1, showGlobalEsimBundles: false });
      const comium = adapter();
      const plan = await standardPlan(comium);
      const place = (planCode: string) =>
        comium
          .placeOrder({
            reference: reference(),
            planCode,
            quantity: 1,
            expectedUnitPrice: plan.wholesalePrice,
            customer,
          })
          .catch((e) => e);
      expect(await place('NO-SUCH-BUNDLE')).toMatchObject({ providerCode: 'BUNDLE_NOT_FOUND' });
      await ordered(comium, plan);
      expect(await place(plan.code)).toMatchObject({ providerCode: 'BUNDLE_UNAVAILABLE' });
      const { access_token: token } = await login();
      const globalCode = globalBundleCode();
      expect((await sale(token, globalCode, reference())).body).toMatchObject({
        title: 'Bad Request',
        message: 'Feature not supported',
      });
      expect(
        (await call('POST', '/Bundle', { token, body: { bundle_code: plan.code, order_reference: reference() } })).body
          .message,
      ).toBe('email and name are required');
      await sim.control('reset-stats');
      expect(
        await comium
          .placeOrder({
            reference: reference(),
            planCode: plan.code,
            quantity: 2,
            expectedUnitPrice: plan.wholesalePrice,
            customer,
          })
          .catch((e) => e),
      ).toMatchObject({ providerCode: 'QUANTITY_NOT_SUPPORTED' });
      expect((await sim.stats()).total).toBe(0);
    });

    it('assigns asynchronously: the sale answers pending without an ICCID, /Orders turns success with it', async () => {
      await start({ orderDelayMs: 120 });
      const plan = await standardPlan(adapter());
      const { access_token: token } = await login();
      const res = await sale(token, plan.code, 'ORDER-LATER');
      expect(Object.keys(res.body).sort()).toEqual(DOCUMENTED_SALE_FIELDS);
      expect(res.body).toMatchObject({ response_code: '1', iccid: null });
      expect((await call('GET', '/Orders?order_reference=ORDER-LATER', { token })).body.data[0]).toMatchObject({
        order_id: res.body.order_id,
        status: 'pending',
        iccid: null,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const history = await call('GET', '/Orders?order_reference=ORDER-LATER', { token });
      expect(history.body.data[0]).toMatchObject({ order_id: res.body.order_id, status: 'success' });
      expect(history.body.data[0].iccid).toMatch(/^8922001/);
    });

    it('serves /Profile/Consumption by iccid or order_id with MB balances, and refuses neither, both or unknown as documented', async () => {
      await start();
      const comium = adapter();
      const plan = await standardPlan(comium);
      const { access_token: token } = await login();
      const sold = (await sale(token, plan.code, 'ORDER-USE')).body;
      await sim.control('usage', { iccid: sold.iccid, usedBytes: 300 * BYTES_PER_MB });
      const byIccid = await call('GET', `/Profile/Consumption?iccid=${sold.iccid}`, { token });
      const totalMb = plan.dataBytes! / BYTES_PER_MB;
      const bundle = buildCatalog().bundles.find((b) => b.bundle_code === plan.code)!;
      const allowance = bundle.supports_calls_sms
        ? { calls: bundle.calls_quota, sms: bundle.sms_quota }
        : { calls: null, sms: null };
      expect(Object.keys(byIccid.body).sort()).toEqual([
        'iccid',
        'orders_balances',
        'profile_expiry_date',
        'profile_status',
      ]);
      expect(byIccid.body).toMatchObject({ iccid: sold.iccid, profile_status: 'active' });
      expect(byIccid.body.orders_balances).toEqual([
        {
          order_id: sold.order_id,
          bundle_code: plan.code,
          total_data: totalMb,
          remaining_data: totalMb - 300,
          remaining_calls: allowance.calls,
          remaining_sms: allowance.sms,
          expiry_date: expect.any(String),
          status: 'active',
        },
      ]);
      expect((await call('GET', `/Profile/Consumption?order_id=${sold.order_id}`, { token })).body).toEqual(
        byIccid.body,
      );
      expect((await call('GET', '/Profile/Consumption', { token })).body).toMatchObject({
        title: 'Bad Request',
        message: 'At least order_id or iccid is required',
      });
      expect(
        (await call('GET', `/Profile/Consumption?iccid=${sold.iccid}&order_id=${sold.order_id}`, { token })).body
          .message,
      ).toBe('ICCID and order_id cannot be provided together');
      const unknown = await call('GET', '/Profile/Consumption?iccid=8922001000000000000', { token });
      expect([unknown.status, unknown.body.message]).toEqual([404, 'Profile not found']);
      const old = await call('GET', `/Orders/Consumption?order_id=${sold.order_id}`, { token });
      expect(old.headers.get('deprecation')).toBe('true');
      expect(old.body).toMatchObject({ iccid: sold.iccid, remaining_data: totalMb - 300 });
      expect((await comium.getUsage([{ iccid: sold.iccid, providerProfileId: sold.iccid }]))[0]).toMatchObject({
        usedBytes: 300 * BYTES_PER_MB,
        totalBytes: plan.dataBytes,
        voiceMinutesRemaining: allowance.calls,
        smsRemaining: allowance.sms,
      });
    });

    it('reports the remaining voice minutes and SMS of a calls & SMS bundle from orders_balances', async () => {
      await start();
      const comium = adapter();
      const voice = buildCatalog().bundles.find(
        (b) => b.supports_calls_sms && b.profile_type === 'STANDARD' && b.calls_quota !== null,
      )!;
      const plan = (await comium.listPlans()).find((p) => p.code === voice.bundle_code)!;
      const profile = await ordered(comium, plan);
      const [usage] = await comium.getUsage([profile]);
      expect(usage).toMatchObject({
        usedBytes: 0,
        voiceMinutesRemaining: voice.calls_quota,
        smsRemaining: voice.sms_quota,
      });
    });

    it('maps profile_status and the plan status to the contract states, and an undocumented word to null with a warning', async () => {
      await start();
      const warnings: any[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
      const comium = adapter({}, logger);
      const plan = await standardPlan(comium);
      const profile = await ordered(comium, plan);
      // The sale answer names no eSIM state: just assigned, NOT_INSTALLED until consumption says more.
      expect(profile).toMatchObject({
        rawStatus: 'success',
        status: 'NOT_INSTALLED',
        providerProfileId: profile.iccid,
        qrCodeUrl: null,
      });
      expect(await status(comium, profile)).toMatchObject({
        rawStatus: 'released/active',
        status: 'NOT_INSTALLED',
        device: { state: 'RELEASED', rawState: 'released' },
      });
      simulator.inventory.install(profile.iccid);
      expect(await status(comium, profile)).toMatchObject({
        rawStatus: 'downloaded/active',
        status: 'INSTALLED',
        device: { state: 'DOWNLOADED' },
      });
      await sim.control('usage', { iccid: profile.iccid, usedBytes: BYTES_PER_MB });
      expect(await status(comium, profile)).toMatchObject({
        rawStatus: 'active/active',
        status: 'ACTIVE',
        device: { state: 'ENABLED' },
      });
      await sim.control('usage', { iccid: profile.iccid, usedBytes: plan.dataBytes });
      expect(await status(comium, profile)).toMatchObject({ rawStatus: 'active/depleted', status: 'DEPLETED' });
      simulator.inventory.profile(profile.iccid)!.expiresAt = new Date(Date.now() - 1000);
      expect(await status(comium, profile)).toMatchObject({ rawStatus: 'active/expired', status: 'EXPIRED' });
      const other = await ordered(comium, plan);
      simulator.inventory.suspend(other.iccid); // no Comium endpoint does this: its word is not in the document
      expect(await status(comium, other)).toMatchObject({
        rawStatus: 'suspended/active',
        status: null,
        device: { state: null, rawState: 'suspended' },
      });
      expect(warnings).toContainEqual(
        expect.objectContaining({ provider: 'comium', iccid: other.iccid, word: 'suspended/active' }),
      );
      // A deleted eSIM is the device side: the plan state is left as stored (null), and no unknown word is reported.
      const third = await ordered(comium, plan);
      simulator.inventory.revoke(third.iccid);
      expect(await status(comium, third)).toMatchObject({
        rawStatus: 'deleted/active',
        status: null,
        device: { state: 'DELETED', rawState: 'deleted' },
      });
      expect(warnings.filter((w) => w.word === 'deleted/active')).toEqual([]);
    });

    it('lists top-ups of the profile type and coverage, sells one as an order of its own, and refuses the wrong type, state or reference', async () => {
      await start();
      const comium = adapter();
      const plan = await standardPlan(comium);
      const profile = await ordered(comium, plan, 'ORDER-BASE');
      const { access_token: token } = await login();
      const listed = await call('GET', `/v2/Bundles/Topup?iccid=${profile.iccid}&page_size=100`, { token });
      expect(listed.body.data.length).toBeGreaterThan(0);
      // ASSUMED (undocumented): top-up items are /Bundles items, exactly the documented fields.
      expect(
        listed.body.data.every(
          (b: any) =>
            Object.keys(b).sort().join() === DOCUMENTED_BUNDLE_FIELDS &&
            b.profile_type === 'STANDARD' &&
            b.support_topup,
        ),
      ).toBe(true);
      expect(new Set(listed.body.data.map((b: any) => b.country_name)).size).toBe(1);
      const options = await comium.supports.TOP_UP!.list(profile);
      expect(options.map((o) => o.code).sort()).toEqual(listed.body.data.map((b: any) => b.bundle_code).sort());
      // Their coverage comes from the catalog plan of the same code.
      expect(options.every((o) => o.coverage === 'COUNTRY' && o.countries.join() === plan.countries.join())).toBe(true);
      const option = options[0];
      const topUp = await comium.supports.TOP_UP!.buy({
        reference: 'TOPUP-1',
        profile,
        planCode: option.code,
        expectedPrice: option.wholesalePrice,
      });
      expect(topUp.providerTopUpId).toMatch(HEX24);
      expect(topUp.status).toBe('COMPLETED');
      const history = await call('GET', '/Orders?order_reference=TOPUP-1', { token });
      expect(history.body.data[0]).toMatchObject({
        order_id: topUp.providerTopUpId,
        order_type: 'topup',
        iccid: profile.iccid,
        bundle_code: option.code,
      });
      const balances = (await call('GET', `/Profile/Consumption?iccid=${profile.iccid}`, { token })).body
        .orders_balances;
      expect(balances.map((b: any) => b.bundle_code)).toEqual([plan.code, option.code]);
      const globalCode = globalBundleCode();
      const wrong = await comium.supports
        .TOP_UP!.buy({ reference: reference(), profile, planCode: globalCode, expectedPrice: option.wholesalePrice })
        .catch((e) => e);
      expect(wrong).toMatchObject({ providerCode: 'TOPUP_INCOMPATIBLE' });
      const fixed = buildCatalog().bundles.find((b) => !b.support_topup)!.bundle_code;
      expect(
        await comium.supports
          .TOP_UP!.buy({ reference: reference(), profile, planCode: fixed, expectedPrice: option.wholesalePrice })
          .catch((e) => e),
      ).toMatchObject({ providerCode: 'TOPUP_NOT_SUPPORTED' });
      const reused = await comium.supports
        .TOP_UP!.buy({ reference: 'ORDER-BASE', profile, planCode: option.code, expectedPrice: option.wholesalePrice })
        .catch((e) => e);
      expect(reused).toMatchObject({ providerCode: 'DUPLICATE_ORDER_REFERENCE' });
      simulator.inventory.profile(profile.iccid)!.expiresAt = new Date(Date.now() - 1000);
      const late = await comium.supports
        .TOP_UP!.buy({ reference: reference(), profile, planCode: option.code, expectedPrice: option.wholesalePrice })
        .catch((e) => e);
      expect(late).toBeInstanceOf(ProviderRejectedError);
      expect(late.providerCode).toBe('TOPUP_NOT_ALLOWED');
      expect(
        (
          await comium.supports
            .TOP_UP!.list({ iccid: '8922001000000000000', providerProfileId: '8922001000000000000' })
            .catch((e) => e)
        ).providerCode,
      ).toBe('PROFILE_NOT_FOUND');
    });

    it('filters /Orders by global_esim, search and dates, and refuses a malformed date', async () => {
      await start();
      const comium = adapter();
      const plans = await comium.listPlans();
      const global = plans.find((p) => p.profileType === 'GLOBAL_ESIM')!;
      const profile = await ordered(comium, await standardPlan(comium), 'ORDER-STD');
      await ordered(comium, global, 'ORDER-GLOBAL');
      const { access_token: token } = await login();
      const refs = async (query: string) =>
        (await call('GET', `/Orders?${query}`, { token })).body.data.map((o: any) => o.order_reference);
      expect(await refs('global_esim=true')).toEqual(['ORDER-GLOBAL']);
      expect(await refs('global_esim=false')).toEqual(['ORDER-STD']);
      expect(await refs(`search=${profile.iccid}`)).toEqual(['ORDER-STD']);
      const today = new Date().toISOString().slice(0, 10);
      expect((await refs(`from_date=${today}&to_date=${today}`)).sort()).toEqual(['ORDER-GLOBAL', 'ORDER-STD']);
      expect(await refs('to_date=2000-01-01')).toEqual([]);
      expect((await call('GET', '/Orders?from_date=01/02/2024', { token })).body).toMatchObject({
        title: 'Bad Request',
        message: 'Invalid from_date',
      });
    });
  });
});
