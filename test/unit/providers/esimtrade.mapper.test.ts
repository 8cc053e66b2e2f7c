import { BYTES_PER_GB } from '../../../src/domain/data-units';
import { mapBalance, mapPlan, mapPlans } from '../../../src/providers/esimtrade/esimtrade.mapper';
import balanceRaw from '../../fixtures/providers/esimtrade/balance.raw.json';
import expected from '../../fixtures/providers/esimtrade/plans-page.expected.json';
import page from '../../fixtures/providers/esimtrade/plans-page.raw.json';
import esimsRaw from '../../fixtures/providers/esimtrade/esims.raw.json';
import orderExpected from '../../fixtures/providers/esimtrade/order.expected.json';
import orderRaw from '../../fixtures/providers/esimtrade/order.raw.json';
import ordersPage from '../../fixtures/providers/esimtrade/orders-page.raw.json';
import topUpOptions from '../../fixtures/providers/esimtrade/topup-options.raw.json';
import topUpRaw from '../../fixtures/providers/esimtrade/topup.raw.json';
import { PROFILE_STATUSES } from '../../../src/domain/profile-status';
import {
  ESIMTRADE_STATUS_TABLE,
  mapOperationStatus,
  mapOrder,
  mapOrderSummary,
  mapProfile,
  mapTopUp,
  mapUsage,
} from '../../../src/providers/esimtrade/esimtrade.order-mapper';

const { plans, skipped } = mapPlans(page.data);
const plan = (code: string) => plans.find((p) => p.code === code);
const base = page.data[0] as Record<string, unknown>;

describe('eSIMTrade mapper', () => {
  it('normalizes a raw plans page into the expected catalog plans', () => {
    expect(plans).toEqual(expected.plans);
  });

  describe('data units', () => {
    it('counts GB as 1024^3 bytes', () => {
      expect(plan('fr-5gb-30d')?.dataBytes).toBe(5 * BYTES_PER_GB);
      expect(plan('es-1-5gb-15d')?.dataBytes).toBe(1_610_612_736);
    });

    it('counts MB as 1024^2 bytes, so 1024 MB is exactly 1 GB', () => {
      expect(plan('de-512mb-7d')?.dataBytes).toBe(536_870_912);
      expect(plan('global-1gb-30d')?.dataBytes).toBe(BYTES_PER_GB);
      expect(plan('europe-10gb-30d')?.dataBytes).toBe(10 * BYTES_PER_GB);
    });

    it('accepts a numeric string amount as the same number of bytes', () => {
      expect(mapPlan({ ...base, data: { amount: '5', unit: 'GB' } })?.dataBytes).toBe(5 * BYTES_PER_GB);
    });
  });

  describe('money', () => {
    it('keeps decimal-string prices exact, without rounding', () => {
      expect(plan('fr-5gb-30d')?.wholesalePrice).toEqual({ amount: '4.99', currency: 'USD' });
      expect(plan('es-1-5gb-15d')?.wholesalePrice).toEqual({ amount: '2.675', currency: 'USD' });
      expect(plan('europe-10gb-30d')?.wholesalePrice.amount).toBe('13.2');
    });

    it('reads a JSON-number price through its shortest decimal representation', () => {
      expect(plan('it-unl-10d')?.wholesalePrice).toEqual({ amount: '12.5', currency: 'USD' });
      expect(mapPlan({ ...base, price: { amount: 4.05, currency: 'USD' } })?.wholesalePrice.amount).toBe('4.05');
    });

    it('refuses a price with more precision than a money amount holds, rather than rounding it', () => {
      expect(mapPlan({ ...base, price: { amount: 0.1 + 0.2, currency: 'USD' } })).toBeNull();
    });

    it('reads the wallet balance as an exact decimal string', () => {
      expect(mapBalance(balanceRaw.data)).toEqual({ amount: '1234.5', currency: 'USD' });
      expect(mapBalance({ balance: 'lots', currency: 'USD' })).toBeNull();
      expect(mapBalance({ balance: '10.00', currency: 'dollars' })).toBeNull();
    });
  });

  describe('countries and coverage', () => {
    it('gives sorted, unique, upper-case alpha-2 codes', () => {
      expect(plan('de-512mb-7d')?.countries).toEqual(['DE']);
      expect(plan('europe-10gb-30d')?.countries).toEqual(['DE', 'ES', 'FR']);
      expect(plan('global-1gb-30d')?.countries).toEqual(['GB', 'JP', 'US']);
    });

    it('maps local, regional and global to COUNTRY, REGION and GLOBAL with their region names', () => {
      expect(plans.map((p) => [p.code, p.coverage, p.regionName])).toEqual([
        ['fr-5gb-30d', 'COUNTRY', null],
        ['de-512mb-7d', 'COUNTRY', null],
        ['es-1-5gb-15d', 'COUNTRY', null],
        ['it-unl-10d', 'COUNTRY', null],
        ['europe-10gb-30d', 'REGION', 'Europe'],
        ['global-1gb-30d', 'GLOBAL', 'Global'],
      ]);
    });

    it("keeps only operators of the plan's own, known countries", () => {
      expect(plan('europe-10gb-30d')?.networks).toEqual([{ country: 'DE', operator: 'Vodafone', speed: '5G' }]);
      expect(plan('de-512mb-7d')?.networks).toEqual([{ country: 'DE', operator: 'Telekom', speed: null }]);
    });
  });

  describe('unlimited and day passes', () => {
    it('gives null bytes for an unlimited plan', () => {
      expect(plan('it-unl-10d')?.dataBytes).toBeNull();
    });

    it('never marks a plan as a day pass, since eSIMTrade sells none', () => {
      expect(plans.every((p) => p.dayPass === false)).toBe(true);
    });

    it('reads top-up support only from an explicit true', () => {
      expect(plans.map((p) => p.topUpSupported)).toEqual([true, false, true, true, true, false]);
    });
  });

  describe('malformed entries', () => {
    it('skips and reports every entry it cannot normalize instead of guessing', () => {
      expect(skipped).toEqual(expected.skipped);
      expect(plans).toHaveLength(page.data.length - expected.skipped.length);
    });

    it.each([
      ['an unknown country code', { countries: [{ code: 'XX' }] }],
      ['an alpha-3 country code', { countries: [{ code: 'FRA' }] }],
      ['no countries', { countries: [] }],
      ['an unknown data unit', { data: { amount: 5, unit: 'TB' } }],
      ['a negative data amount', { data: { amount: -1, unit: 'GB' } }],
      ['a malformed price', { price: { amount: '4,99', currency: 'USD' } }],
      ['a zero price', { price: { amount: '0', currency: 'USD' } }],
      ['a price without a currency', { price: { amount: '4.99' } }],
      ['an unknown plan type', { type: 'cruise' }],
      ['a fractional validity', { validity_days: 1.5 }],
      ['no data allowance (null would read as unlimited)', { data: undefined }],
      ['no price', { price: undefined }],
      ['no validity', { validity_days: undefined }],
    ])('returns null for a plan with %s', (_what, patch) => {
      expect(mapPlan({ ...base, ...patch })).toBeNull();
    });

    it('keeps a plan whose other assumed fields are absent, with the documented fallbacks, saying each once', () => {
      const said: string[] = [];
      const notes = {
        missingField: (field: string) => said.push(field),
        unknownWord: (kind: string) => said.push(kind),
        skipped: () => undefined,
      };
      const { name: _n, type: _t, countries: _c, operators: _o, topup: _u, region: _r, ...bare } = base;
      expect(mapPlan(bare, notes)).toMatchObject({
        code: base.slug,
        name: base.slug,
        coverage: 'COUNTRY',
        countries: [],
        networks: [],
        topUpSupported: false,
      });
      expect(said.sort()).toEqual(['plan.countries', 'plan.name', 'plan.type']);
      expect(mapPlan({ ...bare, countries: [{ code: 'FR' }, { code: 'DE' }] }, notes)?.coverage).toBe('REGION');
      // A type word we do not know is not guessed: the plan is skipped, the word said.
      expect(mapPlan({ ...base, type: 'cruise' }, notes)).toBeNull();
      expect(said).toContain('plan type');
    });

    it('returns null for something that is not a plan object', () => {
      expect(mapPlan(null)).toBeNull();
      expect(mapPlan(['fr-5gb-30d'])).toBeNull();
    });
  });
});

describe('eSIMTrade order, eSIM and top-up mapper', () => {
  const order = orderRaw.data;
  const [active, installed] = esimsRaw.data;

  it('maps a raw order into the expected order, keeping an unknown eSIM word as raw status with status null', () => {
    expect(mapOrder(order)).toEqual(orderExpected);
  });

  it.each([
    ['ready', 'NOT_INSTALLED'],
    ['installed', 'INSTALLED'],
    ['active', 'ACTIVE'],
    ['suspended', 'SUSPENDED'],
    ['depleted', 'DEPLETED'],
    ['expired', 'EXPIRED'],
    ['revoked', 'REVOKED'],
    ['cancelled', 'CANCELLED'],
    [' Active ', 'ACTIVE'],
    ['frozen', null],
    ['in_use', null],
  ])('maps the eSIM word "%s" to %s', (word, expected) => {
    expect(mapProfile({ ...active, status: word })).toMatchObject({ rawStatus: word, status: expected });
  });

  it('has a table covering every contract state, so no state is unreachable', () => {
    expect(new Set(Object.values(ESIMTRADE_STATUS_TABLE))).toEqual(new Set(PROFILE_STATUSES));
  });

  it('maps eSIMs of the inventory list, the ICCID doubling as the provider handle', () => {
    expect(mapProfile(active)).toEqual({
      iccid: '8937200000123456789',
      providerProfileId: '8937200000123456789',
      rawStatus: 'active',
      status: 'ACTIVE',
      smdpAddress: 'smdp.esimtrade.com',
      matchingId: 'A1B2C3D4E5F60718293A',
      qrCodeUrl: 'https://api.esimtrade.com/qr/8937200000123456789.png',
      expiresAt: '2025-07-02T09:00:00.000Z',
    });
    expect(mapProfile(installed)).toMatchObject({ status: 'INSTALLED', qrCodeUrl: null, expiresAt: null });
  });

  it.each([
    ['no ICCID', { iccid: undefined }],
    ['a non-numeric ICCID', { iccid: '89-37200' }],
  ])('returns null for an eSIM with %s (none asked by)', (_what, patch) => {
    expect(mapProfile({ ...active, ...patch })).toBeNull();
  });

  it('reads an eSIM without its assumed fields: the ICCID asked by, status null, activation from the LPA code or null', () => {
    const { iccid, status: _s, smdp_address: _a, matching_id: _m, ...bare } = active;
    expect(mapProfile(bare, undefined, iccid)).toMatchObject({
      iccid,
      providerProfileId: iccid,
      rawStatus: '',
      status: null,
      smdpAddress: 'smdp.esimtrade.com',
      matchingId: expect.any(String),
    });
    const { activation_code: _lpa, ...bareer } = bare;
    expect(mapProfile(bareer, undefined, iccid)).toMatchObject({
      smdpAddress: null,
      matchingId: null,
      qrCodeUrl: active.qr_code_url,
    });
  });

  it('reads usage in bytes, exactly, with a null total for unlimited', () => {
    expect(mapUsage(active)).toEqual({
      usedBytes: 1_610_612_736,
      totalBytes: 5_368_709_120,
      updatedAt: '2025-06-03T08:15:00.000Z',
    });
    expect(mapUsage(installed)).toEqual({ usedBytes: 0, totalBytes: null, updatedAt: '2025-06-03T08:15:00.000Z' });
    expect(mapUsage({ ...active, usage: { ...active.usage, used_bytes: 1.5 } })).toBeNull();
    expect(mapUsage({ ...active, usage: { ...active.usage, used_bytes: '10' } })).toBeNull();
    expect(mapUsage({ ...active, usage: undefined })).toBeNull();
  });

  it('reads usage without updated_at as measured when read, and without a total as total null', () => {
    const now = () => new Date('2025-06-04T00:00:00Z');
    expect(mapUsage({ ...active, usage: { used_bytes: 10 } }, undefined, now)).toEqual({
      usedBytes: 10,
      totalBytes: null,
      updatedAt: '2025-06-04T00:00:00.000Z',
    });
  });

  describe('order status', () => {
    it('maps the order words and nothing else', () => {
      expect(['processing', 'completed', 'failed', 'COMPLETED', 'shipped', 7].map(mapOperationStatus)).toEqual([
        'PROCESSING',
        'COMPLETED',
        'FAILED',
        'COMPLETED',
        null,
        null,
      ]);
    });

    it('reads an unknown order word as PROCESSING and reports the word', () => {
      expect(mapOrder({ ...order, status: 'on_hold' })).toMatchObject({
        order: { status: 'PROCESSING' },
        unknownStatus: 'on_hold',
      });
    });

    it('reads `completed` with fewer eSIMs than ordered as PROCESSING', () => {
      expect(mapOrder({ ...order, esims: order.esims.slice(0, 1) })?.order.status).toBe('PROCESSING');
    });

    it('carries the failure reason of a failed order', () => {
      expect(mapOrder({ ...order, status: 'failed', esims: [], failure_reason: 'supplier refused' })?.order).toEqual({
        providerOrderId: 'EST-0004815162',
        status: 'FAILED',
        profiles: [],
        failureReason: 'supplier refused',
      });
    });

    it('returns null for an order without a number, unless we asked by one', () => {
      expect(mapOrder({ ...order, order_number: '' })).toBeNull();
      expect(mapOrder({ ...order, order_number: undefined }, undefined, 'EST-1')?.order.providerOrderId).toBe('EST-1');
    });

    it('reads an order without eSIMs or status as PROCESSING, leaving out an eSIM without ICCID', () => {
      expect(mapOrder({ ...order, esims: undefined })?.order).toMatchObject({ status: 'PROCESSING', profiles: [] });
      expect(mapOrder({ ...order, status: undefined })).toMatchObject({
        order: { status: 'PROCESSING' },
        unknownStatus: null,
      });
      expect(
        mapOrder({ ...order, esims: [{ ...order.esims[0], iccid: null }, ...order.esims.slice(1)] })?.order,
      ).toMatchObject({
        status: 'PROCESSING',
        profiles: order.esims.slice(1).map((e) => expect.objectContaining({ iccid: e.iccid })),
      });
    });
  });

  it('reads order numbers and references of the order search', () => {
    expect(ordersPage.data.map(mapOrderSummary)).toEqual([
      { orderNumber: 'EST-0004815170', reference: 'shop-77' },
      { orderNumber: 'EST-0004815162', reference: 'shop-7' },
    ]);
    expect(mapOrderSummary({ reference: 'shop-7' })).toBeNull();
  });

  it('maps top-up options with the plan mapper, as top-up plan codes', () => {
    const { plans: options, skipped: none } = mapPlans(topUpOptions.data);
    expect(none).toEqual([]);
    expect(options.map((o) => [o.id, o.dataBytes, o.wholesalePrice.amount])).toEqual([
      ['esimtrade:topup-fr-5gb-30d', 5 * BYTES_PER_GB, '4.41'],
      ['esimtrade:topup-fr-1gb-7d', BYTES_PER_GB, '1.35'],
    ]);
  });

  it('maps a bought top-up, reading an unknown word as PROCESSING', () => {
    expect(mapTopUp(topUpRaw.data, 'tu-1')).toEqual({
      topUp: { providerTopUpId: 'T5A1C0FFEE042', status: 'COMPLETED', expiresAt: '2025-08-01T09:00:00.000Z' },
      price: { amount: '4.41', currency: 'USD' },
      unknownStatus: null,
    });
    expect(mapTopUp({ ...topUpRaw.data, status: 'queued' }, 'tu-1')).toMatchObject({
      topUp: { status: 'PROCESSING' },
      unknownStatus: 'queued',
    });
    expect(
      mapTopUp({ ...topUpRaw.data, status: 'failed', failure_reason: 'eSIM expired' }, 'tu-1')?.topUp,
    ).toMatchObject({ status: 'FAILED', failureReason: 'eSIM expired' });
    // Absent id and status: our reference names it, and PROCESSING asks again under the same key.
    expect(mapTopUp({ ...topUpRaw.data, topup_id: undefined, status: undefined }, 'tu-1')).toMatchObject({
      topUp: { providerTopUpId: 'tu-1', status: 'PROCESSING' },
      unknownStatus: null,
    });
  });
});
