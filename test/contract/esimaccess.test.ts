import { randomUUID } from 'node:crypto';
import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { BYTES_PER_GB } from '../../src/domain/data-units';
import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../src/domain/errors';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import { classifyEsimAccessResponse, createEsimAccessAdapter, isUnknownPackageError, signEsimAccessRequest } from '../../src/providers/esimaccess';
import type { ProviderAdapter } from '../../src/providers/provider-adapter';
import { createEsimAccessSimulator } from '../../src/sandbox/esimaccess';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { describeConformance } from './conformance';

const CREDENTIALS = SANDBOX_CREDENTIALS.esimaccess;

function createAdapter(root: string, deps: AdapterDeps, wrongCredentials = false): ProviderAdapter {
  return createEsimAccessAdapter(
    {
      baseUrl: root + SANDBOX_API_PREFIX.esimaccess,
      sandbox: true,
      accessCode: CREDENTIALS.accessCode,
      secretKey: wrongCredentials ? 'not-the-secret-key' : CREDENTIALS.secretKey,
    },
    deps,
  );
}

const createSimulator = () => createEsimAccessSimulator({ orderDelayMs: 0 });

describeConformance({ id: 'esimaccess', createSimulator, createAdapter });

interface Envelope<T = any> {
  success: boolean;
  errorCode: string | null;
  errorMsg: string | null;
  obj: T | null;
}

interface CallOptions {
  body?: string;
  headers?: Record<string, string>;
  timestamp?: number;
  secretKey?: string;
  accessCode?: string;
  method?: string;
  upperCaseSignature?: boolean;
}

describe('eSIM Access specifics against its simulator', () => {
  let sim: RunningSimulator;
  const adapters: ProviderAdapter[] = [];
  const makeAdapter = (policy: AdapterDeps['policy'] = {}) => {
    const adapter = createAdapter(sim.root, { logger: testLogger, policy: { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20, ...policy } });
    adapters.push(adapter);
    return adapter;
  };

  /** A signed call as the provider's HMAC chapter describes it, with knobs to break it. */
  async function call<T = any>(path: string, params: object | null = {}, options: CallOptions = {}): Promise<{ status: number; body: Envelope<T> }> {
    const body = options.body ?? (params === null ? '' : JSON.stringify(params));
    const timestamp = String(options.timestamp ?? Date.now());
    const requestId = randomUUID().replace(/-/g, '');
    const accessCode = options.accessCode ?? CREDENTIALS.accessCode;
    const signature = signEsimAccessRequest(options.secretKey ?? CREDENTIALS.secretKey, timestamp, requestId, accessCode, body);
    const res = await fetch(`${sim.root}/api/v1/open/${path}`, {
      method: options.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        'RT-AccessCode': accessCode,
        'RT-RequestID': requestId,
        'RT-Timestamp': timestamp,
        'RT-Signature': options.upperCaseSignature ? signature.toUpperCase() : signature,
        ...options.headers,
      },
      body: options.method === 'GET' ? undefined : body,
    });
    return { status: res.status, body: (await res.json()) as Envelope<T> };
  }

  beforeEach(async () => {
    sim = await startSimulator(createSimulator());
  });
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.dispose()));
    await sim.close();
  });

  describe('authentication', () => {
    it('accepts a correctly signed request and answers in the documented envelope', async () => {
      const { status, body } = await call('balance/query');
      expect(status).toBe(200);
      expect(body).toMatchObject({ success: true, errorCode: '0' });
      expect(Number.isSafeInteger(body.obj.balance)).toBe(true);
    });

    it('compares the signature case-insensitively, as the worked example prints uppercase hex', async () => {
      const { body } = await call('balance/query', {}, { upperCaseSignature: true });
      expect(body.success).toBe(true);
    });

    it('answers 000101 when a mandatory RT header is missing', async () => {
      const res = await fetch(`${sim.root}/api/v1/open/balance/query`, { method: 'POST', headers: { 'RT-AccessCode': CREDENTIALS.accessCode }, body: '' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ success: false, errorCode: '000101', errorMsg: 'Request header (mandatory) is null', obj: null });
    });

    it('answers 101003 for a signature made with the wrong secret', async () => {
      const { status, body } = await call('balance/query', {}, { secretKey: 'not-the-secret-key' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ success: false, errorCode: '101003', obj: null });
    });

    it('answers 101003 for an unknown access code', async () => {
      const { body } = await call('balance/query', {}, { accessCode: 'someone-else', secretKey: CREDENTIALS.secretKey });
      expect(body.errorCode).toBe('101003');
    });

    it('answers 101003 when the body was changed after signing', async () => {
      const timestamp = String(Date.now());
      const requestId = randomUUID();
      const signature = signEsimAccessRequest(CREDENTIALS.secretKey, timestamp, requestId, CREDENTIALS.accessCode, '{"type":"BASE"}');
      const res = await fetch(`${sim.root}/api/v1/open/package/list`, {
        method: 'POST',
        headers: { 'RT-AccessCode': CREDENTIALS.accessCode, 'RT-RequestID': requestId, 'RT-Timestamp': timestamp, 'RT-Signature': signature },
        body: '{"type":"TOPUP"}',
      });
      expect(((await res.json()) as Envelope).errorCode).toBe('101003');
    });

    it('answers 101001 for a timestamp more than five minutes old or ahead', async () => {
      expect((await call('balance/query', {}, { timestamp: Date.now() - 6 * 60_000 })).body.errorCode).toBe('101001');
      expect((await call('balance/query', {}, { timestamp: Date.now() + 6 * 60_000 })).body.errorCode).toBe('101001');
      expect((await call('balance/query', {}, { timestamp: Date.now() - 4 * 60_000 })).body.success).toBe(true);
    });

    it('answers 101001 for a timestamp in seconds, since the provider expects milliseconds', async () => {
      expect((await call('balance/query', {}, { timestamp: Math.floor(Date.now() / 1000) })).body.errorCode).toBe('101001');
    });

    it('turns a rejected signature into PROVIDER_UNAVAILABLE (AUTH) without leaking the secret', async () => {
      const adapter = createAdapter(sim.root, { logger: testLogger, policy: { maxAttempts: 1 } }, true);
      adapters.push(adapter);
      const error = await adapter.getBalance().catch((e) => e);
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error.reason).toBe('AUTH');
      expect(error.message).not.toContain('not-the-secret-key');
    });
  });

  describe('transport', () => {
    it('answers an unknown path with a 404 envelope', async () => {
      const { status, body } = await call('esim/list', {});
      expect(status).toBe(404);
      expect(body).toMatchObject({ success: false, errorCode: '404', obj: null });
    });

    it('refuses a GET with 000103, since every endpoint is POST', async () => {
      const { body } = await call('balance/query', null, { method: 'GET' });
      expect(body.errorCode).toBe('000103');
    });

    it('refuses a body that is not JSON with 000104', async () => {
      const { body } = await call('package/list', null, { body: '{"type":' });
      expect(body.errorCode).toBe('000104');
    });

    it('accepts an empty body, as the quick start sends', async () => {
      const { body } = await call('balance/query', null);
      expect(body.success).toBe(true);
    });
  });

  describe('catalog', () => {
    it('serves money as USD × 10 000 integers, bytes and comma-separated ISO alpha-2 locations', async () => {
      const { body } = await call('package/list', { locationCode: 'FR' });
      const list = body.obj.packageList as any[];
      expect(list.length).toBeGreaterThan(0);
      for (const p of list) {
        expect(p.location).toBe('FR');
        expect(Number.isSafeInteger(p.price) && p.price > 0).toBe(true);
        expect(p.currencyCode).toBe('USD');
        expect(p.durationUnit).toBe('DAY');
        if (p.dataType === 1) expect(p.volume % (BYTES_PER_GB / 1024)).toBe(0);
      }
    });

    it('filters regional and global packages with !RG and !GL', async () => {
      const regional = (await call('package/list', { locationCode: '!RG' })).body.obj.packageList as any[];
      const global = (await call('package/list', { locationCode: '!GL' })).body.obj.packageList as any[];
      expect(regional.length).toBeGreaterThan(0);
      expect(global.length).toBeGreaterThan(0);
      expect(regional.every((p) => p.location.includes(',') && !p.slug.startsWith('GL-'))).toBe(true);
      expect(global.every((p) => p.slug.startsWith('GL-'))).toBe(true);
    });

    it('filters by a multi-country area code such as NA-3', async () => {
      const list = (await call('package/list', { locationCode: 'NA-3' })).body.obj.packageList as any[];
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((p) => p.location.split(',').sort().join() === 'CA,MX,US')).toBe(true);
    });

    it('filters by packageCode, slug and dataType', async () => {
      const all = (await call('package/list', {})).body.obj.packageList as any[];
      const one = (await call('package/list', { packageCode: all[5].packageCode })).body.obj.packageList as any[];
      expect(one.map((p) => p.packageCode)).toEqual([all[5].packageCode]);
      const bySlug = (await call('package/list', { slug: all[7].slug })).body.obj.packageList as any[];
      expect(bySlug.map((p) => p.packageCode)).toEqual([all[7].packageCode]);
      const dayPasses = (await call('package/list', { dataType: 2 })).body.obj.packageList as any[];
      expect(dayPasses.length).toBeGreaterThan(0);
      expect(dayPasses.every((p) => p.dataType === 2 && p.duration === 1)).toBe(true);
    });

    it('lists top-ups for a package with type TOPUP, and never among base packages', async () => {
      const all = (await call('package/list', { type: 'BASE' })).body.obj.packageList as any[];
      expect(all.some((p) => p.packageCode.startsWith('TOPUP_'))).toBe(false);
      const base = all.find((p) => p.supportTopUpType !== 1);
      const topUps = (await call('package/list', { type: 'TOPUP', packageCode: base.packageCode })).body.obj.packageList as any[];
      expect(topUps.map((p) => p.packageCode)).toEqual([`TOPUP_${base.packageCode}`]);
    });

    it('lists countries and multi-country areas in location/list', async () => {
      const list = (await call('location/list', {})).body.obj.locationList as any[];
      expect(list.filter((l) => l.type === 1).length).toBeGreaterThanOrEqual(40);
      const europe = list.find((l) => l.type === 2 && l.name === 'Europe');
      expect(europe.code).toMatch(/^EU-\d+$/);
      expect(europe.subLocationList.map((s: any) => s.code)).toContain('DE');
    });

    it('normalizes day passes, unlimited plans and regional plans', async () => {
      const plans = await makeAdapter().listPlans();
      const dayPass = plans.find((p) => p.dayPass)!;
      expect(dayPass).toMatchObject({ validityDays: 1, coverage: 'COUNTRY' });
      expect(dayPass.dataBytes! % BYTES_PER_GB).toBe(0);
      expect(plans.find((p) => p.dataBytes === null)).toBeDefined();
      const europe = plans.find((p) => p.coverage === 'REGION' && p.regionName === 'Europe')!;
      expect(europe.countries).toContain('DE');
      expect(europe.networks!.some((n) => n.country === 'GB')).toBe(true);
      expect(plans.find((p) => p.coverage === 'GLOBAL')!.regionName).toBe('Global');
      expect(plans.some((p) => p.code.startsWith('TOPUP_'))).toBe(false);
    });

    it('looks up a batch of plan codes with a single package/list call', async () => {
      const adapter = makeAdapter();
      const plans = await adapter.listPlans();
      await sim.control('reset-stats');
      const found = await adapter.getPlans([plans[10].code, plans[2].code, 'CZZ999', plans[40].code]);
      expect(found.map((p) => p?.code ?? null)).toEqual([plans[10].code, plans[2].code, null, plans[40].code]);
      expect((await sim.stats()).requests).toEqual({ 'POST /api/v1/open/package/list': 1 });
    });

    it('reports the balance held by the simulator exactly, from USD × 10 000', async () => {
      await sim.control('balance', { amount: '1234.5678' });
      expect((await call('balance/query')).body.obj.balance).toBe(12_345_678);
      expect(await makeAdapter().getBalance()).toEqual({ amount: '1234.5678', currency: 'USD' });
    });
  });

  describe('rate limit', () => {
    it('answers HTTP 429 with 900001 beyond 8 requests in one second', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, () => call('balance/query')));
      const refused = results.filter((r) => r.status === 429);
      expect(results.filter((r) => r.body.success).length).toBe(8);
      expect(refused.length).toBe(4);
      expect(refused[0].body).toMatchObject({ success: false, errorCode: '900001', obj: null });
    });

    it('keeps 12 concurrent adapter calls within 8 per second, so none is refused', async () => {
      const adapter = makeAdapter();
      await sim.control('reset-stats');
      const balances = await Promise.all(Array.from({ length: 12 }, () => adapter.getBalance()));
      expect(balances.every((b) => b?.currency === 'USD')).toBe(true);
      const stats = await sim.stats();
      expect(stats.total).toBe(12);
      expect(stats.peakPerSecond).toBeLessThanOrEqual(8);
    });
  });

  describe('error-code table', () => {
    const response = (status: number, json: unknown, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), text: JSON.stringify(json), json });
    const envelope = (errorCode: string | number, success: boolean | string = false) => ({ success, errorCode, errorMsg: 'x', obj: null });

    it('maps 900001 to RATE_LIMITED and 000001 to PROVIDER_UNAVAILABLE, both retryable', () => {
      expect(classifyEsimAccessResponse('esimaccess', response(200, envelope('900001')))).toBeInstanceOf(ProviderRateLimitedError);
      expect(classifyEsimAccessResponse('esimaccess', response(429, envelope('900001'), { 'retry-after': '2' }))).toMatchObject({ retryAfterMs: 2000 });
      expect(classifyEsimAccessResponse('esimaccess', response(500, envelope('000001')))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'SERVER_ERROR' });
    });

    it('maps the header, timestamp, IP and signature codes to PROVIDER_UNAVAILABLE (AUTH)', () => {
      for (const code of ['000101', '000102', '101001', '101002', '101003']) {
        expect(classifyEsimAccessResponse('esimaccess', response(200, envelope(code)))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'AUTH' });
      }
    });

    it('maps 310241 and 310243 to an unknown-package refusal with the provider code', () => {
      for (const code of ['310241', '310243']) {
        const error = classifyEsimAccessResponse('esimaccess', response(200, envelope(code)));
        expect(error).toBeInstanceOf(ProviderRejectedError);
        expect(error).toMatchObject({ providerCode: code });
        expect(isUnknownPackageError(error)).toBe(true);
      }
    });

    it('maps other business codes to PROVIDER_ERROR with the code, never echoing the upstream text', () => {
      const error = classifyEsimAccessResponse('esimaccess', response(200, { success: 'false', errorCode: '200007', errorMessage: 'see http://internal/secret', obj: null }));
      expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: '200007' });
      expect(error!.message).toContain('Insufficient account balance');
      expect(error!.message).not.toContain('http://');
      expect(isUnknownPackageError(error)).toBe(false);
    });

    it('restores leading zeros of a numeric error code', () => {
      expect(classifyEsimAccessResponse('esimaccess', response(200, envelope(1)))).toMatchObject({ reason: 'SERVER_ERROR' });
    });

    it('accepts success as the string "true" and treats a non-envelope answer as unavailable', () => {
      expect(classifyEsimAccessResponse('esimaccess', response(200, { success: 'true', errorCode: null, obj: {} }))).toBeNull();
      expect(classifyEsimAccessResponse('esimaccess', response(200, '<html>'))).toBeInstanceOf(ProviderUnavailableError);
      expect(classifyEsimAccessResponse('esimaccess', response(403, undefined))).toMatchObject({ reason: 'AUTH' });
    });
  });
});
