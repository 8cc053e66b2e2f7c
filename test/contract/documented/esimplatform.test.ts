import { BYTES_PER_GB, BYTES_PER_MB } from '../../../src/domain/data-units';
import { BadUserInputError } from '../../../src/domain/errors';
import { createEsimPlatformAdapter } from '../../../src/providers/esimplatform';
import type { ProviderAdapter } from '../../../src/providers/provider-adapter';
import {
  DOCUMENTED_POLICY,
  fixture,
  fixtureText,
  startDocumentedStub,
  type DocumentedRoute,
  type DocumentedStub,
} from '../../helpers/documented-stub';
import { testLogger } from '../../helpers/logger';

// The eSIM platform driven whole against the verbatim examples of seed 003 (provenance: test/fixtures/documented/esimplatform/SOURCES.md).
const ID = 'esimplatform';
/** "Production: https://api.example.com/api/v1" (seed 003, Base URLs). */
const API = '/api/v1';

/**
 * Seed 003 names each operation ("POST Suspend Profile") but prints no URL path. The stub serves
 * each documented body at the path the adapter uses (its ASSUMED paths); the bodies are the
 * document's. "Get Profile Usage" is served at the ASSUMED `GET /esims/:iccid/usage`, next to the
 * other `/esims/:iccid/...` operations.
 */
const routes: DocumentedRoute[] = [
  { method: 'POST', path: `${API}/auth/login`, body: fixtureText(ID, 'auth-login') },
  { method: 'POST', path: `${API}/auth/refresh`, body: fixtureText(ID, 'auth-refresh') },
  { method: 'GET', path: `${API}/credits/balance`, body: fixtureText(ID, 'credits-balance') },
  { method: 'POST', path: `${API}/orders`, status: 201, body: fixtureText(ID, 'orders-create') },
  { method: 'GET', path: /^\/api\/v1\/esims\/[^/]+\/usage$/, body: fixtureText(ID, 'esim-usage') },
  { method: 'GET', path: /^\/api\/v1\/esims\/[^/]+\/topups$/, body: fixtureText(ID, 'esim-topup-plans') },
  { method: 'POST', path: /^\/api\/v1\/esims\/[^/]+\/topup$/, body: fixtureText(ID, 'esim-topup') },
  { method: 'POST', path: /^\/api\/v1\/esims\/[^/]+\/suspend$/, body: fixtureText(ID, 'esim-suspend') },
  { method: 'POST', path: /^\/api\/v1\/esims\/[^/]+\/unsuspend$/, body: fixtureText(ID, 'esim-unsuspend') },
  { method: 'POST', path: /^\/api\/v1\/esims\/[^/]+\/revoke$/, body: fixtureText(ID, 'esim-revoke') },
  { method: 'POST', path: /^\/api\/v1\/esims\/[^/]+\/sms$/, body: fixtureText(ID, 'esim-sms') },
  { method: 'GET', path: /^\/api\/v1\/esims\/[^/]+$/, body: fixtureText(ID, 'esim-profile') },
];

const ORDER = fixture(ID, 'orders-create').order;
const PROFILE = fixture(ID, 'esim-profile').profile;
/** The platform's profile handle: "ICCID, esimTranNo, or order_id" (Get Profile Information); we have the ICCID. */
const PROFILE_REF = { iccid: PROFILE.iccid as string, providerProfileId: PROFILE.iccid as string };
/** The document's own example customer ("Create New eSIM Order" request body). */
const CUSTOMER = { email: 'customer@example.com', name: 'John Customer' };
const ORDER_REQUEST = {
  reference: 'ref-documented-1',
  planCode: ORDER.plan_id as string,
  quantity: 1,
  expectedUnitPrice: { amount: '15.00', currency: 'USD' },
  customer: CUSTOMER,
};

describe('the eSIM platform against its documented bodies', () => {
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;

  beforeEach(async () => {
    stub = await startDocumentedStub(routes);
    adapter = createEsimPlatformAdapter(
      { baseUrl: stub.url + API, sandbox: false, email: 'user@example.com', password: 'SecurePassword123!' },
      { logger: testLogger, policy: DOCUMENTED_POLICY },
    );
  });

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  describe('session and balance', () => {
    it('logs in with email and password and sends the documented Bearer token', async () => {
      await adapter.getBalance();
      expect(stub.callsTo('POST', `${API}/auth/login`).map((c) => c.body)).toEqual([
        { email: 'user@example.com', password: 'SecurePassword123!' },
      ]);
      expect(stub.callsTo('GET', `${API}/credits/balance`)[0].headers.authorization).toBe(
        'Bearer eyJhbGciOiJIUzI1NiIs...',
      );
    });

    it('reads the documented prepaid balance', async () => {
      const balance = await adapter.getBalance();
      expect(Number(balance?.amount)).toBe(1500);
      expect(balance?.currency).toBe('USD');
    });
  });

  describe('ordering', () => {
    it('creates the order with the documented request fields, the customer as given', async () => {
      await adapter.placeOrder(ORDER_REQUEST);
      const [call] = stub.callsTo('POST', `${API}/orders`);
      expect(call.body).toMatchObject({
        plan_id: ORDER.plan_id,
        quantity: 1,
        end_customer_email: 'customer@example.com',
        customer_name: 'John Customer',
      });
    });

    it('refuses an order without the customer the platform requires, before any upstream call', async () => {
      for (const customer of [
        undefined,
        { email: 'customer@example.com', name: null },
        { email: '  ', name: 'John Customer' },
      ]) {
        await expect(adapter.placeOrder({ ...ORDER_REQUEST, customer })).rejects.toBeInstanceOf(BadUserInputError);
      }
      expect(stub.calls).toEqual([]);
    });

    it('POST Create New eSIM Order: the documented 201 (`active`, `iccid`, `qr_code_url`, no `esims[]`) is COMPLETED with the eSIM it names', async () => {
      const order = await adapter.placeOrder(ORDER_REQUEST);
      expect(order.providerOrderId).toBe(ORDER.id);
      expect(order.status).toBe('COMPLETED');
      expect(order.profiles).toHaveLength(1);
      expect(order.profiles[0]).toMatchObject({
        iccid: ORDER.iccid,
        providerProfileId: ORDER.iccid,
        qrCodeUrl: ORDER.qr_code_url,
        smdpAddress: null,
        matchingId: null,
      });
      // Its state is read with "Get Profile Information"; the document's example profile is another
      // eSIM (89012345678901234567), so the order's word stands in and the state is left unknown.
      expect(stub.callsTo('GET', `${API}/esims/${ORDER.iccid}`)).toHaveLength(1);
      expect(order.profiles[0]).toMatchObject({ rawStatus: 'active', status: null });
      expect(stub.unmatched()).toEqual([]);
    });

    it('reads the same order back from "Get Order Details" (its documented order object, ASSUMED envelope `{ success, order }`)', async () => {
      await stub.close();
      stub = await startDocumentedStub([
        { method: 'GET', path: `${API}/orders/${ORDER.id}`, body: { success: true, order: ORDER } },
        ...routes,
      ]);
      adapter = createEsimPlatformAdapter(
        { baseUrl: stub.url + API, sandbox: false, email: 'user@example.com', password: 'SecurePassword123!' },
        { logger: testLogger, policy: DOCUMENTED_POLICY },
      );
      const order = await adapter.getOrder({
        reference: ORDER_REQUEST.reference,
        providerOrderId: ORDER.id,
        placedAt: new Date(),
      });
      expect(order).toMatchObject({
        providerOrderId: ORDER.id,
        status: 'COMPLETED',
        profiles: [{ iccid: ORDER.iccid, qrCodeUrl: ORDER.qr_code_url }],
      });
    });
  });

  describe('profiles and usage', () => {
    it('GET Get Profile Information: the documented `profile` (no esimTranNo) reads as the ICCID, status ACTIVE, no activation fields', async () => {
      const [profile] = await adapter.getProfiles([PROFILE_REF]);
      expect(profile).toEqual({
        iccid: PROFILE.iccid,
        providerProfileId: PROFILE.iccid,
        rawStatus: 'active',
        status: 'ACTIVE',
        smdpAddress: null,
        matchingId: null,
        qrCodeUrl: null,
        expiresAt: null,
      });
    });

    it('usage: GET "Get Profile Usage" {usage: {data_used, data_limit, percent_used}} read as MB, one profile per call', async () => {
      expect(adapter.batchLimits.usage).toBe(1);
      const [usage] = await adapter.getUsage([PROFILE_REF]);
      expect(usage?.usedBytes).toBe(500 * BYTES_PER_MB);
      expect(usage?.totalBytes).toBe(5000 * BYTES_PER_MB);
      expect(Number.isNaN(Date.parse(usage!.updatedAt))).toBe(false);
      expect(stub.callsTo('GET', `${API}/esims/${PROFILE.iccid}/usage`)).toHaveLength(1);
    });
  });

  describe('top-ups', () => {
    it('GET Get Available Topup Plans: each documented plan (no plan_id) is a top-up option: 5120 MB = 5 GiB, 30 days, 15.00 USD', async () => {
      const options = await adapter.supports.TOP_UP!.list(PROFILE_REF);
      expect(options).toHaveLength(1);
      expect(options[0]).toMatchObject({
        id: 'esimplatform:PKG_5GB_30D',
        code: 'PKG_5GB_30D',
        dataBytes: 5 * BYTES_PER_GB,
        validityDays: 30,
        topUpSupported: false,
      });
      expect(options[0].wholesalePrice).toEqual({ amount: '15', currency: 'USD' });
      // No base plan is named or known: no plan lookup is guessed.
      expect(stub.unmatched()).toEqual([]);
    });

    it('POST Top Up Profile: the documented {success: true, message, topup_details: {}} is a COMPLETED top-up under our reference', async () => {
      const topUp = await adapter.supports.TOP_UP!.buy({
        reference: 'topup-documented-1',
        profile: PROFILE_REF,
        planCode: 'PKG_5GB_30D',
        expectedPrice: { amount: '15.00', currency: 'USD' },
      });
      expect(topUp).toEqual({ providerTopUpId: 'topup-documented-1', status: 'COMPLETED', expiresAt: null });
    });

    it('tops up with the documented request body', async () => {
      await adapter.supports.TOP_UP!.buy({
        reference: 'topup-documented-1',
        profile: PROFILE_REF,
        planCode: 'PKG_5GB_30D',
        expectedPrice: { amount: '15.00', currency: 'USD' },
      });
      const [call] = stub.callsTo('POST', /\/topup$/);
      expect(call.body).toEqual({ package_code: 'PKG_5GB_30D' });
    });
  });

  describe('lifecycle', () => {
    it.each([
      ['SUSPEND', 'suspend'],
      ['RESUME', 'unsuspend'],
      ['REVOKE', 'revoke'],
    ] as const)('%s accepts the documented answer of %s', async (capability, verb) => {
      await expect(adapter.supports[capability]!(PROFILE_REF)).resolves.toBeUndefined();
      expect(stub.callsTo('POST', new RegExp(`/esims/${PROFILE_REF.iccid}/${verb}$`))).toHaveLength(1);
    });

    it('sends an SMS with the documented request body', async () => {
      await expect(adapter.supports.SMS!.send(PROFILE_REF, 'Your eSIM has been activated')).resolves.toBeUndefined();
      expect(stub.callsTo('POST', /\/sms$/)[0].body).toEqual({ message: 'Your eSIM has been activated' });
    });
  });
});
