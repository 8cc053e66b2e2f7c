import { randomUUID } from 'node:crypto';
import { maskUrl } from '../../src/sandbox/shared/webhook-mask';
import { SANDBOX_API_PREFIX } from '../../src/config/provider-config';
import { BYTES_PER_GB } from '../../src/domain/data-units';
import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../src/domain/errors';
import { addDecimal, compareDecimal, fromScaledInteger, subtractDecimal } from '../../src/domain/money';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import {
  classifyEsimAccessResponse,
  createEsimAccessAdapter,
  isUnknownPackageError,
  signEsimAccessRequest,
} from '../../src/providers/esimaccess';
import type { ProviderAdapter, WebhookDelivery } from '../../src/providers/provider-adapter';
import { DEFAULT_UPSTREAM_POLICY } from '../../src/providers/http/upstream-client';
import { createEsimAccessSimulator, type EsimAccessSimulator } from '../../src/sandbox/esimaccess';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { startWebhookReceiver } from '../helpers/webhook-receiver';
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

const createSimulator = (
  options: { orderDelayMs?: number; stockPerPlan?: number; webhookChaos?: number } = {},
): EsimAccessSimulator =>
  createEsimAccessSimulator(
    { orderDelayMs: options.orderDelayMs ?? 0, webhookChaos: options.webhookChaos },
    { stockPerPlan: options.stockPerPlan },
  );

describeConformance({ id: 'esimaccess', createSimulator, createAdapter, webhooks: true });

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
  let simulator: EsimAccessSimulator;
  const adapters: ProviderAdapter[] = [];
  const makeAdapter = (policy: AdapterDeps['policy'] = {}) => {
    const adapter = createAdapter(sim.root, {
      logger: testLogger,
      policy: { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20, ...policy },
    });
    adapters.push(adapter);
    return adapter;
  };

  /** A signed call as the provider's HMAC chapter describes it, with knobs to break it. */
  async function call<T = any>(
    path: string,
    params: object | null = {},
    options: CallOptions = {},
  ): Promise<{ status: number; body: Envelope<T> }> {
    const body = options.body ?? (params === null ? '' : JSON.stringify(params));
    const timestamp = String(options.timestamp ?? Date.now());
    const requestId = randomUUID().replace(/-/g, '');
    const accessCode = options.accessCode ?? CREDENTIALS.accessCode;
    const signature = signEsimAccessRequest(
      options.secretKey ?? CREDENTIALS.secretKey,
      timestamp,
      requestId,
      accessCode,
      body,
    );
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
    simulator = createSimulator();
    sim = await startSimulator(simulator);
  });

  /** The simulator's balance, compared exactly as decimals. */
  const expectBalance = (expected: string) =>
    expect([simulator.control.balance, compareDecimal(simulator.control.balance, expected)]).toEqual([
      simulator.control.balance,
      0,
    ]);
  /** USD × 10 000 integer → decimal string. */
  const usd = (scaled: number) => fromScaledInteger(scaled, 10_000);

  /** Replaces the running simulator with one built with other options. */
  async function restart(options: Parameters<typeof createSimulator>[0]): Promise<void> {
    await sim.close();
    simulator = createSimulator(options);
    sim = await startSimulator(simulator);
  }
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
      const res = await fetch(`${sim.root}/api/v1/open/balance/query`, {
        method: 'POST',
        headers: { 'RT-AccessCode': CREDENTIALS.accessCode },
        body: '',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        success: false,
        errorCode: '000101',
        errorMsg: 'Request header (mandatory) is null',
        obj: null,
      });
    });

    it('answers 101003 for a signature made with the wrong secret', async () => {
      const { status, body } = await call('balance/query', {}, { secretKey: 'not-the-secret-key' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ success: false, errorCode: '101003', obj: null });
    });

    it('answers 101003 for an unknown access code', async () => {
      const { body } = await call(
        'balance/query',
        {},
        { accessCode: 'someone-else', secretKey: CREDENTIALS.secretKey },
      );
      expect(body.errorCode).toBe('101003');
    });

    it('answers 101003 when the body was changed after signing', async () => {
      const timestamp = String(Date.now());
      const requestId = randomUUID();
      const signature = signEsimAccessRequest(
        CREDENTIALS.secretKey,
        timestamp,
        requestId,
        CREDENTIALS.accessCode,
        '{"type":"BASE"}',
      );
      const res = await fetch(`${sim.root}/api/v1/open/package/list`, {
        method: 'POST',
        headers: {
          'RT-AccessCode': CREDENTIALS.accessCode,
          'RT-RequestID': requestId,
          'RT-Timestamp': timestamp,
          'RT-Signature': signature,
        },
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
      expect((await call('balance/query', {}, { timestamp: Math.floor(Date.now() / 1000) })).body.errorCode).toBe(
        '101001',
      );
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
        if (p.dataType === undefined) expect(p.volume % (BYTES_PER_GB / 1024)).toBe(0);
      }
    });

    it('sends only the package fields the document shows: the published example, plus the field table; no dataType on total-data packages', async () => {
      const published = [
        'packageCode',
        'name',
        'price',
        'currencyCode',
        'volume',
        'unusedValidTime',
        'duration',
        'durationUnit',
        'location',
        'description',
        'activeType',
        'favorite',
        'retailPrice',
        'speed',
        'locationNetworkList',
      ];
      const table = ['slug', 'dataType', 'smsStatus', 'supportTopUpType', 'ipExport', 'fupPolicy'];
      const list = (await call('package/list', {})).body.obj.packageList as any[];
      for (const p of list) {
        expect(Object.keys(p).filter((k) => !published.includes(k) && !table.includes(k))).toEqual([]);
        expect(published.filter((k) => !(k in p))).toEqual([]);
        for (const n of p.locationNetworkList)
          expect(Object.keys(n).sort()).toEqual(['locationLogo', 'locationName', 'operatorList']);
      }
      expect(list.filter((p) => p.dataType === undefined).length).toBeGreaterThan(0);
      expect(new Set(list.map((p) => p.dataType))).toEqual(new Set([undefined, 2, 4]));
      expect(list.find((p) => p.location === 'FR').locationNetworkList[0].locationLogo).toBe(
        'https://static.redteago.com/img/logos/FranceFlag.png',
      );
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
      const topUps = (await call('package/list', { type: 'TOPUP', packageCode: base.packageCode })).body.obj
        .packageList as any[];
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
      // Sent without dataType: read as total data.
      expect(plans.find((p) => p.dataBytes !== null && !p.dayPass)).toBeDefined();
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

    it('names regions from location/list, read once for the adapter however many catalog reads follow', async () => {
      const adapter = makeAdapter();
      await sim.control('reset-stats');
      const plans = await adapter.listPlans();
      await adapter.listPlans();
      expect((await sim.stats()).requests).toEqual({
        'POST /api/v1/open/package/list': 2,
        'POST /api/v1/open/location/list': 1,
      });
      const areas = new Map(
        ((await call('location/list', {})).body.obj.locationList as any[])
          .filter((l) => l.type === 2)
          .map((l) => [l.code, l]),
      );
      const packages = new Map(
        ((await call('package/list', {})).body.obj.packageList as any[]).map((p) => [p.packageCode, p]),
      );
      const multi = plans.filter((p) => p.coverage !== 'COUNTRY');
      expect(multi.length).toBeGreaterThan(0);
      for (const plan of multi) {
        const area = areas.get(packages.get(plan.code).slug.split('_')[0]);
        expect([plan.code, plan.regionName, plan.countries]).toEqual([
          plan.code,
          area.name,
          area.subLocationList.map((s: any) => s.code),
        ]);
      }
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
    const response = (status: number, json: unknown, headers: Record<string, string> = {}) => ({
      status,
      headers: new Headers(headers),
      text: JSON.stringify(json),
      json,
    });
    const envelope = (errorCode: string | number, success: boolean | string = false) => ({
      success,
      errorCode,
      errorMsg: 'x',
      obj: null,
    });

    it('maps 900001 to RATE_LIMITED and 000001 to PROVIDER_UNAVAILABLE, both retryable', () => {
      expect(classifyEsimAccessResponse('esimaccess', response(200, envelope('900001')))).toBeInstanceOf(
        ProviderRateLimitedError,
      );
      expect(
        classifyEsimAccessResponse('esimaccess', response(429, envelope('900001'), { 'retry-after': '2' })),
      ).toMatchObject({ retryAfterMs: 2000 });
      expect(classifyEsimAccessResponse('esimaccess', response(500, envelope('000001')))).toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        reason: 'SERVER_ERROR',
      });
    });

    it('maps the header, timestamp, IP and signature codes to PROVIDER_UNAVAILABLE (AUTH)', () => {
      for (const code of ['000101', '000102', '101001', '101002', '101003']) {
        expect(classifyEsimAccessResponse('esimaccess', response(200, envelope(code)))).toMatchObject({
          code: 'PROVIDER_UNAVAILABLE',
          reason: 'AUTH',
        });
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
      const error = classifyEsimAccessResponse(
        'esimaccess',
        response(200, { success: 'false', errorCode: '200007', errorMessage: 'see http://internal/secret', obj: null }),
      );
      expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: '200007' });
      expect(error!.message).toContain('Insufficient account balance');
      expect(error!.message).not.toContain('http://');
      expect(isUnknownPackageError(error)).toBe(false);
    });

    it('restores leading zeros of a numeric error code', () => {
      expect(classifyEsimAccessResponse('esimaccess', response(200, envelope(1)))).toMatchObject({
        reason: 'SERVER_ERROR',
      });
    });

    it('accepts success as the string "true" and treats a non-envelope answer as unavailable', () => {
      expect(
        classifyEsimAccessResponse('esimaccess', response(200, { success: 'true', errorCode: null, obj: {} })),
      ).toBeNull();
      expect(classifyEsimAccessResponse('esimaccess', response(200, '<html>'))).toBeInstanceOf(
        ProviderUnavailableError,
      );
      expect(classifyEsimAccessResponse('esimaccess', response(403, undefined))).toMatchObject({ reason: 'AUTH' });
    });
  });

  describe('ordering wire format', () => {
    const txid = () => `t-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const packages = async (filter: object = {}) => (await call('package/list', filter)).body.obj.packageList as any[];
    const order = (pkg: any, count = 1, transactionId = txid(), extra: object = {}) =>
      call('esim/order', {
        transactionId,
        packageInfoList: [{ packageCode: pkg.packageCode, count, price: pkg.price }],
        ...extra,
      });
    /** A profile as the simulator holds it, once allocated (orderDelayMs 0 allocates at once). */
    const allocated = (transactionId: string) => simulator.inventory.orderByKey(transactionId)!.profiles;

    it('answers orderNo and transactionId; the same transactionId again is the same order, charged once', async () => {
      const [pkg] = await packages({ locationCode: 'FR' });
      const before = simulator.control.balance;
      const transactionId = txid();
      const first = await order(pkg, 1, transactionId);
      expect(first.body).toMatchObject({ success: true, errorCode: '0', obj: { transactionId } });
      expect(first.body.obj.orderNo).toMatch(/^B\d{12}\d+$/);
      const again = await order(pkg, 1, transactionId);
      expect(again.body.obj.orderNo).toBe(first.body.obj.orderNo);
      expect(simulator.inventory.allOrders()).toHaveLength(1);
      expectBalance(subtractDecimal(before, usd(pkg.price)));
      expect((await order(pkg, 2, transactionId)).body).toMatchObject({
        success: false,
        errorCode: '200008',
        obj: null,
      });
    });

    it('checks the unit price (200005) and the total amount (200006) when given', async () => {
      const [pkg] = await packages({ locationCode: 'DE' });
      const before = simulator.control.balance;
      expect(
        (
          await call('esim/order', {
            transactionId: txid(),
            packageInfoList: [{ packageCode: pkg.packageCode, count: 1, price: pkg.price + 1 }],
          })
        ).body.errorCode,
      ).toBe('200005');
      expect((await order(pkg, 2, txid(), { amount: pkg.price * 2 + 1 })).body.errorCode).toBe('200006');
      expect(simulator.control.balance).toBe(before);
      expect((await order(pkg, 2, txid(), { amount: pkg.price * 2 })).body.success).toBe(true);
    });

    it('refuses with its own codes: 200007 balance, 310241 unknown code, 310243 top-up code or unknown slug', async () => {
      const [pkg] = await packages({ locationCode: 'JP' });
      await sim.control('balance', { amount: '0.00' });
      expect((await order(pkg)).body.errorCode).toBe('200007');
      await sim.control('balance', { amount: '100.00' });
      expect((await order({ ...pkg, packageCode: 'CZZ999' })).body.errorCode).toBe('310241');
      expect((await order({ ...pkg, packageCode: `TOPUP_${pkg.packageCode}` })).body.errorCode).toBe('310243');
      expect(
        (await call('esim/order', { transactionId: txid(), packageInfoList: [{ slug: 'XX_1_7', count: 1 }] })).body
          .errorCode,
      ).toBe('310243');
      expect(simulator.inventory.allOrders()).toHaveLength(0);
    });

    it('validates parameters: ≤ 30 profiles, transactionId ≤ 50 chars, packageInfoList mandatory', async () => {
      const [pkg] = await packages({ locationCode: 'IT' });
      expect((await order(pkg, 31)).body.errorCode).toBe('200008');
      expect((await order(pkg, 1, 'x'.repeat(51))).body.errorCode).toBe('000107');
      expect((await call('esim/order', { transactionId: txid() })).body.errorCode).toBe('000105');
      expect(
        (await call('esim/order', { packageInfoList: [{ packageCode: pkg.packageCode, count: 1 }] })).body.errorCode,
      ).toBe('000105');
    });

    it('answers 200011 when the package is out of stock', async () => {
      await restart({ stockPerPlan: 2 });
      const [pkg] = await packages({ locationCode: 'ES' });
      expect((await order(pkg, 3)).body.errorCode).toBe('200011');
      expect((await order(pkg, 2)).body.success).toBe(true);
      expect((await order(pkg, 1)).body.errorCode).toBe('200011');
    });

    it('answers 200010 on esim/query while allocating, then the profile object with its pager', async () => {
      await restart({ orderDelayMs: 100 });
      const [pkg] = await packages({ locationCode: 'FR' });
      const transactionId = txid();
      const { orderNo } = (await order(pkg, 2, transactionId)).body.obj;
      expect((await call('esim/query', { orderNo, pager: { pageNum: 1, pageSize: 20 } })).body.errorCode).toBe(
        '200010',
      );
      await new Promise((r) => setTimeout(r, 150));
      const { body } = await call('esim/query', { orderNo, pager: { pageNum: 1, pageSize: 5 } });
      expect(body.obj.pager).toEqual({ pageSize: 5, pageNum: 1, total: 2 });
      const [profile] = body.obj.esimList as any[];
      expect(profile).toMatchObject({
        orderNo,
        transactionId,
        esimStatus: 'GOT_RESOURCE',
        smdpStatus: 'RELEASED',
        eid: '',
        activateTime: null,
        orderUsage: 0,
        totalVolume: pkg.volume,
        durationUnit: 'DAY',
      });
      expect(profile.iccid).toMatch(/^8985240\d{12}$/);
      expect(profile.esimTranNo).toMatch(/^\d{12}\d+$/);
      expect(profile.ac).toMatch(/^LPA:1\$rsp-eu\.redteamobile\.com\$[0-9A-F]+$/);
      expect(profile.qrCodeUrl).toMatch(/^https:\/\/p\.qrsim\.net\//);
      expect(profile.expiredTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/);
      expect(profile.packageList[0]).toMatchObject({
        packageCode: pkg.packageCode,
        slug: pkg.slug,
        volume: pkg.volume,
        locationCode: 'FR',
      });
    });

    it('refuses esim/query without its pager (000105), with a page size beyond 500 (000107) or an unknown orderNo (310272)', async () => {
      expect((await call('esim/query', { orderNo: 'B1' })).body.errorCode).toBe('000105');
      expect((await call('esim/query', { orderNo: 'B1', pager: { pageNum: 1, pageSize: 600 } })).body.errorCode).toBe(
        '000107',
      );
      expect((await call('esim/query', { orderNo: 'B1', pager: { pageNum: 1, pageSize: 5 } })).body.errorCode).toBe(
        '310272',
      );
      expect(
        (await call('esim/query', { iccid: '8985240000', pager: { pageNum: 1, pageSize: 5 } })).body.obj.esimList,
      ).toEqual([]);
    });

    it('finds an order without its orderNo by time window once allocated, and not before', async () => {
      await restart({ orderDelayMs: 150 });
      const adapter = makeAdapter();
      const [plan] = await adapter.listPlans();
      const reference = txid();
      const placedAt = new Date();
      const placed = await adapter.placeOrder({
        reference,
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
      });
      expect(await adapter.getOrder({ reference, providerOrderId: null, placedAt })).toBeNull();
      await new Promise((r) => setTimeout(r, 200));
      const found = await adapter.getOrder({ reference, providerOrderId: null, placedAt });
      expect(found).toMatchObject({ providerOrderId: placed.providerOrderId, status: 'COMPLETED' });
      expect(found!.profiles).toHaveLength(1);
      const window = {
        startTime: '2000-01-01T00:00+00:00',
        endTime: new Date(Date.now() + 60_000).toISOString().replace('Z', '+0000'),
      };
      const listed = (await call('esim/query', { ...window, pager: { pageNum: 1, pageSize: 5 } })).body.obj
        .esimList as any[];
      expect(listed.map((p) => p.transactionId)).toEqual([reference]);
    });

    it('reads usage of up to 10 esimTranNos in bytes, leaving unknown ones out', async () => {
      const [pkg] = await packages({ locationCode: 'GB' });
      const transactionId = txid();
      await order(pkg, 2, transactionId);
      const [a, b] = allocated(transactionId);
      await sim.control('usage', { iccid: a.iccid, usedBytes: 2048 });
      const { body } = await call('esim/usage/query', { esimTranNoList: [a.handle, 'nope', b.handle] });
      expect(body.obj.esimUsageList).toMatchObject([
        { esimTranNo: a.handle, dataUsage: 2048, totalData: pkg.volume },
        { esimTranNo: b.handle, dataUsage: 0, totalData: pkg.volume },
      ]);
      expect(body.obj.esimUsageList[0].lastUpdateTime).toMatch(/\+0000$/);
      expect(
        (await call('esim/usage/query', { esimTranNoList: Array.from({ length: 11 }, (_, i) => String(i)) })).body
          .errorCode,
      ).toBe('000107');
      expect((await call('esim/usage/query', { esimTranNoList: [] })).body.errorCode).toBe('000106');
    });

    it('counts the new endpoints and holds them to 8 requests per second', async () => {
      await sim.control('reset-stats');
      const results = await Promise.all(
        Array.from({ length: 12 }, () => call('esim/usage/query', { esimTranNoList: ['x'] })),
      );
      expect(results.filter((r) => r.status === 429).map((r) => r.body.errorCode)).toEqual([
        '900001',
        '900001',
        '900001',
        '900001',
      ]);
      expect((await sim.stats()).requests).toEqual({ 'POST /api/v1/open/esim/usage/query': 12 });
    });
  });

  describe('profile lifecycle wire format', () => {
    const txid = () => `t-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const packages = async (filter: object = {}) => (await call('package/list', filter)).body.obj.packageList as any[];
    const orderProfiles = async (pkg: any, count = 1) => {
      const transactionId = txid();
      expect(
        (await call('esim/order', { transactionId, packageInfoList: [{ packageCode: pkg.packageCode, count }] })).body
          .success,
      ).toBe(true);
      return simulator.inventory.orderByKey(transactionId)!.profiles;
    };

    it('maps the (esimStatus, smdpStatus) pair of every state the adapter reads', async () => {
      const adapter = makeAdapter();
      const plan = (await adapter.listPlans()).find((p) => p.dataBytes !== null && p.coverage === 'COUNTRY')!;
      const reference = txid();
      const placed = await adapter.placeOrder({
        reference,
        planCode: plan.code,
        quantity: 8,
        expectedUnitPrice: plan.wholesalePrice,
      });
      const [, installed, inUse, depleted, suspended, revoked, cancelled, expired] = simulator.inventory.order(
        placed.providerOrderId,
      )!.profiles;
      simulator.inventory.install(installed.iccid);
      await sim.control('usage', { iccid: inUse.iccid, usedBytes: 1 });
      await sim.control('usage', { iccid: depleted.iccid, usedBytes: plan.dataBytes });
      simulator.inventory.suspend(suspended.iccid);
      simulator.inventory.revoke(revoked.iccid);
      simulator.inventory.cancel(cancelled.iccid);
      expired.expiresAt = new Date(Date.now() - 1000);
      const read = await adapter.getOrder({ reference, providerOrderId: placed.providerOrderId, placedAt: new Date() });
      expect(read!.profiles.map((p) => [p.rawStatus, p.status, p.device?.state])).toEqual([
        ['GOT_RESOURCE/RELEASED', 'NOT_INSTALLED', 'RELEASED'],
        ['GOT_RESOURCE/ENABLED', 'INSTALLED', 'ENABLED'],
        ['IN_USE/ENABLED', 'ACTIVE', 'ENABLED'],
        ['USED_UP/ENABLED', 'DEPLETED', 'ENABLED'],
        ['SUSPENDED/RELEASED', 'SUSPENDED', 'RELEASED'],
        ['REVOKE/DELETED', 'REVOKED', 'DELETED'],
        ['CANCEL/RELEASED', 'CANCELLED', 'RELEASED'],
        ['UNUSED_EXPIRED/RELEASED', 'EXPIRED', 'RELEASED'],
      ]);
      // The EID appears once a device downloaded the profile.
      expect(read!.profiles[0].device?.eid).toBeNull();
      expect(read!.profiles[1].device?.eid).toMatch(/^\d{32}$/);
    });

    it('cancels only GOT_RESOURCE+RELEASED profiles, refunding them; 200002 otherwise, 310403 unknown', async () => {
      const [pkg] = await packages({ locationCode: 'FR' });
      const [installed, fresh] = await orderProfiles(pkg, 2);
      simulator.inventory.install(installed.iccid);
      const adapter = makeAdapter();
      const error = await adapter.supports.CANCEL!({
        iccid: installed.iccid,
        providerProfileId: installed.handle,
      }).catch((e) => e);
      expect(error).toMatchObject({ providerCode: '200002' });
      const before = simulator.control.balance;
      expect((await call('esim/cancel', { esimTranNo: fresh.handle })).body).toEqual({
        success: true,
        errorCode: '0',
        errorMsg: null,
        obj: {},
      });
      expectBalance(addDecimal(before, usd(pkg.price)));
      expect((await call('esim/cancel', { esimTranNo: 'no-such-profile' })).body.errorCode).toBe('310403');
      expect((await call('esim/unsuspend', { iccid: fresh.iccid })).body.errorCode).toBe('200002');
    });

    it('retries esim/order, keyed by transactionId, through a flaky provider but sends keyless actions once', async () => {
      const adapter = makeAdapter();
      await sim.control('fault', { mode: 'flaky', errorRate: 1 });
      await sim.control('reset-stats');
      await expect(
        adapter.placeOrder({
          reference: txid(),
          planCode: 'CFR001',
          quantity: 1,
          expectedUnitPrice: { amount: '1', currency: 'USD' },
        }),
      ).rejects.toBeDefined();
      await expect(adapter.supports.SUSPEND!({ iccid: '8985240', providerProfileId: '1' })).rejects.toBeDefined();
      const { requests } = await sim.stats();
      expect(requests['POST /api/v1/open/esim/order']).toBe(DEFAULT_UPSTREAM_POLICY.maxAttempts);
      expect(requests['POST /api/v1/open/esim/suspend']).toBe(1);
    });

    it('lists the top-ups of the profile’s own package by iccid and tops up once per transactionId', async () => {
      const base = (await packages({ locationCode: '!RG' })).find(
        (p) => p.supportTopUpType === 2 && p.dataType === undefined,
      );
      const [profile] = await orderProfiles(base);
      const topUps = (await call('package/list', { type: 'TOPUP', iccid: profile.iccid })).body.obj
        .packageList as any[];
      expect(topUps.map((p) => p.packageCode)).toEqual([`TOPUP_${base.packageCode}`]);
      const before = simulator.control.balance;
      const request = {
        esimTranNo: profile.handle,
        packageCode: topUps[0].packageCode,
        transactionId: txid(),
        amount: String(topUps[0].price),
      };
      const first = await call('esim/topup', request);
      const again = await call('esim/topup', request);
      expect(first.body.obj).toMatchObject({
        transactionId: request.transactionId,
        iccid: profile.iccid,
        totalVolume: base.volume * 2,
      });
      expect(first.body.obj.expiredTime).toMatch(/\+0000$/);
      expect(again.body.obj.topUpEsimTranNo).toBe(first.body.obj.topUpEsimTranNo);
      expectBalance(subtractDecimal(before, usd(topUps[0].price)));
      expect((await call('esim/topup', { ...request, transactionId: txid(), amount: '1' })).body.errorCode).toBe(
        '200006',
      );
      expect(
        (await call('esim/topup', { ...request, transactionId: txid(), packageCode: 'TOPUP_CZZ999' })).body.errorCode,
      ).toBe('310241');
    });

    it('refuses a top-up of another package with 310243 and lists none for an unknown iccid', async () => {
      const [pkg, other] = (await packages({ locationCode: 'FR' })).filter((p) => p.supportTopUpType === 2);
      const [profile] = await orderProfiles(pkg);
      const body = { esimTranNo: profile.handle, packageCode: `TOPUP_${other.packageCode}`, transactionId: txid() };
      expect((await call('esim/topup', body)).body.errorCode).toBe('310243');
      expect(
        (await call('package/list', { type: 'TOPUP', iccid: '8985240000000000000' })).body.obj.packageList,
      ).toEqual([]);
    });

    it('sends SMS of ≤ 500 characters, only where the package allows API SMS', async () => {
      const regional = (await packages({ locationCode: '!RG' }))[0];
      const country = (await packages({ locationCode: 'FR' })).find((p) => p.smsStatus !== 0);
      const [silent] = await orderProfiles(regional);
      const [texting] = await orderProfiles(country);
      expect((await call('esim/sendSms', { esimTranNo: silent.handle, message: 'hi' })).body.errorCode).toBe('200002');
      expect(
        (await call('esim/sendSms', { esimTranNo: texting.handle, message: 'x'.repeat(501) })).body.errorCode,
      ).toBe('000107');
      expect((await call('esim/sendSms', { esimTranNo: texting.handle, message: 'Welcome' })).body.success).toBe(true);
      expect(texting.sms).toEqual(['Welcome']);
    });
  });

  describe('webhooks wire format', () => {
    const secret = 'ea-webhook-secret-0123456789';
    const receivers: Receiver[] = [];
    const receiver = async (status = 200) => {
      const started = await startReceiver(status);
      receivers.push(started);
      return started;
    };
    // Counting deliveries needs a sender without duplicates or late ones.
    beforeEach(() => restart({ webhookChaos: 0 }));
    afterEach(async () => {
      jest.restoreAllMocks();
      await Promise.all(receivers.splice(0).map((r) => r.close()));
    });

    /** Registers a fresh receiver through the adapter, as the gateway does at boot. */
    async function registered(): Promise<{ adapter: ProviderAdapter; hook: Receiver }> {
      const adapter = makeAdapter();
      const hook = await receiver();
      await adapter.supports.WEBHOOKS!.register!({ url: `${hook.url}?token=${secret}`, secret });
      return { adapter, hook };
    }
    async function orderOne(adapter: ProviderAdapter, dataPlan = true) {
      const plan = (await adapter.listPlans()).find((p) => (p.dataBytes !== null) === dataPlan && !p.dayPass)!;
      const reference = `w-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
      const placed = await adapter.placeOrder({
        reference,
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
      });
      const [profile] = simulator.inventory.order(placed.providerOrderId)!.profiles;
      return { plan, reference, placed, profile, ref: { iccid: profile.iccid, providerProfileId: profile.handle } };
    }
    const secrets = { secret, signingSecret: null };

    it('saves the URL with webhook/save { webhook }, after a CHECK_HEALTH test delivery; webhook/query reads it back', async () => {
      expect((await call('webhook/query')).body.obj).toEqual({ webhook: null });
      await sim.control('reset-stats');
      const { adapter, hook } = await registered();
      expect((await sim.stats()).requests).toEqual({ 'POST /api/v1/open/webhook/save': 1 });
      // Delivered before `register` resolved: the provider saves only a URL that answered.
      expect(hook.deliveries).toHaveLength(1);
      const [check] = hook.deliveries;
      expect(JSON.parse(check.rawBody)).toEqual({
        notifyType: 'CHECK_HEALTH',
        notifyId: expect.stringMatching(/^[0-9a-f]{32}$/),
        eventGenerateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        content: { orderNo: '1234567890', orderStatus: 'Test' },
      });
      expect(check.query).toEqual({ token: secret });
      expect(Object.keys(check.headers).filter((h) => /signature|^rt-/.test(h))).toEqual([]);
      expect(adapter.supports.WEBHOOKS!.verify(check, secrets)).toBe(true);
      expect(adapter.supports.WEBHOOKS!.parse(check)).toEqual([]);
      // The token is masked in the answer (the sandbox shows no credential).
      expect((await call('webhook/query')).body.obj).toEqual({ webhook: maskUrl(`${hook.url}?token=${secret}`) });
    });

    it('refuses a URL whose CHECK_HEALTH test fails with 000108, keeping the saved one; 000105 / 000107 for a missing or non-HTTP URL', async () => {
      const { adapter, hook } = await registered();
      const failing = await receiver(500);
      const closed = await receiver();
      await closed.close();
      for (const url of [failing.url, closed.url]) {
        const error = await adapter.supports.WEBHOOKS!.register!({ url, secret }).catch((e) => e);
        expect(error).toBeInstanceOf(ProviderRejectedError);
        expect(error).toMatchObject({ providerCode: '000108' });
      }
      expect(failing.deliveries.map((d) => JSON.parse(d.rawBody).notifyType)).toEqual(['CHECK_HEALTH']);
      expect((await call('webhook/query')).body.obj.webhook).toBe(maskUrl(`${hook.url}?token=${secret}`));
      expect((await call('webhook/save', { url: hook.url })).body.errorCode).toBe('000105');
      expect((await call('webhook/save', { webhook: '' })).body.errorCode).toBe('000106');
      expect((await call('webhook/save', { webhook: 'ftp://example.test/hook' })).body.errorCode).toBe('000107');
    });

    it('notifies ORDER_STATUS on allocation: orderNo, GOT_RESOURCE and our transactionId, no ICCID', async () => {
      const { adapter, hook } = await registered();
      const { reference, placed } = await orderOne(adapter);
      const [delivery] = await hook.until('ORDER_STATUS');
      expect(JSON.parse(delivery.rawBody).content).toEqual({
        orderNo: placed.providerOrderId,
        orderStatus: 'GOT_RESOURCE',
        transactionId: reference,
      });
      expect(adapter.supports.WEBHOOKS!.parse(delivery)).toEqual([
        expect.objectContaining({
          kind: 'ORDER',
          reference,
          providerOrderId: placed.providerOrderId,
          rawStatus: 'GOT_RESOURCE',
        }),
      ]);
    });

    it('notifies an install as SMDP_EVENT DOWNLOAD → INSTALLATION → ENABLED, read as DEVICE events that never touch the plan status', async () => {
      const { adapter, hook } = await registered();
      const { profile, reference } = await orderOne(adapter);
      await sim.control('install', { iccid: profile.iccid });
      const steps = (await hook.until('SMDP_EVENT', 3))
        .map((d) => JSON.parse(d.rawBody).content)
        .sort((a, b) => a.seqNumber - b.seqNumber);
      expect(steps.map((c) => [c.esimStatus, c.smdpStatus, c.notifyStatus])).toEqual([
        ['GOT_RESOURCE', 'DOWNLOAD', null],
        ['GOT_RESOURCE', 'INSTALLATION', null],
        ['GOT_RESOURCE', 'ENABLED', 'Executed-Success'],
      ]);
      expect(steps[0]).toMatchObject({
        iccid: profile.iccid,
        esimTranNo: profile.handle,
        orderNo: profile.orderId,
        transactionId: reference,
        eid: expect.stringMatching(/^\d{32}$/),
      });
      expect(steps[0].timestamp).toMatch(/Z$/);
      const events = (await hook.until('SMDP_EVENT', 3))
        .flatMap((d) => adapter.supports.WEBHOOKS!.parse(d))
        .sort((a, b) => a.occurredAt!.localeCompare(b.occurredAt!));
      expect(events.map((e) => [e.kind, e.providerProfileId, e.device?.eid, 'status' in e])).toEqual(
        Array(3).fill(['DEVICE', profile.handle, steps[0].eid, false]),
      );
      expect(events.map((e) => e.device?.state).sort()).toEqual(['DOWNLOADED', 'ENABLED', 'INSTALLED']);
      expect(hook.of('ESIM_STATUS')).toEqual([]);
    });

    it('delivers EVERY usage change as DATA_USAGE in bytes, with ESIM_STATUS on first use and depletion', async () => {
      const { adapter, hook } = await registered();
      const { profile, plan } = await orderOne(adapter);
      const total = plan.dataBytes!;
      for (const usedBytes of [2_097_152, 3_145_728, total - Math.floor(total / 20), total])
        await sim.control('usage', { iccid: profile.iccid, usedBytes });
      const usage = (await hook.until('DATA_USAGE', 4))
        .map((d) => JSON.parse(d.rawBody).content)
        .sort((a, b) => a.orderUsage - b.orderUsage);
      expect(usage.map((c) => [c.orderUsage, c.totalVolume, c.remain, c.remainThreshold])).toEqual([
        [2_097_152, total, total - 2_097_152, null],
        [3_145_728, total, total - 3_145_728, null],
        [total - Math.floor(total / 20), total, Math.floor(total / 20), 0.1],
        [total, total, 0, 0.1],
      ]);
      expect(usage[0]).toMatchObject({
        iccid: profile.iccid,
        esimTranNo: profile.handle,
        lastUpdateTime: expect.stringMatching(/Z$/),
      });
      const statuses = (await hook.until('ESIM_STATUS', 2)).map((d) => JSON.parse(d.rawBody).content);
      expect(statuses.map((c) => `${c.esimStatus}/${c.smdpStatus}`).sort()).toEqual([
        'IN_USE/ENABLED',
        'USED_UP/ENABLED',
      ]);
      const parsed = hook
        .of('DATA_USAGE')
        .flatMap((d) => adapter.supports.WEBHOOKS!.parse(d))
        .sort((a, b) => a.usage!.usedBytes - b.usage!.usedBytes);
      expect(parsed.map((e) => [e.usage?.usedBytes, e.remainingThreshold])).toEqual([
        [2_097_152, null],
        [3_145_728, null],
        [total - Math.floor(total / 20), 0.1],
        [total, 0.1],
      ]);
    });

    it('notifies VALIDITY_USAGE once about a day of validity is left, read as EXPIRY with the profile expiry', async () => {
      const { adapter, hook } = await registered();
      const { profile, ref } = await orderOne(adapter);
      await sim.control('usage', { iccid: profile.iccid, usedBytes: 1_048_576 });
      await hook.until('DATA_USAGE');
      // Validity runs from first use (days away here): nothing yet.
      expect(hook.of('VALIDITY_USAGE')).toEqual([]);
      simulator.inventory.profile(profile.iccid)!.expiresAt = new Date(Date.now() + 6 * 3600_000);
      await sim.control('usage', { iccid: profile.iccid, usedBytes: 2_097_152 });
      await sim.control('usage', { iccid: profile.iccid, usedBytes: 3_145_728 });
      const [delivery] = await hook.until('VALIDITY_USAGE');
      const content = JSON.parse(delivery.rawBody).content;
      expect(Object.keys(content)).toEqual([
        'iccid',
        'orderNo',
        'esimTranNo',
        'transactionId',
        'remain',
        'totalDuration',
        'durationUnit',
        'expiredTime',
      ]);
      expect(content).toMatchObject({
        iccid: profile.iccid,
        esimTranNo: profile.handle,
        remain: 1,
        durationUnit: 'DAY',
        expiredTime: expect.stringMatching(/Z$/),
      });
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery);
      const [read] = await adapter.getProfiles([ref]);
      expect(event).toMatchObject({ kind: 'EXPIRY', providerProfileId: profile.handle, iccid: profile.iccid });
      expect(event.expiresAt).toBe(read!.expiresAt);
      // One warning per expiry: the later usage change did not repeat it.
      expect(hook.of('VALIDITY_USAGE')).toHaveLength(1);
    });

    it('notifies suspend, resume, revoke and a reviving top-up as ESIM_STATUS (REVOKED spelling), never ORDER_STATUS for a top-up', async () => {
      const { adapter, hook } = await registered();
      const first = await orderOne(adapter);
      await adapter.supports.SUSPEND!(first.ref);
      await adapter.supports.RESUME!(first.ref);
      await adapter.supports.REVOKE!(first.ref);
      const words = (await hook.until('ESIM_STATUS', 3))
        .map((d) => adapter.supports.WEBHOOKS!.parse(d)[0])
        .map((e) => [e.rawStatus, e.status]);
      expect(words).toEqual(
        expect.arrayContaining([
          ['SUSPENDED/RELEASED', 'SUSPENDED'],
          ['GOT_RESOURCE/RELEASED', 'NOT_INSTALLED'],
          ['REVOKED/DELETED', 'REVOKED'],
        ]),
      );
      const second = await orderOne(adapter);
      await sim.control('usage', { iccid: second.profile.iccid, usedBytes: second.plan.dataBytes });
      // All data at once: activated and depleted by one change, so one ESIM_STATUS (USED_UP).
      await hook.until('ESIM_STATUS', 4);
      const [topUp] = await adapter.supports.TOP_UP!.list(second.ref);
      await adapter.supports.TOP_UP!.buy({
        reference: `u-${randomUUID().slice(0, 8)}`,
        profile: second.ref,
        planCode: topUp.code,
        expectedPrice: topUp.wholesalePrice,
      });
      const secondWords = (await hook.until('ESIM_STATUS', 5))
        .map((d) => JSON.parse(d.rawBody).content)
        .filter((c) => c.iccid === second.profile.iccid);
      expect(secondWords.map((c) => c.esimStatus)).toEqual(['USED_UP', 'IN_USE']);
      expect(hook.of('ORDER_STATUS')).toHaveLength(2);
    });

    it('authenticates by the token of the URL only: wrong or missing token refused; the unsigned body is not protected', async () => {
      const { adapter, hook } = await registered();
      await orderOne(adapter);
      const [real] = await hook.until('ORDER_STATUS');
      expect(adapter.supports.WEBHOOKS!.verify(real, secrets)).toBe(true);
      expect(adapter.supports.WEBHOOKS!.verify({ ...real, query: { token: 'guess' } }, secrets)).toBe(false);
      expect(adapter.supports.WEBHOOKS!.verify({ ...real, query: {} }, secrets)).toBe(false);
      expect(adapter.supports.WEBHOOKS!.verify(real, { secret: 'rotated-secret', signingSecret: null })).toBe(false);
      // No signature exists to check: an edited body with the token still verifies (README, "Webhooks").
      expect(
        adapter.supports.WEBHOOKS!.verify(
          { ...real, rawBody: real.rawBody.replace('GOT_RESOURCE', 'FAILED') },
          secrets,
        ),
      ).toBe(true);
    });

    it('repeats a duplicated notification byte for byte, so both deliveries give one eventId', async () => {
      await restart({ webhookChaos: 1 });
      const { adapter, hook } = await registered();
      // Every roll below chaos / 2: the sender sends each notification twice.
      jest.spyOn(Math, 'random').mockReturnValue(0);
      await orderOne(adapter);
      const twice = await hook.until('ORDER_STATUS', 2);
      expect(twice[1].rawBody).toBe(twice[0].rawBody);
      const ids = new Set(twice.flatMap((d) => adapter.supports.WEBHOOKS!.parse(d)).map((e) => e.eventId));
      expect([...ids]).toEqual([JSON.parse(twice[0].rawBody).notifyId]);
    });
  });
});

interface Receiver {
  readonly url: string;
  readonly deliveries: WebhookDelivery[];
  /** Deliveries of one notifyType, in arrival order. */
  of(notifyType: string): WebhookDelivery[];
  /** Waits (≤ 2 s) until at least `count` deliveries of that type arrived. */
  until(notifyType: string, count?: number): Promise<WebhookDelivery[]>;
  close(): Promise<void>;
}

/** The shared receiver, at `/webhooks/esimaccess`, with lookups by notifyType. */
async function startReceiver(status: number): Promise<Receiver> {
  const receiver = await startWebhookReceiver({ status });
  const of = (notifyType: string) => receiver.deliveries.filter((d) => JSON.parse(d.rawBody).notifyType === notifyType);
  let closed = false;
  return {
    url: `${receiver.url}/webhooks/esimaccess`,
    deliveries: receiver.deliveries,
    of,
    async until(notifyType, count = 1) {
      for (let i = 0; i < 100 && of(notifyType).length < count; i++) await new Promise((r) => setTimeout(r, 20));
      expect(of(notifyType).length).toBeGreaterThanOrEqual(count);
      return of(notifyType);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await receiver.close();
    },
  };
}
