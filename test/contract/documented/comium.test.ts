import { BYTES_PER_GB, BYTES_PER_MB } from '../../../src/domain/data-units';
import { createComiumAdapter } from '../../../src/providers/comium';
import type { ProviderAdapter } from '../../../src/providers/provider-adapter';
import pino from 'pino';
import { BadUserInputError } from '../../../src/domain/errors';
import {
  DOCUMENTED_POLICY,
  fixture,
  startDocumentedStub,
  type DocumentedRoute,
  type DocumentedStub,
} from '../../helpers/documented-stub';
import { testLogger } from '../../helpers/logger';

// Comium driven whole against the bodies of seed 002's field tables (provenance: test/fixtures/documented/comium/SOURCES.md).
const ID = 'comium';
/** "Server path in spec: /api/v1" (seed 002, Base URL & Authentication). */
const API = '/api/v1';
/** The Base URL row: https://resellerapi.comium.gm/api/v0 (the live default). */
const API_V0 = '/api/v0';
/** `POST /Bundle` requires email and name (seed 002); the example's own values. */
const CUSTOMER = { email: 'client@hotmail.com', name: 'John Wick' };

/**
 * The document gives `/Bundles` and `/Orders` answers per ITEM only; the list envelope is not
 * documented. This wraps documented items in the adapter's own ASSUMED envelope, so the test reads
 * the documented item fields and nothing else of ours.
 */
const assumedPage = (items: readonly unknown[]) => ({
  data: items,
  page_number: 1,
  page_size: 100,
  total_count: items.length,
});

const SALE = fixture(ID, 'bundle-sale');
const ITEM = fixture(ID, 'orders-item');
const BUNDLE = fixture(ID, 'bundles-item');
const CONSUMPTION = fixture(ID, 'profile-consumption');
/** Our reference: the documented order item's `order_reference`. */
const REFERENCE: string = ITEM.order_reference;
const PROFILE_REF = { iccid: CONSUMPTION.iccid as string, providerProfileId: CONSUMPTION.iccid as string };

/**
 * `bundle_category` is a request filter (seed 002's own example: `GET /Bundles?country_code=FRA&
 * bundle_category=country`): the documented US bundle is listed under `country` (and unfiltered
 * asks), a documented-shape regional item under `region`, nothing under the others.
 */
const REGIONAL = {
  ...BUNDLE,
  bundle_code: 'EUR5GB_1029384756',
  bundle_name: 'EUR5GB',
  bundle_marketing_name: 'Europe 5GB 30 Days',
  country_name: 'Europe',
  region_name: 'Europe',
  data_quota: 'unlimited',
};
const byCategory = (category: string | undefined) => (call: { query: Readonly<Record<string, string>> }) =>
  call.query.bundle_category === category;

function routes(ordersSequence: readonly unknown[], api = API, sale: unknown = SALE): DocumentedRoute[] {
  return [
    { method: 'POST', path: `${api}/Agent/login`, body: fixture(ID, 'agent-login') },
    { method: 'POST', path: `${API}/Token/Refresh`, body: fixture(ID, 'token-refresh') },
    {
      method: 'GET',
      path: `${API}/Bundles`,
      when: (c) => byCategory('country')(c) || byCategory(undefined)(c),
      body: assumedPage([BUNDLE]),
    },
    { method: 'GET', path: `${API}/Bundles`, when: byCategory('region'), body: assumedPage([REGIONAL]) },
    { method: 'GET', path: `${API}/Bundles`, body: assumedPage([]) },
    // Per network item; served as a bare list (the client accepts it; no envelope is documented).
    { method: 'GET', path: `${API}/Bundles/Networks`, body: [fixture(ID, 'bundles-networks-item')] },
    { method: 'POST', path: `${API}/Bundle`, body: sale },
    { method: 'GET', path: `${API}/Orders`, sequence: ordersSequence },
    { method: 'GET', path: `${API}/Profile/Consumption`, body: CONSUMPTION },
  ];
}

describe('Comium against its documented bodies', () => {
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;

  async function start(
    ordersSequence: readonly unknown[] = [assumedPage([ITEM])],
    configured = API,
    logger = testLogger,
    sale: unknown = SALE,
  ): Promise<void> {
    stub = await startDocumentedStub(routes(ordersSequence, API, sale));
    adapter = createComiumAdapter(
      {
        baseUrl: stub.url + configured,
        sandbox: false,
        username: 'your_reseller_username',
        password: 'YourStrongPassword1!',
      },
      { logger, policy: DOCUMENTED_POLICY },
    );
  }

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  describe('session', () => {
    beforeEach(() => start());

    it('logs in with username and password and sends the documented Access-Token header', async () => {
      await adapter.listPlans();
      expect(stub.callsTo('POST', `${API}/Agent/login`).map((c) => c.body)).toEqual([
        { username: 'your_reseller_username', password: 'YourStrongPassword1!' },
      ]);
      const [bundles] = stub.callsTo('GET', `${API}/Bundles`);
      expect(bundles.headers['access-token']).toBe('documented-access-token-1');
    });

    it('asks only for STANDARD bundles while the documented flag show_global_esim_bundles is false', async () => {
      await adapter.listPlans();
      const asked = stub.callsTo('GET', `${API}/Bundles`).map((c) => c.query.profile_type);
      expect(asked.length).toBeGreaterThan(0);
      expect(new Set(asked)).toEqual(new Set(['STANDARD']));
    });
  });

  describe('base path (the Base URL row says /api/v0, the spec server path /api/v1)', () => {
    it('on a 404 at login under /api/v0 tries /api/v1 once, says so at warn, and keeps /api/v1', async () => {
      const warnings: any[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
      // The stub serves only /api/v1: the configured /api/v0 answers 404.
      await start(undefined, API_V0, logger);
      const plans = await adapter.listPlans();
      expect(plans.map((p) => p.code)).toContain(BUNDLE.bundle_code);
      expect(stub.callsTo('POST', `${API_V0}/Agent/login`)).toHaveLength(1);
      expect(stub.callsTo('POST', `${API}/Agent/login`)).toHaveLength(1);
      expect(stub.calls.filter((c) => c.path.startsWith(API_V0) && !c.path.endsWith('/Agent/login'))).toEqual([]);
      expect(warnings).toContainEqual(
        expect.objectContaining({ provider: ID, msg: `Comium answered 404 at ${API_V0}/Agent/login; using ${API}` }),
      );
      await adapter.getUsage([PROFILE_REF]);
      expect(stub.unmatched()).toHaveLength(1);
    });

    it('uses the configured prefix at once when it answers', async () => {
      await start();
      await adapter.listPlans();
      expect(stub.calls.every((c) => c.path.startsWith(API))).toBe(true);
      expect(stub.unmatched()).toEqual([]);
    });

    it('fails with AUTH, not a loop, when neither prefix answers the login', async () => {
      await start(undefined, '/api/v2');
      await expect(adapter.listPlans()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    });
  });

  describe('catalog', () => {
    beforeEach(() => start());

    it('reads a bundle with exactly the documented item fields: coverage from the bundle_category it asked, the country from country_name, MB → bytes', async () => {
      const plans = await adapter.listPlans();
      expect(plans).toHaveLength(2);
      const plan = plans.find((p) => p.code === BUNDLE.bundle_code)!;
      expect(plan.code).toBe(BUNDLE.bundle_code);
      expect(plan.dataBytes).toBe(3 * BYTES_PER_GB);
      expect(plan.validityDays).toBe(30);
      expect(plan.wholesalePrice).toEqual({ amount: '9.5', currency: 'USD' });
      expect(plan.coverage).toBe('COUNTRY');
      expect(plan.countries).toEqual(['US']);
      expect(plan.regionName).toBeNull();
      expect(plan.topUpSupported).toBe(true);
      expect(plan.profileType).toBe('STANDARD');
      expect([plan.voiceMinutes, plan.smsCount]).toEqual([null, null]);
    });

    it('reads a regional item listed under bundle_category=region as REGION, named by region_name, with no countries (none documented) and the unlimited flag as null bytes; says so once', async () => {
      await adapter.dispose();
      await stub.close();
      const warnings: any[] = [];
      await start(
        undefined,
        API,
        pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) }),
      );
      await adapter.listPlans();
      const plan = (await adapter.listPlans()).find((p) => p.code === REGIONAL.bundle_code);
      expect(plan).toMatchObject({ coverage: 'REGION', regionName: 'Europe', countries: [], dataBytes: null });
      expect(warnings.filter((w) => w.field === 'countries')).toHaveLength(1);
    });

    it('asks GET /Bundles once per documented bundle_category (the item names none)', async () => {
      await adapter.listPlans();
      const asked = stub.callsTo('GET', `${API}/Bundles`).map((c) => c.query.bundle_category);
      expect([...asked].sort()).toEqual(['country', 'cruise', 'global', 'region']);
    });

    it('getPlans finds a documented bundle by its bundle_code', async () => {
      const [plan] = await adapter.getPlans([BUNDLE.bundle_code]);
      expect(plan?.code).toBe(BUNDLE.bundle_code);
    });

    it('reads the documented network item, its ISO-3 country_code answered as alpha-2', async () => {
      const [networks] = await adapter.getNetworks!([BUNDLE.bundle_code]);
      expect(networks).toEqual([{ country: 'US', operator: 'T-Mobile', speed: '5G' }]);
    });

    it('asks /Bundles/Networks by bundle_code', async () => {
      await adapter.getNetworks!([BUNDLE.bundle_code]).catch(() => undefined);
      expect(stub.callsTo('GET', `${API}/Bundles/Networks`)[0].query).toEqual({ bundle_code: BUNDLE.bundle_code });
    });

    it('answers no balance (no balance endpoint is documented)', async () => {
      await expect(adapter.getBalance()).resolves.toBeNull();
    });
  });

  describe('ordering', () => {
    it('sells through POST /Bundle with the documented request fields: the customer’s email and name, our reference as order_reference', async () => {
      await start([assumedPage([]), assumedPage([{ ...ITEM, order_reference: 'ref-1' }])]);
      await adapter.placeOrder({
        reference: 'ref-1',
        planCode: BUNDLE.bundle_code,
        quantity: 1,
        expectedUnitPrice: { amount: '9.5', currency: 'USD' },
        customer: CUSTOMER,
      });
      const [sale] = stub.callsTo('POST', `${API}/Bundle`);
      expect(sale.body).toEqual({ bundle_code: BUNDLE.bundle_code, order_reference: 'ref-1', ...CUSTOMER });
    });

    it.each([
      ['no customer', undefined],
      ['no email', { name: 'John Wick' }],
      ['a blank name', { email: 'client@hotmail.com', name: '  ' }],
    ])('refuses an order with %s before any upstream call (BAD_USER_INPUT)', async (_case, customer) => {
      await start();
      const error = await adapter
        .placeOrder({
          reference: 'ref-2',
          planCode: BUNDLE.bundle_code,
          quantity: 1,
          expectedUnitPrice: { amount: '9.5', currency: 'USD' },
          customer,
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(BadUserInputError);
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(stub.calls).toEqual([]);
    });

    it('reads the sale answer (order_id, iccid, no activation fields) as COMPLETED with that ICCID and null activation: Comium e-mails the eSIM', async () => {
      // The document prints `"iccid": "iccid"`; a real answer carries the ICCID the same document's order item shows.
      await start([assumedPage([])], API, testLogger, { ...SALE, iccid: ITEM.iccid });
      const order = await adapter.placeOrder({
        reference: 'ORDER-10001',
        planCode: BUNDLE.bundle_code,
        quantity: 1,
        expectedUnitPrice: { amount: '9.5', currency: 'USD' },
        customer: CUSTOMER,
      });
      expect(order.providerOrderId).toBe(SALE.order_id);
      expect(order.status).toBe('COMPLETED');
      expect(order.profiles).toEqual([
        {
          iccid: ITEM.iccid,
          providerProfileId: ITEM.iccid,
          rawStatus: 'success',
          status: 'NOT_INSTALLED',
          smdpAddress: null,
          matchingId: null,
          qrCodeUrl: null,
          expiresAt: null,
        },
      ]);
      // The answer itself completes the order: no read-back of /Orders after the sale.
      expect(stub.callsTo('GET', `${API}/Orders`)).toHaveLength(1);
    });

    it('reads the sale answer exactly as published (the placeholder "iccid") as PROCESSING, never as a profile named "iccid"; /Orders then completes it', async () => {
      await start([assumedPage([]), assumedPage([ITEM])]);
      const order = await adapter.placeOrder({
        reference: 'ORDER-10001',
        planCode: BUNDLE.bundle_code,
        quantity: 1,
        expectedUnitPrice: { amount: '9.5', currency: 'USD' },
        customer: CUSTOMER,
      });
      expect(order).toMatchObject({ providerOrderId: SALE.order_id, status: 'PROCESSING', profiles: [] });
      const later = await adapter.getOrder({
        reference: REFERENCE,
        providerOrderId: SALE.order_id,
        placedAt: new Date(),
      });
      expect(later).toMatchObject({ status: 'COMPLETED', profiles: [{ iccid: ITEM.iccid }] });
    });

    it('reads a documented order item (status "success", iccid) as COMPLETED with that ICCID, its expiry and null activation', async () => {
      await start();
      const order = await adapter.getOrder({
        reference: REFERENCE,
        providerOrderId: ITEM.order_id,
        placedAt: new Date(),
      });
      expect(order?.status).toBe('COMPLETED');
      expect(order?.profiles).toEqual([
        {
          iccid: ITEM.iccid,
          providerProfileId: ITEM.iccid,
          rawStatus: 'success',
          status: 'NOT_INSTALLED',
          smdpAddress: null,
          matchingId: null,
          qrCodeUrl: null,
          expiresAt: '2025-07-01T10:00:00.000Z',
        },
      ]);
    });

    it.each([
      ['pending', 'PROCESSING'],
      ['failed', 'FAILED'],
    ])('reads a documented order item with status "%s" as %s', async (word, status) => {
      await start([assumedPage([{ ...ITEM, status: word }])]);
      const order = await adapter.getOrder({
        reference: REFERENCE,
        providerOrderId: ITEM.order_id,
        placedAt: new Date(),
      });
      expect(order).toMatchObject({ providerOrderId: ITEM.order_id, status, profiles: [] });
    });

    it('finds the order by order_reference in GET /Orders', async () => {
      await start();
      const order = await adapter.getOrder({
        reference: REFERENCE,
        providerOrderId: ITEM.order_id,
        placedAt: new Date(),
      });
      expect(order?.providerOrderId).toBe(ITEM.order_id);
      expect(stub.callsTo('GET', `${API}/Orders`)[0].query).toMatchObject({ order_reference: REFERENCE });
    });
  });

  describe('profiles and usage', () => {
    beforeEach(() => start());

    it('reads the documented consumption body (no installation details) as the profile: its ICCID, ACTIVE, the expiry, the eSIM state as the device, activation null', async () => {
      const [profile] = await adapter.getProfiles([PROFILE_REF]);
      expect(profile).toEqual({
        iccid: PROFILE_REF.iccid,
        providerProfileId: PROFILE_REF.iccid,
        rawStatus: 'active/active',
        status: 'ACTIVE',
        smdpAddress: null,
        matchingId: null,
        qrCodeUrl: null,
        expiresAt: '2025-07-01T10:00:00.000Z',
        device: { state: 'ENABLED', rawState: 'active' },
      });
    });

    it('reads usage in bytes from orders_balances (MB, 1 GB = 1024 MB), and the remaining calls and SMS', async () => {
      const [usage] = await adapter.getUsage([PROFILE_REF]);
      expect(usage?.usedBytes).toBe(1024 * BYTES_PER_MB);
      expect(usage?.totalBytes).toBe(3 * BYTES_PER_GB);
      expect([usage?.voiceMinutesRemaining, usage?.smsRemaining]).toEqual([0, 0]);
      expect(stub.callsTo('GET', `${API}/Profile/Consumption`)[0].query).toEqual({ iccid: PROFILE_REF.iccid });
    });
  });
});
