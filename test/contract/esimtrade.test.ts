import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { maskUrl } from '../../src/sandbox/shared/webhook-mask';
import { ProviderRejectedError, ProviderUnavailableError } from '../../src/domain/errors';
import { BYTES_PER_GB, BYTES_PER_MB } from '../../src/domain/data-units';
import { compareDecimal, multiplyDecimal, roundToMinor, subtractDecimal } from '../../src/domain/money';
import type { CatalogPlan } from '../../src/domain/plan';
import { mapStatusWord } from '../../src/domain/profile-status';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createEsimTradeAdapter } from '../../src/providers/esimtrade';
import { ESIMTRADE_STATUS_TABLE } from '../../src/providers/esimtrade/esimtrade.order-mapper';
import { verifyEsimTradeDelivery } from '../../src/providers/esimtrade/esimtrade.webhooks';
import type {
  ProfileRef,
  ProviderAdapter,
  WebhookDelivery,
  WebhookSecrets,
} from '../../src/providers/provider-adapter';
import { createEsimTradeSimulator, type EsimTradeSimulator } from '../../src/sandbox/esimtrade';
import { ESIM_STATUS_WORDS } from '../../src/sandbox/esimtrade/wire';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { describeConformance } from './conformance';

const CREDENTIALS = SANDBOX_CREDENTIALS.esimtrade;
// Raw wire JSON, inspected field by field.
const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
const AUTH = { 'X-Access-Code': CREDENTIALS.accessCode, 'X-Secret-Key': CREDENTIALS.secretKey };

function createAdapter(root: string, deps: AdapterDeps, wrongCredentials = false): ProviderAdapter {
  return createEsimTradeAdapter(
    {
      baseUrl: root + SANDBOX_API_PREFIX.esimtrade,
      sandbox: true,
      accessCode: CREDENTIALS.accessCode,
      secretKey: wrongCredentials ? 'not-the-secret-key' : CREDENTIALS.secretKey,
    },
    deps,
  );
}

describeConformance({
  id: 'esimtrade',
  webhooks: true,
  createSimulator: (options) => createEsimTradeSimulator({ orderDelayMs: 0, ...options }),
  createAdapter,
});

interface RawPlan {
  slug: string;
  type: string;
  countries: { code: string }[];
  data: { amount: number; unit: 'GB' | 'MB' } | { unlimited: true };
}

describe('eSIMTrade specifics against its simulator', () => {
  let sim: RunningSimulator;
  let adapters: ProviderAdapter[];
  const fastPolicy = { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20 };
  const makeAdapter = (policy = {}, wrong = false) => {
    const adapter = createAdapter(sim.root, { logger: testLogger, policy: { ...fastPolicy, ...policy } }, wrong);
    adapters.push(adapter);
    return adapter;
  };
  const get = (path: string, headers: Record<string, string> = AUTH) =>
    fetch(sim.root + SANDBOX_API_PREFIX.esimtrade + path, { headers });
  const plansRequests = async () => (await sim.stats()).requests['GET /portal/plans'] ?? 0;
  const rawCatalog = async (): Promise<RawPlan[]> => {
    const first = await read(get('/portal/plans?limit=100'));
    const rest = [];
    for (let page = 2; page <= first.meta.pages; page++)
      rest.push(await read(get(`/portal/plans?limit=100&page=${page}`)));
    return [first, ...rest].flatMap((body) => body.data);
  };

  beforeEach(async () => {
    sim = await startSimulator(createEsimTradeSimulator({ orderDelayMs: 0 }));
    adapters = [];
  });
  afterEach(async () => {
    await Promise.all(adapters.map((adapter) => adapter.dispose()));
    await sim.close();
  });

  it('refuses a call without credentials with 401 UNAUTHORIZED', async () => {
    const res = await get('/portal/balance', { 'X-Access-Code': CREDENTIALS.accessCode });
    expect(res.status).toBe(401);
    expect((await read(res)).error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong secret key with 401 INVALID_CREDENTIALS', async () => {
    const res = await get('/portal/plans', { ...AUTH, 'X-Secret-Key': 'guess' });
    expect(res.status).toBe(401);
    expect((await read(res)).error.code).toBe('INVALID_CREDENTIALS');
  });

  it('turns refused credentials into PROVIDER_UNAVAILABLE with reason AUTH, without leaking them', async () => {
    const error = await makeAdapter({ maxAttempts: 1 }, true)
      .listPlans()
      .catch((e) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'AUTH' });
    expect(error.message).not.toContain('not-the-secret-key');
    expect(error.message).not.toContain(CREDENTIALS.accessCode);
  });

  it('serves the catalog page by page with page and limit, refusing a limit above 100', async () => {
    const wide = await read(get('/portal/plans?limit=14'));
    const page2 = await read(get('/portal/plans?page=2&limit=7'));
    expect(page2.data).toHaveLength(7);
    expect(page2.meta).toEqual({ page: 2, limit: 7, total: wide.meta.total, pages: Math.ceil(wide.meta.total / 7) });
    expect(page2.data.map((p: RawPlan) => p.slug)).toEqual(wide.data.slice(7).map((p: RawPlan) => p.slug));
    for (const bad of ['limit=101', 'limit=0', 'page=0', 'type=cruise', 'country=FRA']) {
      const res = await get(`/portal/plans?${bad}`);
      expect(res.status).toBe(400);
      expect((await read(res)).error.code).toBe('INVALID_PARAMETER');
    }
  });

  it('fetches every catalog page: the first page, then the rest at once', async () => {
    const { meta } = await read(get('/portal/plans?limit=100'));
    expect(meta.pages).toBeGreaterThan(1);
    await sim.control('reset-stats');
    const plans = await makeAdapter().listPlans();
    expect(plans).toHaveLength(meta.total);
    expect(await plansRequests()).toBe(meta.pages);
  });

  it('filters the catalog by country and by type', async () => {
    const german = await read(get('/portal/plans?country=de&limit=100'));
    expect(german.data.length).toBeGreaterThan(3);
    expect(german.data.every((p: RawPlan) => p.countries.some((c) => c.code === 'DE'))).toBe(true);
    expect(new Set(german.data.map((p: RawPlan) => p.type))).toEqual(new Set(['local', 'regional', 'global']));
    const regional = await read(get('/portal/plans?type=regional&limit=100'));
    expect(regional.meta.total).toBeGreaterThan(0);
    expect(regional.data.every((p: RawPlan) => p.type === 'regional')).toBe(true);
  });

  it('looks a few slugs up with one ?slug= call each, giving null for an unknown slug', async () => {
    const [a, b] = (await makeAdapter().listPlans()).slice(5, 7);
    await sim.control('reset-stats');
    const found = await adapters[0].getPlans([b.code, 'xx-1gb-7d', a.code, b.code]);
    expect(found.map((p) => p?.code ?? null)).toEqual([b.code, null, a.code, b.code]);
    expect(await plansRequests()).toBe(3);
    const res = await get('/portal/plans?slug=xx-1gb-7d');
    expect(res.status).toBe(404);
    expect((await read(res)).error.code).toBe('PLAN_NOT_FOUND');
  });

  it('reads the catalog once instead of one call per slug for a large batch', async () => {
    const adapter = makeAdapter();
    const codes = (await adapter.listPlans()).slice(0, 8).map((p) => p.code);
    const { meta } = await read(get('/portal/plans?limit=100'));
    await sim.control('reset-stats');
    const found = await adapter.getPlans([...codes, 'no-such-plan']);
    expect(found.map((p) => p?.code ?? null)).toEqual([...codes, null]);
    expect(await plansRequests()).toBe(meta.pages);
  });

  it('normalizes GB and MB data units to exact bytes (1 GB = 1024 MB = 1024^3 bytes)', async () => {
    const raw = await rawCatalog();
    const bySlug = new Map((await makeAdapter().listPlans()).map((p) => [p.code, p]));
    const units = new Set<string>();
    for (const plan of raw) {
      const expected =
        'unlimited' in plan.data ? null : plan.data.amount * (plan.data.unit === 'GB' ? BYTES_PER_GB : BYTES_PER_MB);
      if ('unit' in plan.data) units.add(plan.data.unit);
      expect(bySlug.get(plan.slug)?.dataBytes).toBe(expected);
    }
    expect(units).toEqual(new Set(['GB', 'MB']));
    expect(raw.some((p) => 'unlimited' in p.data)).toBe(true);
  });

  it('reports the wallet balance as an exact decimal string in USD', async () => {
    await sim.control('balance', { amount: '1234.50' });
    const raw = await read(get('/portal/balance'));
    expect(raw.data).toMatchObject({ balance: '1234.50', currency: 'USD' });
    await expect(makeAdapter().getBalance()).resolves.toEqual({ amount: '1234.5', currency: 'USD' });
  });

  it('enforces 10 requests per second per access code with 429 RATE_LIMITED and Retry-After', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => get('/portal/balance')));
    const limited = responses.filter((r) => r.status === 429);
    // All 20 normally land within one second (exactly 10 pass); a loaded machine may spread them.
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(10);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await read(limited[0])).error.code).toBe('RATE_LIMITED');
  });

  it('paces its own calls under the limit, so a burst of 15 reads all succeed', async () => {
    // Production retry timing: a 429 caused by network jitter is retried after its Retry-After.
    const adapter = makeAdapter({ retryBaseMs: 100, retryMaxMs: 2000 });
    const started = Date.now();
    const balances = await Promise.all(Array.from({ length: 15 }, () => adapter.getBalance()));
    expect(balances.every((b) => b?.currency === 'USD')).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(adapter.health().status).toBe('UP');
  });

  it('fails a flaky call in its own envelope, as a 502/503 or a 429', async () => {
    await sim.control('fault', { mode: 'flaky', errorRate: 1 });
    for (let i = 0; i < 6; i++) {
      const res = await get('/portal/balance');
      const { error } = await read(res);
      expect([429, 502, 503]).toContain(res.status);
      expect(error.code).toBe(res.status === 429 ? 'RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE');
    }
  });

  it('serves the reseller profile and updates its company fields', async () => {
    const before = await read(get('/reseller/profile'));
    expect(before.data.company_name).toBeTruthy();
    const patch = (body: unknown) =>
      fetch(`${sim.root}/reseller/profile`, {
        method: 'PATCH',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const updated = await read(patch({ company_name: 'Roam Ltd', country: 'fr', website: 'https://roam.example' }));
    expect(updated.data).toMatchObject({ company_name: 'Roam Ltd', country: 'FR', website: 'https://roam.example' });
    const refused = await patch({ country: 'France' });
    expect(refused.status).toBe(400);
    expect((await read(refused)).error.code).toBe('INVALID_PARAMETER');
  });

  it('answers an unknown endpoint with 404 NOT_FOUND in its envelope', async () => {
    const res = await get('/portal/nothing-here');
    expect(res.status).toBe(404);
    expect((await read(res)).error.code).toBe('NOT_FOUND');
  });
});

describe('eSIMTrade ordering, eSIMs and top-ups over its wire', () => {
  let simulator: EsimTradeSimulator | null = null;
  let sim: RunningSimulator;
  let adapter: ProviderAdapter;
  // Raw calls and adapter calls share the access code's quota: lift the limit so they never collide.
  const roomy = { limit: 1000, windowMs: 1000 };
  const url = (path: string) => sim.root + SANDBOX_API_PREFIX.esimtrade + path;
  const getJson = (path: string) => read(fetch(url(path), { headers: AUTH }));
  const post = (path: string, body: unknown, key?: string) =>
    fetch(url(path), {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
      body: JSON.stringify(body),
    });
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (e: unknown) => e as ProviderRejectedError,
    );
  const balance = () => simulator!.control.balance;

  async function start(options: { stockPerPlan?: number } = {}): Promise<void> {
    simulator = createEsimTradeSimulator({ orderDelayMs: 0, rateLimit: roomy, ...options });
    sim = await startSimulator(simulator);
    adapter = createAdapter(sim.root, {
      logger: testLogger,
      policy: { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20, rateLimit: roomy },
    });
  }
  afterEach(async () => {
    if (!simulator) return;
    await adapter.dispose();
    await sim.close();
    simulator = null;
  });

  /** A single-country data plan that takes top-ups. */
  async function dataPlan(): Promise<CatalogPlan> {
    const plan = (await adapter.listPlans()).find(
      (p) => p.coverage === 'COUNTRY' && p.dataBytes !== null && p.topUpSupported,
    );
    return plan!;
  }

  async function orderRaw(slug: string, quantity: number, reference: string): Promise<any> {
    const res = await post('/portal/order', { slug, quantity, reference }, reference);
    expect(res.status).toBe(201);
    return (await read(res)).data;
  }

  it('answers POST /portal/order with the order and its eSIMs in its own wire format', async () => {
    await start();
    const plan = await dataPlan();
    const res = await post(
      '/portal/order',
      { slug: plan.code, quantity: 2, reference: 'ref-wire-1', customer: { email: 'ada@example.com', name: 'Ada' } },
      'ref-wire-1',
    );
    expect(res.status).toBe(201);
    const { data } = await read(res);
    expect(data).toMatchObject({
      reference: 'ref-wire-1',
      status: 'completed',
      slug: plan.code,
      quantity: 2,
      customer: { email: 'ada@example.com', name: 'Ada' },
    });
    expect(data.order_number).toMatch(/^EST-\d+$/);
    expect(data.unit_price.currency).toBe('USD');
    expect(compareDecimal(data.unit_price.amount, plan.wholesalePrice.amount)).toBe(0);
    expect(data.total).toEqual({
      amount: roundToMinor(multiplyDecimal(plan.wholesalePrice.amount, 2), 'USD'),
      currency: 'USD',
    });
    expect(data.esims).toHaveLength(2);
    for (const esim of data.esims) {
      expect(esim.iccid).toMatch(/^8937200\d{12}$/);
      expect(esim).toMatchObject({
        order_number: data.order_number,
        plan_slug: plan.code,
        status: 'ready',
        smdp_address: 'smdp.esimtrade.com',
        activation_code: `LPA:1$smdp.esimtrade.com$${esim.matching_id}`,
        usage: { used_bytes: 0, total_bytes: plan.dataBytes },
        activated_at: null,
      });
    }
  });

  it('replays the first answer for the same Idempotency-Key and body, charging the wallet once', async () => {
    await start();
    const plan = await dataPlan();
    await sim.control('balance', { amount: '100.00' });
    const first = await post('/portal/order', { slug: plan.code, quantity: 1, reference: 'ref-idem-1' }, 'key-idem-1');
    // Same body with its keys in another order: still the same request.
    const again = await post('/portal/order', { reference: 'ref-idem-1', quantity: 1, slug: plan.code }, 'key-idem-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await read(again)).data.order_number).toBe((await read(first)).data.order_number);
    expect(compareDecimal(balance(), subtractDecimal('100', plan.wholesalePrice.amount))).toBe(0);

    const conflict = await post(
      '/portal/order',
      { slug: plan.code, quantity: 2, reference: 'ref-idem-1' },
      'key-idem-1',
    );
    expect([conflict.status, (await read(conflict)).error.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
    const duplicate = await post('/portal/order', { slug: plan.code, quantity: 1, reference: 'ref-idem-1' });
    expect([duplicate.status, (await read(duplicate)).error.code]).toEqual([409, 'DUPLICATE_REFERENCE']);
    const badKey = await post('/portal/order', { slug: plan.code, quantity: 1 }, 'no spaces allowed');
    expect([badKey.status, (await read(badKey)).error.code]).toEqual([400, 'INVALID_PARAMETER']);
    expect(compareDecimal(balance(), subtractDecimal('100', plan.wholesalePrice.amount))).toBe(0);
  });

  it('keeps refusals out of the key store, so the same key succeeds once the wallet is funded', async () => {
    await start();
    const plan = await dataPlan();
    await sim.control('balance', { amount: '0.00' });
    const refused = await post('/portal/order', { slug: plan.code, quantity: 1, reference: 'ref-fund' }, 'ref-fund');
    expect([refused.status, (await read(refused)).error.code]).toEqual([402, 'INSUFFICIENT_BALANCE']);
    await sim.control('balance', { amount: '50.00' });
    const accepted = await post('/portal/order', { slug: plan.code, quantity: 1, reference: 'ref-fund' }, 'ref-fund');
    expect(accepted.status).toBe(201);
    expect(accepted.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses with its own codes, which the adapter carries as ProviderRejectedError', async () => {
    await start({ stockPerPlan: 1 });
    const plan = await dataPlan();
    const order = (reference: string, planCode = plan.code, quantity = 1) =>
      adapter.placeOrder({ reference, planCode, quantity, expectedUnitPrice: plan.wholesalePrice });
    expect(await rejection(order('ref-unknown', 'xx-no-such-plan'))).toMatchObject({ providerCode: 'PLAN_NOT_FOUND' });
    await order('ref-stock-1');
    expect(await rejection(order('ref-stock-2'))).toMatchObject({ providerCode: 'OUT_OF_STOCK' });
    await sim.control('balance', { amount: '0.00' });
    const poor = await rejection(
      order('ref-poor', (await adapter.listPlans()).find((p) => p.code !== plan.code)!.code),
    );
    expect(poor).toBeInstanceOf(ProviderRejectedError);
    expect(poor).toMatchObject({ providerCode: 'INSUFFICIENT_BALANCE' });
    const tooMany = await post('/portal/order', { slug: plan.code, quantity: 11 }, 'ref-eleven');
    expect([tooMany.status, (await read(tooMany)).error.code]).toEqual([400, 'INVALID_PARAMETER']);
    await sim.control('reset-stats');
    expect(await rejection(order('ref-eleven', plan.code, 11))).toMatchObject({ providerCode: 'INVALID_PARAMETER' });
    expect((await sim.stats()).total).toBe(0);
  });

  it('answers the existing order when the reference is taken but its key was forgotten upstream', async () => {
    await start();
    const plan = await dataPlan();
    const existing = (await read(post('/portal/order', { slug: plan.code, quantity: 1, reference: 'ref-forgotten' })))
      .data;
    const before = balance();
    const order = await adapter.placeOrder({
      reference: 'ref-forgotten',
      planCode: plan.code,
      quantity: 1,
      expectedUnitPrice: plan.wholesalePrice,
    });
    expect(order.providerOrderId).toBe(existing.order_number);
    expect(order.profiles.map((p) => p.iccid)).toEqual(existing.esims.map((e: { iccid: string }) => e.iccid));
    expect(balance()).toBe(before);
  });

  it('sends an order once through a flaky provider: no documented key, so no retry (README "Money-moving calls")', async () => {
    await start();
    const plan = await dataPlan();
    const before = balance();
    await sim.control('fault', { mode: 'flaky', errorRate: 1 });
    const error = await adapter
      .placeOrder({ reference: 'ref-flaky', planCode: plan.code, quantity: 1, expectedUnitPrice: plan.wholesalePrice })
      .catch((e) => e);
    expect(['PROVIDER_UNAVAILABLE', 'RATE_LIMITED']).toContain(error.code);
    expect((await sim.stats()).requests['POST /portal/order']).toBe(1);
    expect(balance()).toBe(before);
  });

  it('finds an order by our reference through the text search, taking exact matches only', async () => {
    await start();
    const plan = await dataPlan();
    const short = await orderRaw(plan.code, 1, 'shop-7');
    const long = await orderRaw(plan.code, 2, 'shop-77');
    const search = await getJson('/reseller/orders?q=SHOP-7&limit=10');
    expect(search.data.map((o: { order_number: string }) => o.order_number)).toEqual([
      long.order_number,
      short.order_number,
    ]);
    expect(search.data[0]).toMatchObject({ reference: 'shop-77', esim_count: 2, status: 'completed' });
    expect(search.data[0].esims).toBeUndefined();
    expect(search.meta).toEqual({ page: 1, limit: 10, total: 2, pages: 1 });
    const found = await adapter.getOrder({ reference: 'shop-7', providerOrderId: null, placedAt: new Date() });
    expect(found).toMatchObject({ providerOrderId: short.order_number, status: 'COMPLETED' });
    expect((await getJson(`/portal/orders?iccid=${long.esims[1].iccid}`)).data.order_number).toBe(long.order_number);
    const missing = await fetch(url('/portal/orders?order_number=EST-0000000000'), { headers: AUTH });
    expect([missing.status, (await read(missing)).error.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    const neither = await fetch(url('/portal/orders'), { headers: AUTH });
    expect([neither.status, (await read(neither)).error.code]).toEqual([400, 'INVALID_PARAMETER']);
    // Someone else's order number under our reference is not our order.
    expect(
      await adapter.getOrder({ reference: 'shop-7', providerOrderId: long.order_number, placedAt: new Date() }),
    ).toBeNull();
  });

  it('maps every eSIM status word through its table, end to end', async () => {
    await start();
    const plan = await dataPlan();
    const [a, b, c] = (await orderRaw(plan.code, 3, 'ref-words')).esims.map((e: { iccid: string }) => ({
      iccid: e.iccid,
      providerProfileId: e.iccid,
    }));
    const inventory = simulator!.inventory;
    const seen: [string, string | null | undefined][] = [];
    const look = async (ref: ProfileRef) => {
      const [raw] = (await getJson(`/reseller/esims?iccid=${ref.iccid}`)).data;
      seen.push([raw.status, (await adapter.getProfiles([ref]))[0]?.status]);
    };
    await look(a);
    await sim.control('install', { iccid: a.iccid });
    await look(a);
    await sim.control('usage', { iccid: a.iccid, usedBytes: 10 });
    await look(a);
    await sim.control('usage', { iccid: a.iccid, usedBytes: plan.dataBytes });
    await look(a);
    inventory.suspend(a.iccid);
    await look(a);
    inventory.revoke(a.iccid);
    await look(a);
    inventory.cancel(b.iccid);
    await look(b);
    inventory.profile(c.iccid)!.expiresAt = new Date(Date.now() - 1000);
    await look(c);
    expect(seen).toEqual([
      ['ready', 'NOT_INSTALLED'],
      ['installed', 'INSTALLED'],
      ['active', 'ACTIVE'],
      ['depleted', 'DEPLETED'],
      ['suspended', 'SUSPENDED'],
      ['revoked', 'REVOKED'],
      ['cancelled', 'CANCELLED'],
      ['expired', 'EXPIRED'],
    ]);
    for (const word of Object.values(ESIM_STATUS_WORDS))
      expect([word, mapStatusWord(ESIMTRADE_STATUS_TABLE, word)]).not.toEqual([word, null]);
    const ready = await getJson('/reseller/esims?status=ready');
    expect(ready.data).toHaveLength(0);
    const bad = await fetch(url('/reseller/esims?status=frozen'), { headers: AUTH });
    expect([bad.status, (await read(bad)).error.code]).toEqual([400, 'INVALID_PARAMETER']);
  });

  it('reports usage in exact bytes, with a null total for unlimited plans', async () => {
    await start();
    const plan = await dataPlan();
    const unlimited = (await adapter.listPlans()).find((p) => p.dataBytes === null)!;
    const [esim] = (await orderRaw(plan.code, 1, 'ref-bytes')).esims;
    const [open] = (await orderRaw(unlimited.code, 1, 'ref-unlimited')).esims;
    await sim.control('usage', { iccid: esim.iccid, usedBytes: 123_456_789 });
    const [raw] = (await getJson(`/reseller/esims?iccid=${esim.iccid}`)).data;
    expect(raw.usage).toMatchObject({ used_bytes: 123_456_789, total_bytes: plan.dataBytes });
    const [usage, endless] = await adapter.getUsage([
      { iccid: esim.iccid, providerProfileId: esim.iccid },
      { iccid: open.iccid, providerProfileId: open.iccid },
    ]);
    expect(usage).toMatchObject({ usedBytes: 123_456_789, totalBytes: plan.dataBytes });
    expect(endless).toMatchObject({ usedBytes: 0, totalBytes: null });
  });

  it('offers top-ups for an owned ICCID and buys one by slug, once per Idempotency-Key', async () => {
    await start();
    const plan = await dataPlan();
    const [esim] = (await orderRaw(plan.code, 1, 'ref-topup')).esims;
    const options = (await getJson(`/portal/topups?iccid=${esim.iccid}`)).data;
    expect(options.length).toBeGreaterThan(0);
    for (const option of options) {
      expect(option.slug).toMatch(/^topup-/);
      expect(option.price.amount).toMatch(/^\d+\.\d{2}$/);
      expect(option.data.unlimited).toBeUndefined();
    }
    const before = balance();
    const body = { iccid: esim.iccid, slug: options[0].slug };
    const first = await post('/portal/topups', body, 'topup-key-1');
    const again = await post('/portal/topups', body, 'topup-key-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const bought = (await read(first)).data;
    expect(bought).toMatchObject({
      iccid: esim.iccid,
      slug: options[0].slug,
      status: 'completed',
      price: options[0].price,
    });
    expect((await read(again)).data.topup_id).toBe(bought.topup_id);
    expect(balance()).toBe(subtractDecimal(before, options[0].price.amount));
    const conflict = await post(
      '/portal/topups',
      { ...body, slug: options[options.length - 1].slug + '-x' },
      'topup-key-1',
    );
    expect([conflict.status, (await read(conflict)).error.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
    const unknown = await post('/portal/topups', { ...body, slug: 'topup-nowhere' }, 'topup-key-2');
    expect([unknown.status, (await read(unknown)).error.code]).toEqual([404, 'TOPUP_NOT_FOUND']);
  });

  it('refuses top-ups for unknown and suspended eSIMs with its own codes', async () => {
    await start();
    const plan = await dataPlan();
    const [esim] = (await orderRaw(plan.code, 1, 'ref-topup-refused')).esims;
    const ref = { iccid: esim.iccid, providerProfileId: esim.iccid };
    const [option] = await adapter.supports.TOP_UP!.list(ref);
    expect(option.id).toBe(`esimtrade:${option.code}`);
    const stranger = { iccid: '8937200000000000000', providerProfileId: '8937200000000000000' };
    const notOwned = await fetch(url(`/portal/topups?iccid=${stranger.iccid}`), { headers: AUTH });
    expect([notOwned.status, (await read(notOwned)).error.code]).toEqual([404, 'ESIM_NOT_FOUND']);
    expect(await rejection(adapter.supports.TOP_UP!.list(stranger))).toMatchObject({ providerCode: 'ESIM_NOT_FOUND' });
    const request = {
      reference: 'tu-stranger',
      profile: stranger,
      planCode: option.code,
      expectedPrice: option.wholesalePrice,
    };
    expect(await rejection(adapter.supports.TOP_UP!.buy(request))).toMatchObject({ providerCode: 'ESIM_NOT_FOUND' });
    simulator!.inventory.suspend(esim.iccid);
    expect(await adapter.supports.TOP_UP!.list(ref)).toEqual([]);
    const refused = await rejection(
      adapter.supports.TOP_UP!.buy({ ...request, reference: 'tu-suspended', profile: ref }),
    );
    expect(refused).toBeInstanceOf(ProviderRejectedError);
    expect(refused).toMatchObject({ providerCode: 'OPERATION_NOT_ALLOWED' });
  });
});

describe('eSIMTrade webhooks over its wire', () => {
  let sim: RunningSimulator;
  let adapter: ProviderAdapter;
  let receiver: WebhookReceiver;
  const secrets: WebhookSecrets = { secret: 'gw-secret-0123456789abcdef', signingSecret: null };
  const roomy = { limit: 1000, windowMs: 1000 };
  const url = (path: string) => sim.root + SANDBOX_API_PREFIX.esimtrade + path;
  const patch = (body: unknown) =>
    fetch(url('/reseller/webhook'), {
      method: 'PATCH',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const hooks = () => adapter.supports.WEBHOOKS!;
  const target = () => ({ url: `${receiver.url}?token=${secrets.secret}`, secret: secrets.secret });
  const payload = (d: WebhookDelivery): any => JSON.parse(d.rawBody);
  const ofType = (type: string) => receiver.deliveries.filter((d) => payload(d).type === type);

  async function start(webhookChaos = 0): Promise<void> {
    sim = await startSimulator(createEsimTradeSimulator({ orderDelayMs: 0, rateLimit: roomy, webhookChaos }));
    adapter = createAdapter(sim.root, {
      logger: testLogger,
      policy: { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20, rateLimit: roomy },
    });
    const started = await startWebhookReceiver();
    receiver = { ...started, url: `${started.url}/webhooks/esimtrade` };
  }
  afterEach(async () => {
    await adapter.dispose();
    await sim.close();
    await receiver.close();
  });

  async function until(done: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 150 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
    if (!done()) throw new Error(`timed out waiting for ${what}`);
  }

  /** Orders one eSIM of a data plan that takes top-ups; answers its ICCID. */
  async function orderOne(reference: string): Promise<string> {
    const plan = (await adapter.listPlans()).find(
      (p) => p.coverage === 'COUNTRY' && p.dataBytes !== null && p.topUpSupported,
    )!;
    const order = await adapter.placeOrder({
      reference,
      planCode: plan.code,
      quantity: 1,
      expectedUnitPrice: plan.wholesalePrice,
    });
    return order.profiles[0].iccid;
  }

  it('registers with PATCH /reseller/webhook: our URL, every event and our secret, which is never echoed', async () => {
    await start();
    expect(await hooks().register!(target())).toEqual({});
    expect((await sim.stats()).requests['PATCH /reseller/webhook']).toBe(1);
    const { data } = await read(fetch(url('/reseller/webhook'), { headers: AUTH }));
    expect(data).toEqual({
      url: maskUrl(target().url),
      events: ['order.completed', 'order.failed', 'esim.status_changed', 'esim.usage_updated', 'topup.completed'],
      secret_set: true,
      updated_at: expect.stringMatching(/Z$/),
    });
    await until(() => ofType('webhook.test').length === 1, 'the test ping');
    const [ping] = ofType('webhook.test');
    expect(ping.headers['x-esimtrade-event']).toBe('webhook.test');
    expect(hooks().verify(ping, secrets)).toBe(true);
    expect(hooks().parse(ping)).toEqual([]);
  });

  it('validates the settings, generates a secret once when none is set, and stops calling on url null', async () => {
    await start();
    for (const bad of [
      { url: 'ftp://example.com/hook' },
      { events: ['esim.usage_updated'] },
      { url: receiver.url, events: ['order.shipped'] },
      { url: receiver.url, secret: 'short' },
    ]) {
      const res = await patch(bad);
      expect([res.status, (await read(res)).error.code]).toEqual([400, 'INVALID_PARAMETER']);
    }
    const first = (await read(patch({ url: receiver.url }))).data;
    expect(first).toMatchObject({
      url: receiver.url,
      secret_set: true,
      secret: expect.stringMatching(/^whsec_[0-9a-f]{48}$/),
    });
    expect((await read(patch({ url: receiver.url, events: ['order.completed'] }))).data).not.toHaveProperty('secret');
    await until(() => receiver.deliveries.length === 2, 'two pings');
    expect((await read(patch({ url: null }))).data).toMatchObject({ url: null, events: ['order.completed'] });
    await orderOne('wh-off');
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.deliveries).toHaveLength(2);
  });

  it('delivers each event type in its own shape, signed, and the adapter normalizes each', async () => {
    await start();
    await hooks().register!(target());
    const iccid = await orderOne('wh-types');
    await sim.control('install', { iccid });
    await sim.control('usage', { iccid, usedBytes: 10 * BYTES_PER_MB });
    const usage = await adapter.getUsage([{ iccid, providerProfileId: iccid }]);
    await sim.control('usage', { iccid, usedBytes: usage[0]!.totalBytes! });
    const [option] = await adapter.supports.TOP_UP!.list({ iccid, providerProfileId: iccid });
    await adapter.supports.TOP_UP!.buy({
      reference: 'wh-topup',
      profile: { iccid, providerProfileId: iccid },
      planCode: option.code,
      expectedPrice: option.wholesalePrice,
    });
    // ping, order, 4 status changes (installed, active, depleted, active again), 2 usage, 1 top-up
    await until(() => receiver.deliveries.length === 9, 'nine deliveries');
    for (const d of receiver.deliveries) {
      expect(d.headers['x-esimtrade-event']).toBe(payload(d).type);
      expect(d.headers['x-esimtrade-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(hooks().verify(d, secrets)).toBe(true);
      expect(payload(d)).toMatchObject({
        id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
        created_at: expect.stringMatching(/Z$/),
      });
    }
    const [order] = ofType('order.completed');
    expect(payload(order).data).toMatchObject({
      reference: 'wh-types',
      status: 'completed',
      esims: [{ iccid, status: 'ready' }],
    });
    expect(hooks().parse(order)).toEqual([
      expect.objectContaining({
        kind: 'ORDER',
        reference: 'wh-types',
        providerOrderId: payload(order).data.order_number,
      }),
    ]);
    const changes = ofType('esim.status_changed')
      .map((d) => [payload(d).data.previous_status, payload(d).data.status])
      .sort();
    expect(changes).toEqual([
      ['active', 'depleted'],
      ['depleted', 'active'],
      ['installed', 'active'],
      ['ready', 'installed'],
    ]);
    const statuses = ofType('esim.status_changed')
      .flatMap((d) => hooks().parse(d))
      .map((e) => [e.kind, e.iccid, e.status]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['PROFILE', iccid, 'INSTALLED'],
        ['PROFILE', iccid, 'DEPLETED'],
      ]),
    );
    const readings = ofType('esim.usage_updated')
      .flatMap((d) => hooks().parse(d))
      .map((e) => e.usage?.usedBytes)
      .sort((a, b) => a! - b!);
    expect(readings).toEqual([10 * BYTES_PER_MB, usage[0]!.totalBytes]);
    const [topUp] = ofType('topup.completed');
    expect(payload(topUp).data).toMatchObject({ iccid, slug: option.code, status: 'completed' });
    expect(hooks().parse(topUp)).toEqual([expect.objectContaining({ kind: 'USAGE', iccid, usage: null })]);
  });

  it('delivers every usage change made through the control API, in bytes', async () => {
    await start();
    await hooks().register!(target());
    const iccid = await orderOne('wh-usage');
    for (const mb of [1, 2, 3]) await sim.control('usage', { iccid, usedBytes: mb * BYTES_PER_MB });
    await until(() => ofType('esim.usage_updated').length === 3, 'three usage deliveries');
    const used = ofType('esim.usage_updated')
      .map((d) => payload(d).data.usage.used_bytes)
      .sort((a, b) => a - b);
    expect(used).toEqual([1, 2, 3].map((mb) => mb * BYTES_PER_MB));
  });

  it('refuses a tampered body, a stale signature and a wrong or missing secret', async () => {
    await start();
    await hooks().register!(target());
    await orderOne('wh-forged');
    await until(() => ofType('order.completed').length === 1, 'the order delivery');
    const [real] = ofType('order.completed');
    expect(hooks().verify(real, secrets)).toBe(true);
    expect(hooks().verify({ ...real, rawBody: real.rawBody.replace('wh-forged', 'wh-forgex') }, secrets)).toBe(false);
    expect(verifyEsimTradeDelivery(real, secrets, Date.now() + 301_000)).toBe(false);
    expect(hooks().verify({ ...real, query: { token: 'gw-secret-guess-0123456789' } }, secrets)).toBe(false);
    expect(hooks().verify({ ...real, query: {} }, secrets)).toBe(false);
    expect(hooks().verify({ ...real, headers: { 'content-type': 'application/json' } }, secrets)).toBe(false);
    expect(hooks().verify(real, { secret: 'gw-secret-guess-0123456789', signingSecret: null })).toBe(false);
  });

  it('gives duplicate deliveries one event id, and distinct events distinct ids', async () => {
    await start(1); // every delivery duplicated or delayed
    await hooks().register!(target());
    const iccid = await orderOne('wh-dupes');
    for (let mb = 1; mb <= 12; mb++) await sim.control('usage', { iccid, usedBytes: mb * BYTES_PER_MB });
    const byBody = () =>
      new Map(receiver.deliveries.map((d) => [d.rawBody, receiver.deliveries.filter((o) => o.rawBody === d.rawBody)]));
    // ping, order, status change to active, 12 usage changes
    await until(
      () => byBody().size === 15 && [...byBody().values()].some((copies) => copies.length > 1),
      'fifteen events, one duplicated',
    );
    const ids = [...byBody().values()].map((copies) => {
      const perCopy = copies.map((d) =>
        hooks().verify(d, secrets)
          ? hooks()
              .parse(d)
              .map((e) => e.eventId)
          : ['unverified'],
      );
      for (const other of perCopy) expect(other).toEqual(perCopy[0]);
      return perCopy[0];
    });
    const eventIds = ids.flat();
    expect(eventIds).toHaveLength(14); // the ping carries no event
    expect(new Set(eventIds).size).toBe(14);
  });
});
