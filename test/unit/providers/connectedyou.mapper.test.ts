import { BYTES_PER_GB } from '../../../src/domain/data-units';
import { mapBalance, mapProduct, readProductPage } from '../../../src/providers/connectedyou/connectedyou.mapper';
import {
  isoOf,
  mapEsim,
  mapOrder,
  mapTopUp,
  mapUsage,
  readOrderPage,
} from '../../../src/providers/connectedyou/connectedyou.order-mapper';
import { CY_DEVICE_TABLE } from '../../../src/providers/connectedyou/connectedyou.status';
import statuses from '../../fixtures/providers/connectedyou/esim-statuses.json';
import orderExpected from '../../fixtures/providers/connectedyou/order.expected.json';
import order from '../../fixtures/providers/connectedyou/order.json';
import topUps from '../../fixtures/providers/connectedyou/topup.json';
import usage from '../../fixtures/providers/connectedyou/usage.json';
import accounts from '../../fixtures/providers/connectedyou/accounts.json';
import skippedFixture from '../../fixtures/providers/connectedyou/products-skipped.json';
import expected from '../../fixtures/providers/connectedyou/products.expected.json';
import page from '../../fixtures/providers/connectedyou/products.json';

const plansOf = (products: readonly unknown[]) => products.map((raw) => mapProduct(raw).plan);

describe('connectedyou mapper', () => {
  describe('products', () => {
    it('normalizes a raw page to the expected plans', () => {
      expect(plansOf(page.products)).toEqual(expected);
    });

    it('counts MB with 1 GB = 1024 MB and gives null bytes for unlimited products', () => {
      const [france, japan, europe, global] = plansOf(page.products);
      expect(france?.dataBytes).toBe(5 * BYTES_PER_GB);
      expect(europe?.dataBytes).toBe(BYTES_PER_GB / 2);
      expect(global?.dataBytes).toBe(10 * 1024 ** 3);
      expect(japan?.dataBytes).toBeNull();
    });

    it('keeps prices as exact decimal strings, from strings or JSON numbers', () => {
      expect(plansOf(page.products).map((p) => p?.wholesalePrice.amount)).toEqual(['4.37', '25.1', '0.105', '36.4']);
      expect(plansOf(page.products).every((p) => p?.wholesalePrice.currency === 'USD')).toBe(true);
    });

    it('gives sorted, unique, upper-case alpha-2 countries and the coverage of each product', () => {
      const plans = plansOf(page.products);
      expect(plans.map((p) => p?.countries)).toEqual([['FR'], ['JP'], ['DE', 'ES', 'FR'], ['AU', 'GB', 'US']]);
      expect(plans.map((p) => p?.coverage)).toEqual(['COUNTRY', 'COUNTRY', 'REGION', 'GLOBAL']);
      expect(plans.map((p) => p?.regionName)).toEqual([null, null, 'Europe', 'Global']);
    });

    it('never marks a product as a day pass: ConnectedYou sells whole-trip fixed and unlimited products', () => {
      expect(plansOf(page.products).map((p) => p?.dayPass)).toEqual([false, false, false, false]);
    });

    it('maps networks with the radio technology as speed, and an empty list when the catalog has none', () => {
      const [france, japan, , global] = plansOf(page.products);
      expect(france?.networks).toEqual([
        { country: 'FR', operator: 'Orange', speed: '5G' },
        { country: 'FR', operator: 'SFR', speed: '5G' },
      ]);
      expect(japan?.networks).toEqual([{ country: 'JP', operator: 'SoftBank', speed: null }]);
      expect(global?.networks).toEqual([]);
    });

    it.each(skippedFixture.map((entry) => [entry.why, entry] as const))(
      'skips a product when %s, and says why',
      (_why, entry) => {
        const mapped = mapProduct(entry.product);
        expect(mapped.plan).toBeNull();
        expect(mapped).toMatchObject({ skipped: entry.skipped, issue: expect.any(String) });
      },
    );

    it('names the product it skipped when the id is readable', () => {
      expect(mapProduct(skippedFixture[1].product)).toMatchObject({
        productId: '647',
        issue: expect.stringContaining('PAUSED'),
      });
    });
  });

  describe('list envelope', () => {
    it('reads products, limit, offset and total', () => {
      expect(readProductPage(page)).toMatchObject({ limit: 100, offset: 0, total: 4 });
    });

    it('refuses an envelope without products or counts', () => {
      expect(readProductPage({ products: [] })).toBeNull();
      expect(readProductPage({ data: [], limit: 100, offset: 0, total: 0 })).toBeNull();
      expect(readProductPage(null)).toBeNull();
    });
  });

  describe('balance', () => {
    it('reads the credit still available under a credit limit as an exact decimal', () => {
      expect(mapBalance(accounts.creditLimit)).toEqual({ balance: { amount: '1234.5', currency: 'USD' } });
    });

    it('has no balance under pay-per-order billing', () => {
      expect(mapBalance(accounts.payPerOrder)).toEqual({ balance: null });
    });

    it('refuses an unknown billing mode or a malformed credit rather than guessing', () => {
      expect(mapBalance(accounts.unknownMode)).toMatchObject({
        balance: undefined,
        issue: expect.stringContaining('prepaid_wallet'),
      });
      expect(mapBalance(accounts.malformedCredit)).toMatchObject({ balance: undefined });
    });
  });

  describe('orders', () => {
    it('normalizes a raw order with its eSIMs to the expected order', () => {
      expect(mapOrder(order)).toEqual({ ok: true, value: orderExpected });
    });

    it('reads an unknown order word as PROCESSING and reports it, never as done', () => {
      expect(mapOrder({ ...order, status: 'ON_HOLD' })).toMatchObject({
        value: { order: { status: 'PROCESSING' }, unknownStatus: 'ON_HOLD' },
      });
      expect(mapOrder({ ...order, status: 'FAILED', esims: [], failure_reason: 'carrier_rejected' })).toMatchObject({
        value: { order: { status: 'FAILED', profiles: [], failureReason: 'carrier_rejected' } },
      });
    });

    it('refuses an order whose eSIM has no readable ICCID, naming the order', () => {
      const broken = { ...order, esims: [{ ...order.esims[0], iccid: 'abc' }] };
      expect(mapOrder(broken)).toEqual({ ok: false, issue: expect.stringContaining('ord_00000000271a') });
    });

    it('reads an order without eSIMs listed as PROCESSING (never COMPLETED without its profiles), and says so', () => {
      const said: string[] = [];
      const notes = { missingField: (field: string) => said.push(field), unknownWord: () => undefined };
      expect(mapOrder({ ...order, esims: undefined }, notes)).toMatchObject({
        ok: true,
        value: { order: { status: 'PROCESSING', profiles: [] } },
      });
      expect(said).toEqual(['order.esims']);
    });

    it('reads the order list envelope', () => {
      expect(readOrderPage({ orders: [order], limit: 1, offset: 0, total: 3 })).toMatchObject({
        total: 3,
        orders: [order],
      });
      expect(readOrderPage({ orders: [] })).toBeNull();
    });
  });

  describe('eSIMs: the plan word and the device word apart', () => {
    it.each(statuses.map((s) => [s.word, s.device, s.expected] as const))(
      'maps plan %j with device %s to %s',
      (word, device, expected) => {
        expect(mapEsim({ ...order.esims[0], status: word, profile_status: device })).toMatchObject({
          ok: true,
          value: { rawStatus: word.trim(), status: expected, device: { rawState: device } },
        });
      },
    );

    it('never lets a device word move a started plan', () => {
      for (const device of Object.keys(CY_DEVICE_TABLE)) {
        expect(mapEsim({ ...order.esims[1], profile_status: device })).toMatchObject({
          value: { status: 'ACTIVE', device: { state: device } },
        });
      }
    });

    it('reads an eSIM without the undocumented fields: ICCID asked for, activation from the LPA code, no device, plan status null', () => {
      const said: string[] = [];
      const notes = { missingField: (field: string) => said.push(field), unknownWord: () => undefined };
      const { iccid, status, profile_status, eid, smdp_address, matching_id, ...rest } = order.esims[1];
      expect(mapEsim(rest, notes, iccid)).toEqual({
        ok: true,
        value: {
          iccid,
          providerProfileId: iccid,
          rawStatus: '',
          status: null,
          smdpAddress: 'smdp.connectedyou.io',
          matchingId: '0F1E2D3C4B5A69788796',
          qrCodeUrl: null,
          expiresAt: '2025-07-02T10:00:00.123Z',
          device: null,
        },
      });
      expect(said.sort()).toEqual([
        'esim.iccid',
        'esim.profile_status',
        'esim.smdp_address/matching_id',
        'esim.status',
      ]);
      const { activation_code: _code, ...bare } = rest;
      expect(mapEsim(bare, notes, iccid)).toMatchObject({ ok: true, value: { smdpAddress: null, matchingId: null } });
      expect(mapEsim(bare, notes)).toMatchObject({ ok: false });
      void [status, profile_status, eid, smdp_address, matching_id];
    });
  });

  describe('usage', () => {
    it('turns MB (1 GB = 1024 MB, two decimals) into bytes', () => {
      expect(mapUsage(usage.fixed)).toEqual({
        ok: true,
        value: {
          usedBytes: Math.round(525.01 * 1024 * 1024),
          totalBytes: 1024 ** 3,
          updatedAt: '2025-06-01T02:21:56.608Z',
        },
      });
    });

    it('gives null total bytes for unlimited products and no reading for a non-numeric count', () => {
      expect(mapUsage(usage.unlimited)).toMatchObject({
        value: { usedBytes: 0, totalBytes: null, updatedAt: '2025-06-01T02:21:56.000Z' },
      });
      expect(mapUsage(usage.malformed)).toEqual({ ok: true, value: null });
    });

    it('reads usage without updated_at as measured when we read it', () => {
      const { updated_at: _at, ...rest } = usage.fixed;
      expect(mapUsage(rest, undefined, () => new Date('2025-06-03T00:00:00Z'))).toMatchObject({
        value: { updatedAt: '2025-06-03T00:00:00.000Z' },
      });
    });
  });

  describe('top-ups', () => {
    it('maps a completed and a failed top-up', () => {
      expect(mapTopUp(topUps.completed, 'tu-1')).toEqual({
        ok: true,
        value: { providerTopUpId: 'top_3fa94c0e1d2b', status: 'COMPLETED', expiresAt: '2025-08-01T10:00:00.123Z' },
      });
      expect(mapTopUp(topUps.failed, 'tu-1')).toEqual({
        ok: true,
        value: {
          providerTopUpId: 'top_0000000000aa',
          status: 'FAILED',
          failureReason: 'carrier_rejected',
          expiresAt: null,
        },
      });
    });

    it('reads an unknown or absent status as PROCESSING (asked again under the same key) and an absent id as our reference', () => {
      expect(mapTopUp({ ...topUps.completed, status: 'QUEUED' }, 'tu-1')).toMatchObject({
        ok: true,
        value: { status: 'PROCESSING' },
      });
      const { topup_id: _id, status: _status, ...bare } = topUps.completed;
      expect(mapTopUp(bare, 'tu-1')).toMatchObject({
        ok: true,
        value: { providerTopUpId: 'tu-1', status: 'PROCESSING' },
      });
    });
  });

  describe('timestamps', () => {
    it('reads microsecond UTC timestamps as ISO-8601 with milliseconds', () => {
      expect(isoOf('2025-06-01T02:21:56.608000Z')).toBe('2025-06-01T02:21:56.608Z');
      expect(isoOf('2025-06-01T04:21:56.6+02:00')).toBe('2025-06-01T02:21:56.600Z');
      expect(isoOf(null)).toBeNull();
      expect(isoOf('yesterday')).toBeUndefined();
    });
  });
});
