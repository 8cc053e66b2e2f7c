import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { createComiumAdapter } from '../../src/providers/comium';
import type { ProviderAdapter } from '../../src/providers/provider-adapter';
import { createComiumSimulator, type ComiumSimulator, type ComiumSimulatorOptions } from '../../src/sandbox/comium';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { describeConformance } from './conformance';

const credentials = SANDBOX_CREDENTIALS.comium;

function buildAdapter(root: string, deps: AdapterDeps, wrongCredentials = false): ProviderAdapter {
  return createComiumAdapter(
    { baseUrl: root + SANDBOX_API_PREFIX.comium, sandbox: true, username: credentials.username, password: wrongCredentials ? 'not-the-password' : credentials.password },
    deps,
  );
}

describeConformance({
  id: 'comium',
  createSimulator: () => createComiumSimulator({ orderDelayMs: 0 }),
  createAdapter: buildAdapter,
});

describe('comium specifics', () => {
  let simulator: ComiumSimulator;
  let sim: RunningSimulator;
  let api: string;
  const adapters: ProviderAdapter[] = [];
  const fastPolicy = { timeoutMs: 2000, retryBaseMs: 5, retryMaxMs: 20 };

  async function start(options: Partial<ComiumSimulatorOptions> = {}): Promise<void> {
    simulator = createComiumSimulator({ orderDelayMs: 0, ...options });
    sim = await startSimulator(simulator);
    api = sim.root + SANDBOX_API_PREFIX.comium;
  }
  function adapter(policy = {}): ProviderAdapter {
    const made = buildAdapter(sim.root, { logger: testLogger, policy: { ...fastPolicy, ...policy } });
    adapters.push(made);
    return made;
  }
  async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; headers: Headers; body: any }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers['Access-Token'] = options.token;
    const res = await fetch(api + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }
  async function login(): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
    const res = await call('POST', '/Agent/login', { body: credentials });
    expect(res.status).toBe(200);
    return res.body;
  }
  const requests = async (key: string) => (await sim.stats()).requests[`${key.split(' ')[0]} ${SANDBOX_API_PREFIX.comium}${key.split(' ')[1]}`] ?? 0;

  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.dispose()));
    await sim.close();
  });

  describe('authentication', () => {
    it('answers a login with both tokens, their lifetimes and the reseller flags', async () => {
      await start();
      const res = await call('POST', '/Agent/login', { body: credentials });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, role: 'Reseller', show_global_esim_bundles: true });
      expect(typeof res.body.access_token).toBe('string');
      expect(res.body.refresh_expires_in).toBeGreaterThan(res.body.expires_in);
    });

    it('refuses a wrong password with 401 in the provider error shape', async () => {
      await start();
      const res = await call('POST', '/Agent/login', { body: { ...credentials, password: 'wrong' } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ title: 'Unauthorized', message: 'Invalid username or password', developer_message: expect.any(String), response_code: '401' });
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
      expect((await call('POST', '/Token/Refresh', { body: { refresh_token: first.body.refresh_token } })).status).toBe(200);
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
    it('pages with page_size and page_number and reports total_count', async () => {
      await start();
      const { access_token: token } = await login();
      const all = await call('GET', '/Bundles?page_size=100', { token });
      const page2 = await call('GET', '/Bundles?page_size=10&page_number=2', { token });
      expect(page2.body).toMatchObject({ page_number: 2, page_size: 10, total_count: all.body.total_count });
      expect(page2.body.data.map((b: any) => b.bundle_code)).toEqual(all.body.data.slice(10, 20).map((b: any) => b.bundle_code));
      expect((await call('GET', '/Bundles?page_size=101', { token })).status).toBe(400);
    });

    it('filters by ISO alpha-3 country_code and refuses alpha-2', async () => {
      await start();
      const { access_token: token } = await login();
      const res = await call('GET', '/Bundles?country_code=FRA&bundle_category=country&page_size=25', { token });
      expect(res.body.data.length).toBeGreaterThan(0);
      expect(res.body.data.every((b: any) => b.country_code === 'FRA' && b.bundle_category === 'country' && /^FRA\d+GB_\d{10}$/.test(b.bundle_code))).toBe(true);
      const wider = await call('GET', '/Bundles?country_code=FRA&page_size=100', { token });
      expect(wider.body.data.some((b: any) => b.bundle_category !== 'country')).toBe(true);
      expect(wider.body.data.every((b: any) => b.countries.includes('FRA'))).toBe(true);
      expect((await call('GET', '/Bundles?country_code=FR', { token })).status).toBe(400);
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
      expect(await requests('GET /Bundles')).toBe(2);
    });

    it('lists cruise bundles without countries and voice bundles with their allowances', async () => {
      await start();
      const plans = await adapter().listPlans();
      expect(plans.find((p) => p.coverage === 'CRUISE')).toMatchObject({ countries: [], regionName: 'Cruise ships' });
      expect(plans.some((p) => p.voiceMinutes !== null && p.smsCount !== null)).toBe(true);
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
      const answers = await Promise.all(Array.from({ length: 12 }, () => call('GET', '/Bundles?page_size=1', { token })));
      const refused = answers.filter((a) => a.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0].headers.get('retry-after')).toBe('1');
      expect(refused[0].body).toMatchObject({ title: 'Too Many Requests', response_code: '429' });
    });

    it('paces its own calls under the limit instead of being refused', async () => {
      await start();
      const comium = adapter();
      const codes = (await comium.listPlans()).filter((p) => p.coverage === 'COUNTRY').slice(0, 16).map((p) => p.code);
      const started = Date.now();
      const networks = await comium.getNetworks!(codes);
      expect(networks.every((n) => n.length > 0)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      // The client counts call starts, the provider counts arrivals: allow a rare refusal from jitter.
      expect(simulator.rateLimitedCount()).toBeLessThanOrEqual(1);
    });
  });
});
