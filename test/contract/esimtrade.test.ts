import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { ProviderUnavailableError } from '../../src/domain/errors';
import { BYTES_PER_GB, BYTES_PER_MB } from '../../src/domain/data-units';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createEsimTradeAdapter } from '../../src/providers/esimtrade';
import type { ProviderAdapter } from '../../src/providers/provider-adapter';
import { createEsimTradeSimulator } from '../../src/sandbox/esimtrade';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
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

describeConformance({ id: 'esimtrade', createSimulator: () => createEsimTradeSimulator({ orderDelayMs: 0 }), createAdapter });

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
  const get = (path: string, headers: Record<string, string> = AUTH) => fetch(sim.root + SANDBOX_API_PREFIX.esimtrade + path, { headers });
  const plansRequests = async () => (await sim.stats()).requests['GET /portal/plans'] ?? 0;
  const rawCatalog = async (): Promise<RawPlan[]> => {
    const first = await read(get('/portal/plans?limit=100'));
    const rest = [];
    for (let page = 2; page <= first.meta.pages; page++) rest.push(await read(get(`/portal/plans?limit=100&page=${page}`)));
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
    const error = await makeAdapter({ maxAttempts: 1 }, true).listPlans().catch((e) => e);
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
      const expected = 'unlimited' in plan.data ? null : plan.data.amount * (plan.data.unit === 'GB' ? BYTES_PER_GB : BYTES_PER_MB);
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
      fetch(`${sim.root}/reseller/profile`, { method: 'PATCH', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });
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
