import type { Request, Response } from 'express';
import { buildCatalog as buildComiumCatalog } from '../../../src/sandbox/comium/catalog';
import { ComiumLedger } from '../../../src/sandbox/comium/ledger';
import { buildProducts } from '../../../src/sandbox/connectedyou/catalog';
import { DeviceSide } from '../../../src/sandbox/connectedyou/devices';
import { buildCatalog as buildEsimAccessCatalog } from '../../../src/sandbox/esimaccess/catalog';
import { PlatformCatalog } from '../../../src/sandbox/esimplatform/catalog';
import { WebhookHub } from '../../../src/sandbox/esimplatform/webhook-hub';
import { EsimTradeBook, termsOf } from '../../../src/sandbox/esimtrade/book';
import { buildCatalog as buildEsimTradeCatalog } from '../../../src/sandbox/esimtrade/catalog';
import { SimulatorControl } from '../../../src/sandbox/shared/control';
import { IdempotencyStore } from '../../../src/sandbox/shared/idempotency-store';
import { SimInventory } from '../../../src/sandbox/shared/inventory';
import { decode, encode } from '../../../src/sandbox/shared/persistence';

const roundTrip = (data: unknown) => decode(encode(data));

function newInventory(): SimInventory {
  const control = new SimulatorControl({ initialBalance: '1000.00', flakyResponse: () => undefined });
  return new SimInventory({ control, orderDelayMs: 0, iccidPrefix: '8999000', smdpAddress: 's', orderId: String });
}

describe('the catalogs a restarted simulator serves', () => {
  // Saved orders name plans by code: a restart must serve the very same codes.
  it('are generated identically on every start', () => {
    const codes = () => ({
      esimaccess: buildEsimAccessCatalog().base.map((p) => p.wire.packageCode),
      connectedyou: buildProducts().map((p) => p.product_id),
      comium: buildComiumCatalog().bundles.map((b) => b.bundle_code),
      esimplatform: new PlatformCatalog().all.map((p) => p.id),
      esimtrade: buildEsimTradeCatalog().map((p) => p.slug),
    });
    const first = codes();
    expect(Object.values(first).every((list) => list.length > 10)).toBe(true);
    expect(codes()).toEqual(first);
    expect(buildComiumCatalog().bundles).toEqual(buildComiumCatalog().bundles);
    expect(buildEsimTradeCatalog()).toEqual(buildEsimTradeCatalog());
  });
});

describe('snapshot and restore of the simulators’ own state', () => {
  it('IdempotencyStore replays a key answered before the restart, and still refuses it with another body', () => {
    const rules = {
      header: 'idempotency-key',
      isValid: () => true,
      invalid: () => ({ status: 400, body: 'invalid' }),
      conflict: () => ({ status: 409, body: 'conflict' }),
      retentionMs: 60_000,
    };
    const call = (store: IdempotencyStore, body: unknown, answer: unknown) => {
      const sent: { status?: number; headers?: Record<string, string>; body?: unknown } = {};
      const req = { get: () => 'key-1', method: 'POST', baseUrl: '', path: '/orders', body } as unknown as Request;
      const res = {
        status: (status: number) => ((sent.status = status), res),
        set: (headers: Record<string, string>) => ((sent.headers = headers), res),
        json: (json: unknown) => ((sent.body = json), res),
      } as unknown as Response;
      store.answer('orders', req, res, () => ({ status: 201, body: answer }));
      return sent;
    };
    const before = new IdempotencyStore(rules);
    call(before, { plan: 'A' }, { id: 'first', at: new Date(1000) });
    const after = new IdempotencyStore(rules);
    after.restore(roundTrip(before.snapshot()));
    expect(call(after, { plan: 'A' }, { id: 'second' })).toEqual({
      status: 201,
      headers: { 'Idempotent-Replayed': 'true' },
      body: { id: 'first', at: new Date(1000) },
    });
    expect(call(after, { plan: 'B' }, { id: 'third' }).status).toBe(409);
  });

  it('ComiumLedger keeps failed sales, top-up order ids and its id parts', () => {
    const control = new SimulatorControl({ initialBalance: '1000.00', flakyResponse: () => undefined });
    const catalog = buildComiumCatalog();
    const bundle = catalog.bundles.find((b) => b.support_topup)!;
    const before = new ComiumLedger({ control, orderDelayMs: 0, catalog });
    before.recordFailure({ reference: 'r-failed', type: 'new', bundle, iccid: null, reason: 'Insufficient' });
    const sale = before.inventory.placeOrder({ key: 'r-1', plan: before.terms(bundle), quantity: 1 });
    if (!sale.ok) throw new Error(sale.error);
    const topUp = before.inventory.topUp({
      key: 'r-2',
      iccid: sale.value.profiles[0].iccid,
      plan: before.terms(bundle),
    });
    if (!topUp.ok) throw new Error(topUp.error);
    const topUpId = before.topUpId(topUp.value);

    const after = new ComiumLedger({ control, orderDelayMs: 0, catalog });
    after.inventory.restore(roundTrip(before.inventory.snapshot()));
    after.restore(roundTrip(before.snapshot()));
    expect(after.topUpId(after.inventory.topUpByKey('r-2')!)).toBe(topUpId);
    expect(after.entries().map((e) => e.kind)).toEqual(before.entries().map((e) => e.kind));
    const failed = after.entries().find((e) => e.kind === 'failed');
    expect(failed?.kind === 'failed' && failed.sale.bundle).toBe(bundle);
    expect(after.profileByOrderId(topUpId)?.iccid).toBe(sale.value.profiles[0].iccid);
    // The next ledger id continues the saved sequence: never one given out before.
    const next = after.inventory.topUp({ key: 'r-3', iccid: sale.value.profiles[0].iccid, plan: after.terms(bundle) });
    if (!next.ok) throw new Error(next.error);
    expect(after.topUpId(next.value)).not.toBe(topUpId);
    expect(after.topUpId(next.value).slice(8, 14)).toBe(topUpId.slice(8, 14));
    before.dispose();
    after.dispose();
  });

  it('EsimTradeBook keeps order references both ways', () => {
    const catalog = buildEsimTradeCatalog();
    const before = new EsimTradeBook(newInventory(), catalog);
    const placed = before.inventory.placeOrder({ key: 'k', plan: termsOf(catalog[0]), quantity: 1 });
    if (!placed.ok) throw new Error(placed.error);
    before.remember(placed.value, 'my-ref');
    const after = new EsimTradeBook(newInventory(), catalog);
    after.inventory.restore(roundTrip(before.inventory.snapshot()));
    after.restore(roundTrip(before.snapshot()));
    expect(after.orderByReference('my-ref')?.id).toBe(placed.value.id);
    expect(after.reference(after.inventory.order(placed.value.id)!)).toBe('my-ref');
  });

  it('DeviceSide keeps what each device did', () => {
    const inventory = newInventory();
    const before = new DeviceSide(inventory);
    const placed = inventory.placeOrder({
      key: 'k',
      plan: { code: 'p', price: '1', dataBytes: 10, validityDays: 1 },
      quantity: 1,
    });
    if (!placed.ok) throw new Error(placed.error);
    inventory.install(placed.value.profiles[0].iccid);
    expect(before.word(placed.value.profiles[0].iccid)).toBe('INSTALLED');
    const after = new DeviceSide(newInventory());
    after.restore(roundTrip(before.snapshot()));
    expect(after.word(placed.value.profiles[0].iccid)).toBe('INSTALLED');
    expect(after.snapshot()).toEqual(before.snapshot());
  });

  it('WebhookHub keeps subscriptions with their secrets and logs', () => {
    const now = () => 1_700_000_000_000;
    const before = new WebhookHub({ chaos: 0, now });
    const sub = before.create({
      name: 'gateway',
      endpointUrl: 'http://127.0.0.1:9/hook',
      eventTypes: ['ESIM_STATUS'],
      secret: 'whsec_0123456789',
      timeoutSeconds: 1,
      retryCount: 0,
      status: 'inactive',
    });
    before.publish('TEST', {}, sub);
    const after = new WebhookHub({ chaos: 0, now });
    after.restore(roundTrip(before.snapshot()));
    const restored = after.get(sub.id)!;
    expect(restored).toMatchObject({ name: 'gateway', secret: 'whsec_0123456789', createdAt: sub.createdAt });
    expect(restored.log).toHaveLength(1);
    expect(restored.sender.target()?.url).toBe('http://127.0.0.1:9/hook');
    before.dispose();
    after.dispose();
  });
});
