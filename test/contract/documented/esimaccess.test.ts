import { Writable } from 'node:stream';
import pino from 'pino';
import { BYTES_PER_GB } from '../../../src/domain/data-units';
import { createEsimAccessAdapter } from '../../../src/providers/esimaccess';
import type { ProviderAdapter, WebhookDelivery } from '../../../src/providers/provider-adapter';
import {
  DOCUMENTED_POLICY,
  fixture,
  fixtureText,
  startDocumentedStub,
  type DocumentedRoute,
  type DocumentedStub,
} from '../../helpers/documented-stub';
import { testLogger } from '../../helpers/logger';

// eSIM Access driven whole against its published example bodies (provenance: test/fixtures/documented/esimaccess/SOURCES.md).
const ID = 'esimaccess';
const OPEN = '/api/v1/open';

/** Every endpoint the adapter calls answers its documented body: all POST, signed, envelope `{success, errorCode, errorMsg, obj}`. */
const routes: DocumentedRoute[] = [
  { method: 'POST', path: `${OPEN}/package/list`, body: fixtureText(ID, 'package-list') },
  { method: 'POST', path: `${OPEN}/balance/query`, body: fixtureText(ID, 'balance-query') },
  { method: 'POST', path: `${OPEN}/location/list`, body: fixtureText(ID, 'location-list') },
  { method: 'POST', path: `${OPEN}/esim/order`, body: fixtureText(ID, 'esim-order') },
  { method: 'POST', path: `${OPEN}/esim/query`, body: fixtureText(ID, 'esim-query') },
  { method: 'POST', path: `${OPEN}/esim/usage/query`, body: fixtureText(ID, 'esim-usage-query') },
  { method: 'POST', path: `${OPEN}/esim/topup`, body: fixtureText(ID, 'esim-topup') },
  { method: 'POST', path: `${OPEN}/esim/cancel`, body: fixtureText(ID, 'esim-cancel') },
  { method: 'POST', path: `${OPEN}/esim/suspend`, body: fixtureText(ID, 'esim-suspend') },
  { method: 'POST', path: `${OPEN}/esim/unsuspend`, body: fixtureText(ID, 'esim-unsuspend') },
  { method: 'POST', path: `${OPEN}/esim/revoke`, body: fixtureText(ID, 'esim-revoke') },
  { method: 'POST', path: `${OPEN}/esim/sendSms`, body: fixtureText(ID, 'esim-sendSms') },
  { method: 'POST', path: `${OPEN}/webhook/save`, body: fixtureText(ID, 'webhook-save') },
];

/** The documented profile of `esim/query` (ea.esim.query): its transactionId is the reference we ordered under. */
const QUERIED = fixture(ID, 'esim-query').obj.esimList[0];
const PROFILE_REF = { iccid: QUERIED.iccid as string, providerProfileId: QUERIED.esimTranNo as string };
const ORDERED = fixture(ID, 'esim-order').obj;
const USAGE = fixture(ID, 'esim-usage-query').obj.esimUsageList[0];
const TOPPED = fixture(ID, 'esim-topup').obj;
const PACKAGE = fixture(ID, 'package-list').obj.packageList[0];

/** The documented answer with its one package changed: a multi-country variant of CKH139 (documented fields only). */
const packageListWith = (changes: Record<string, unknown>) => ({
  ...fixture(ID, 'package-list'),
  obj: { packageList: [{ ...PACKAGE, ...changes }] },
});

/** A pino logger whose warn lines the test reads back. */
function capturingLogger(): { logger: pino.Logger; lines: () => any[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (chunks.push(String(chunk)), done()) });
  return {
    logger: pino({ level: 'warn' }, stream),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

describe('eSIM Access against its documented bodies', () => {
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;

  beforeEach(async () => {
    stub = await startDocumentedStub(routes);
    // As src/providers/registry.ts builds it, with the live config slice pointed at the stub.
    adapter = createEsimAccessAdapter(
      { baseUrl: stub.url, sandbox: false, accessCode: 'documented-access-code', secretKey: 'documented-secret-key' },
      { logger: testLogger, policy: DOCUMENTED_POLICY },
    );
  });

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  describe('catalog', () => {
    it('signs every call with the four RT headers of the HMAC chapter', async () => {
      await adapter.getBalance().catch(() => undefined);
      const [call] = stub.callsTo('POST', `${OPEN}/balance/query`);
      expect(call.headers['rt-accesscode']).toBe('documented-access-code');
      expect(call.headers['rt-requestid']).toEqual(expect.any(String));
      expect(call.headers['rt-timestamp']).toMatch(/^\d{13}$/);
      expect(call.headers['rt-signature']).toMatch(/^[0-9a-fA-F]{64}$/);
    });

    it('reads the documented balance (USD × 10 000) as a decimal', async () => {
      const balance = await adapter.getBalance();
      expect(balance).not.toBeNull();
      expect(Number(balance!.amount)).toBe(94);
      expect(balance!.currency).toBe('USD');
    });

    it('probes readiness with balance/query', async () => {
      await expect(adapter.probe()).resolves.toBeUndefined();
      expect(stub.callsTo('POST', `${OPEN}/balance/query`)).toHaveLength(1);
    });

    it('reads the only published package (CKH139, no `dataType`) as a fixed allowance: an absent dataType is 1 (total data)', async () => {
      const plans = await adapter.listPlans();
      expect(plans).toHaveLength(1);
      const [plan] = plans;
      expect(plan.code).toBe('CKH139');
      expect(plan.id).toBe('esimaccess:CKH139');
      expect(plan.dataBytes).toBe(5 * BYTES_PER_GB);
      expect(plan.validityDays).toBe(30);
      expect(plan.countries).toEqual(['SI']);
      expect(Number(plan.wholesalePrice.amount)).toBe(11.25);
      expect(plan.wholesalePrice.currency).toBe('USD');
      expect(plan.dayPass).toBe(false);
    });

    it('finds the documented package CKH139 with getPlans, so re-pricing before an order works', async () => {
      const [plan] = await adapter.getPlans(['CKH139']);
      expect(plan?.dataBytes).toBe(5 * BYTES_PER_GB);
      expect(plan?.dayPass).toBe(false);
    });

    it('says once, at warn level, that dataType was absent and how it was read', async () => {
      const { logger, lines } = capturingLogger();
      const noted = createEsimAccessAdapter(
        { baseUrl: stub.url, sandbox: false, accessCode: 'a', secretKey: 's' },
        { logger, policy: DOCUMENTED_POLICY },
      );
      await noted.listPlans();
      await noted.getPlans(['CKH139']);
      await noted.dispose();
      const dataType = lines().filter((l) => l.field === 'package/list dataType');
      expect(dataType).toHaveLength(1);
      expect(dataType[0]).toMatchObject({
        level: 40,
        provider: 'esimaccess',
        fallback: expect.stringMatching(/fixed allowance/),
      });
    });

    it('reads a single-country catalog without calling location/list', async () => {
      await adapter.listPlans();
      expect(stub.callsTo('POST', `${OPEN}/location/list`)).toHaveLength(0);
    });

    it('asks package/list for base packages', async () => {
      await adapter.listPlans();
      expect(stub.callsTo('POST', `${OPEN}/package/list`)[0].body).toMatchObject({ type: 'BASE' });
    });
  });

  describe('region names from location/list', () => {
    /** The stub with package/list answering a multi-country variant of the documented package. */
    async function withPackage(
      changes: Record<string, unknown>,
      locationList: unknown = fixtureText(ID, 'location-list'),
    ): Promise<ProviderAdapter> {
      await adapter.dispose();
      await stub.close();
      stub = await startDocumentedStub([
        { method: 'POST', path: `${OPEN}/package/list`, body: packageListWith(changes) },
        ...(locationList === null ? [] : [{ method: 'POST', path: `${OPEN}/location/list`, body: locationList }]),
      ]);
      adapter = createEsimAccessAdapter(
        { baseUrl: stub.url, sandbox: false, accessCode: 'a', secretKey: 's' },
        { logger: testLogger, policy: DOCUMENTED_POLICY },
      );
      return adapter;
    }
    // The published location/list is truncated after its countries: its region entries use the same documented shape.
    const withRegion = () => {
      const body = fixture(ID, 'location-list');
      body.obj.locationList.push({
        code: 'EU-2',
        name: 'Central Europe',
        type: 2,
        subLocationList: [
          { code: 'SI', name: 'Slovenia' },
          { code: 'HR', name: 'Croatia' },
        ],
      });
      return body;
    };

    it('names a multi-country plan after its region in location/list, read once for the adapter', async () => {
      const a = await withPackage(
        { packageCode: 'CKH140', name: 'Adriatic 5GB 30Days', location: 'SI,HR', slug: 'EU-2_5_30' },
        withRegion(),
      );
      const [plan] = await a.listPlans();
      expect(plan).toMatchObject({ coverage: 'REGION', countries: ['HR', 'SI'], regionName: 'Central Europe' });
      await a.listPlans();
      await a.getPlans(['CKH140']);
      expect(stub.callsTo('POST', `${OPEN}/location/list`)).toHaveLength(1);
      expect(stub.callsTo('POST', `${OPEN}/location/list`)[0].body).toEqual({});
    });

    it('expands a region code given as the location, with its countries from location/list', async () => {
      const a = await withPackage(
        { packageCode: 'CKH141', name: 'Adriatic 5GB 30Days', location: 'EU-2' },
        withRegion(),
      );
      const [plan] = await a.listPlans();
      expect(plan).toMatchObject({ coverage: 'REGION', countries: ['HR', 'SI'], regionName: 'Central Europe' });
    });

    it('keeps the name read from the package name when location/list does not list the region (the published list has none)', async () => {
      const a = await withPackage({ packageCode: 'CKH142', name: 'Balkans (2 areas) 5GB 30Days', location: 'SI,HR' });
      const [plan] = await a.listPlans();
      expect(plan).toMatchObject({ coverage: 'REGION', regionName: 'Balkans' });
    });

    it('never fails the catalog when location/list fails: the fallback name, and the catalog is served', async () => {
      const a = await withPackage(
        { packageCode: 'CKH143', name: 'Balkans (2 areas) 5GB 30Days', location: 'SI,HR' },
        null,
      );
      const [plan] = await a.listPlans();
      expect(plan).toMatchObject({ code: 'CKH143', regionName: 'Balkans' });
      expect(stub.callsTo('POST', `${OPEN}/location/list`)).toHaveLength(1);
    });
  });

  describe('ordering', () => {
    it('places an order under our reference as transactionId and answers the documented orderNo', async () => {
      const order = await adapter.placeOrder({
        reference: QUERIED.transactionId,
        planCode: 'CKH139',
        quantity: 1,
        expectedUnitPrice: { amount: '11.25', currency: 'USD' },
      });
      expect(order.providerOrderId).toBe(ORDERED.orderNo);
      expect(order.status).toBe('PROCESSING');
      const [call] = stub.callsTo('POST', `${OPEN}/esim/order`);
      expect(call.body).toMatchObject({
        transactionId: QUERIED.transactionId,
        amount: 112500,
        packageInfoList: [{ packageCode: 'CKH139', count: 1, price: 112500 }],
      });
    });

    it('reads the order to completion with the documented profile: ICCID, SM-DP+ and matching id from `ac`', async () => {
      const placed = await adapter.placeOrder({
        reference: QUERIED.transactionId,
        planCode: 'CKH139',
        quantity: 1,
        expectedUnitPrice: { amount: '11.25', currency: 'USD' },
      });
      const order = await adapter.getOrder({
        reference: QUERIED.transactionId,
        providerOrderId: placed.providerOrderId,
        placedAt: new Date(),
      });
      expect(order?.status).toBe('COMPLETED');
      expect(order?.profiles).toHaveLength(1);
      const [profile] = order!.profiles;
      expect(profile.iccid).toBe('8943108170000775671');
      expect(profile.providerProfileId).toBe('23120118156818');
      expect(profile.smdpAddress).toBe('rsp-eu.redteamobile.com');
      expect(profile.matchingId).toBe('43DE23C67EE747BCAD6B63E8B67B261F');
      expect(profile.qrCodeUrl).toBe(QUERIED.qrCodeUrl);
      expect(stub.callsTo('POST', `${OPEN}/esim/query`)[0].body).toMatchObject({
        orderNo: ORDERED.orderNo,
        pager: { pageNum: 1 },
      });
    });

    it('finds the order by its creation window when the orderNo was never learned', async () => {
      const order = await adapter.getOrder({
        reference: QUERIED.transactionId,
        providerOrderId: null,
        placedAt: new Date(),
      });
      expect(order?.status).toBe('COMPLETED');
      expect(order?.profiles.map((p) => p.iccid)).toEqual([QUERIED.iccid]);
      expect(stub.callsTo('POST', `${OPEN}/esim/query`)[0].body).toMatchObject({
        startTime: expect.any(String),
        endTime: expect.any(String),
      });
    });

    it('answers unknown for a documented order that carries another transactionId', async () => {
      await expect(
        adapter.getOrder({ reference: 'someone-else', providerOrderId: ORDERED.orderNo, placedAt: new Date() }),
      ).resolves.toBeNull();
    });
  });

  describe('profiles and usage', () => {
    it('reads the documented profile by esimTranNo, with its status and expiry', async () => {
      const [profile] = await adapter.getProfiles([PROFILE_REF]);
      expect(profile?.iccid).toBe(PROFILE_REF.iccid);
      expect(profile?.rawStatus).toBe('CANCEL/RELEASED');
      expect(profile?.status).toBe('CANCELLED');
      expect(profile?.expiresAt).toBe('2024-05-29T18:34:17.000Z');
    });

    it('reports the SM-DP+ side (smdpStatus, eid) as the device, apart from the plan status', async () => {
      const [profile] = await adapter.getProfiles([PROFILE_REF]);
      // `eid` is "" in the documented answer: not downloaded yet, so none.
      expect(profile?.device).toEqual({ state: 'RELEASED', rawState: 'RELEASED', eid: null });
    });

    it('reads usage in bytes from esim/usage/query', async () => {
      const [usage] = await adapter.getUsage([{ iccid: '89852000263213655345', providerProfileId: USAGE.esimTranNo }]);
      expect(usage).toEqual({
        usedBytes: 1453344832,
        totalBytes: 5 * BYTES_PER_GB,
        updatedAt: '2025-03-19T18:00:00.000Z',
      });
      expect(stub.callsTo('POST', `${OPEN}/esim/usage/query`)[0].body).toEqual({ esimTranNoList: [USAGE.esimTranNo] });
    });
  });

  describe('top-ups', () => {
    it('reads every item of a TOPUP answer as a top-up option, whatever its code: the published answer is CKH139 (no TOPUP_ prefix, no dataType)', async () => {
      const options = await adapter.supports.TOP_UP!.list(PROFILE_REF);
      expect(options.map((o) => o.code)).toEqual(['CKH139']);
      expect(options[0].dataBytes).toBe(5 * BYTES_PER_GB);
    });

    it('asks package/list for the top-ups of the profile', async () => {
      await adapter.supports.TOP_UP!.list(PROFILE_REF).catch(() => undefined);
      expect(stub.callsTo('POST', `${OPEN}/package/list`)[0].body).toMatchObject({
        type: 'TOPUP',
        iccid: PROFILE_REF.iccid,
      });
    });

    it('tops up under our reference and answers the documented new expiry', async () => {
      const topUp = await adapter.supports.TOP_UP!.buy({
        reference: TOPPED.transactionId,
        profile: { iccid: TOPPED.iccid, providerProfileId: '23120118156818' },
        planCode: 'TOPUP_JC172',
        expectedPrice: { amount: '1.5', currency: 'USD' },
      });
      expect(topUp.status).toBe('COMPLETED');
      expect(topUp.expiresAt).toBe('2023-09-07T17:01:37.000Z');
      expect(stub.callsTo('POST', `${OPEN}/esim/topup`)[0].body).toMatchObject({
        esimTranNo: '23120118156818',
        packageCode: 'TOPUP_JC172',
        transactionId: TOPPED.transactionId,
      });
    });
  });

  describe('lifecycle', () => {
    it.each([
      ['CANCEL', 'esim/cancel'],
      ['SUSPEND', 'esim/suspend'],
      ['RESUME', 'esim/unsuspend'],
      ['REVOKE', 'esim/revoke'],
    ] as const)('%s posts %s by esimTranNo and accepts the documented empty obj', async (capability, endpoint) => {
      await expect(adapter.supports[capability]!(PROFILE_REF)).resolves.toBeUndefined();
      expect(stub.callsTo('POST', `${OPEN}/${endpoint}`)[0].body).toEqual({
        esimTranNo: PROFILE_REF.providerProfileId,
      });
    });

    it('sends an SMS by esimTranNo', async () => {
      await expect(adapter.supports.SMS!.send(PROFILE_REF, 'Your Message!')).resolves.toBeUndefined();
      expect(stub.callsTo('POST', `${OPEN}/esim/sendSms`)[0].body).toEqual({
        esimTranNo: PROFILE_REF.providerProfileId,
        message: 'Your Message!',
      });
    });
  });

  describe('webhooks', () => {
    const SECRET = 'documented-webhook-secret';
    const delivery = (name: string, token: string | null = SECRET): WebhookDelivery => ({
      headers: { 'content-type': 'application/json' },
      query: token === null ? {} : { token },
      rawBody: fixtureText(ID, name),
    });
    const secrets = { secret: SECRET, signingSecret: null };

    it('registers through webhook/save with our URL', async () => {
      await adapter.supports.WEBHOOKS!.register!({
        url: 'https://gateway.example/webhooks/esimaccess?token=x',
        secret: 'x',
      });
      expect(stub.callsTo('POST', `${OPEN}/webhook/save`)[0].body).toEqual({
        webhook: 'https://gateway.example/webhooks/esimaccess?token=x',
      });
    });

    it('accepts a documented delivery carrying our token and refuses one without it', () => {
      expect(adapter.supports.WEBHOOKS!.verify(delivery('webhook-ORDER_STATUS'), secrets)).toBe(true);
      expect(adapter.supports.WEBHOOKS!.verify(delivery('webhook-ORDER_STATUS', null), secrets)).toBe(false);
    });

    it('ignores CHECK_HEALTH', () => {
      expect(adapter.supports.WEBHOOKS!.parse(delivery('webhook-CHECK_HEALTH'))).toEqual([]);
    });

    it.each(['webhook-ORDER_STATUS', 'webhook-legacy-ORDER_STATUS'])('reads %s as the order being ready', (name) => {
      const body = fixture(ID, name);
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery(name));
      expect(event).toMatchObject({
        kind: 'ORDER',
        providerOrderId: body.content.orderNo,
        reference: body.content.transactionId,
      });
      expect(event.eventId).toEqual(expect.any(String));
    });

    it.each([
      ['webhook-ESIM_STATUS', 'IN_USE/ENABLED', 'ENABLED'],
      ['webhook-legacy-ESIM_STATUS', 'IN_USE/INSTALLATION', 'INSTALLED'],
    ])('reads %s as a plan state change, with the SM-DP+ word as the device', (name, rawStatus, deviceState) => {
      const body = fixture(ID, name);
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery(name));
      expect(event).toMatchObject({
        kind: 'PROFILE',
        iccid: body.content.iccid,
        status: 'ACTIVE',
        rawStatus,
        device: { state: deviceState, rawState: body.content.smdpStatus },
      });
    });

    it('reads SMDP_EVENT as a DEVICE event (state, raw word, EID), never as a plan status change', () => {
      const body = fixture(ID, 'webhook-SMDP_EVENT');
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery('webhook-SMDP_EVENT'));
      expect(event).toEqual({
        eventId: body.notifyId,
        kind: 'DEVICE',
        occurredAt: '2026-04-22T17:29:40.000Z',
        reference: body.content.transactionId,
        providerOrderId: body.content.orderNo,
        iccid: body.content.iccid,
        providerProfileId: body.content.esimTranNo,
        device: { state: 'ENABLED', rawState: 'ENABLED', eid: '89049032005008882600050326403713' },
      });
      expect(event).not.toHaveProperty('status');
    });

    it.each(['webhook-DATA_USAGE', 'webhook-legacy-DATA_USAGE'])('reads %s as usage in bytes', (name) => {
      const body = fixture(ID, name);
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery(name));
      expect(event).toMatchObject({
        kind: 'USAGE',
        iccid: body.content.iccid,
        usage: { usedBytes: body.content.orderUsage, totalBytes: body.content.totalVolume },
      });
    });

    it('keeps the alert level of DATA_USAGE: remainThreshold 0.5 is half the allowance left; none in the legacy form', () => {
      expect(adapter.supports.WEBHOOKS!.parse(delivery('webhook-DATA_USAGE'))[0].remainingThreshold).toBe(0.5);
      expect(adapter.supports.WEBHOOKS!.parse(delivery('webhook-legacy-DATA_USAGE'))[0].remainingThreshold).toBeNull();
    });

    it('reads VALIDITY_USAGE as an EXPIRY event carrying expiredTime in ISO-8601 UTC', () => {
      const body = fixture(ID, 'webhook-VALIDITY_USAGE');
      expect(adapter.supports.WEBHOOKS!.parse(delivery('webhook-VALIDITY_USAGE'))).toEqual([
        {
          eventId: body.notifyId,
          kind: 'EXPIRY',
          occurredAt: '2026-04-22T17:13:54.000Z',
          reference: body.content.transactionId,
          providerOrderId: body.content.orderNo,
          iccid: body.content.iccid,
          providerProfileId: body.content.esimTranNo,
          expiresAt: '2026-04-23T17:13:19.000Z',
        },
      ]);
    });

    it('derives distinct event ids for distinct deliveries', () => {
      const names = [
        'webhook-ORDER_STATUS',
        'webhook-ESIM_STATUS',
        'webhook-SMDP_EVENT',
        'webhook-DATA_USAGE',
        'webhook-VALIDITY_USAGE',
        'webhook-legacy-ORDER_STATUS',
        'webhook-legacy-ESIM_STATUS',
        'webhook-legacy-DATA_USAGE',
      ];
      const ids = names.flatMap((name) => adapter.supports.WEBHOOKS!.parse(delivery(name)).map((e) => e.eventId));
      expect(new Set(ids).size).toBe(names.length);
    });
  });
});
