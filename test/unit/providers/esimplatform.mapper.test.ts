import { BYTES_PER_GB } from '../../../src/domain/data-units';
import { mapBalance, mapPlan, normalizePlan, regionNameOf } from '../../../src/providers/esimplatform/esimplatform.mapper';
import { ESIMPLATFORM_REGION_CODES, type RawBalance, type RawPlan } from '../../../src/providers/esimplatform/esimplatform.types';
import {
  ESIM_STATUS_TABLE, isKnownOrderStatus, mapEsim, mapOrder, mapTopUp, mapTopUpOption, mapUsage, orderRequestOf,
} from '../../../src/providers/esimplatform/esimplatform.order-mapper';
import type { RawEsim, RawOrder, RawTopUpPackage, RawUsage } from '../../../src/providers/esimplatform/esimplatform.order-types';
import { PROFILE_STATUSES } from '../../../src/domain/profile-status';
import esimsRaw from '../../fixtures/providers/esimplatform/esims.raw.json';
import esimsExpected from '../../fixtures/providers/esimplatform/esims.expected.json';
import orderRaw from '../../fixtures/providers/esimplatform/order.raw.json';
import orderExpected from '../../fixtures/providers/esimplatform/order.expected.json';
import usageRaw from '../../fixtures/providers/esimplatform/usage.raw.json';
import usageExpected from '../../fixtures/providers/esimplatform/usage.expected.json';
import topUpsRaw from '../../fixtures/providers/esimplatform/topups.raw.json';
import topUpRaw from '../../fixtures/providers/esimplatform/topup.raw.json';
import topUpExpected from '../../fixtures/providers/esimplatform/topup.expected.json';
import balanceRaw from '../../fixtures/providers/esimplatform/balance.raw.json';
import balanceExpected from '../../fixtures/providers/esimplatform/balance.expected.json';
import plansRaw from '../../fixtures/providers/esimplatform/plans.raw.json';
import plansExpected from '../../fixtures/providers/esimplatform/plans.expected.json';

const raws = plansRaw.data as unknown as RawPlan[];
const byCode = (code: string) => mapPlan(raws.find((r) => r.id === code)!);

describe('esimplatform mapper', () => {
  it('normalizes each raw plan of the fixture to its expected plan, or skips it', () => {
    expect(raws).toHaveLength(plansExpected.length);
    raws.forEach((raw, i) => expect(mapPlan(raw)).toEqual(plansExpected[i]));
  });

  it('converts MB to bytes with 1 GB = 1024^3 bytes', () => {
    expect(byCode('plan-2001')?.dataBytes).toBe(5 * BYTES_PER_GB);
    expect(byCode('plan-2004')?.dataBytes).toBe(BYTES_PER_GB);
    expect(byCode('plan-2002')?.dataBytes).toBe(500 * 1024 * 1024);
  });

  it('keeps JSON-number prices as exact decimal strings, never rounded through a float', () => {
    expect(byCode('plan-2002')?.wholesalePrice).toEqual({ amount: '2.675', currency: 'USD' });
    expect(byCode('plan-2004')?.wholesalePrice.amount).toBe('9.9');
    expect(byCode('plan-2005')?.wholesalePrice.amount).toBe('0.1');
    expect(byCode('plan-2003')?.wholesalePrice.amount).toBe('12');
  });

  it('gives countries as sorted, unique, upper-case ISO alpha-2 codes', () => {
    expect(byCode('plan-2002')?.countries).toEqual(['JP']);
    expect(byCode('plan-2002')?.networks?.[0].country).toBe('JP');
    expect(byCode('plan-2003')?.countries).toEqual(['DE', 'ES', 'FR']);
  });

  it('derives coverage: country_code → COUNTRY, a region code → REGION, GLOBAL → GLOBAL', () => {
    expect(byCode('plan-2001')).toMatchObject({ coverage: 'COUNTRY', regionName: null });
    expect(byCode('plan-2003')).toMatchObject({ coverage: 'REGION', regionName: 'Europe' });
    expect(byCode('plan-2004')).toMatchObject({ coverage: 'GLOBAL', regionName: 'Global' });
  });

  it('maps unlimited plans to null bytes, and never marks a plan as a day pass', () => {
    expect(byCode('plan-2005')).toMatchObject({ dataBytes: null, dayPass: false });
    expect(raws.map(mapPlan).every((p) => p === null || p.dayPass === false)).toBe(true);
  });

  it.each([
    ['plan-2006', 'unknown or missing country'],
    ['plan-2007', 'unknown or missing country'],
    ['plan-2008', 'invalid price'],
    ['plan-2009', 'unknown region code'],
    ['plan-2010', 'invalid data volume'],
    ['plan-2011', 'invalid price'],
    ['plan-2012', 'invalid validity'],
  ])('skips %s and says why (%s) instead of guessing', (code, reason) => {
    expect(normalizePlan(raws.find((r) => r.id === code)!)).toEqual({ skipped: reason });
  });

  it('skips an entry that is not a plan at all', () => {
    expect(mapPlan(null as unknown as RawPlan)).toBeNull();
    expect(mapPlan({} as RawPlan)).toBeNull();
  });

  it('names every documented region code', () => {
    for (const code of ESIMPLATFORM_REGION_CODES) expect(regionNameOf(code).length).toBeGreaterThan(0);
  });

  it('reads the prepaid balance, the postpaid available credit, and nothing from an unknown billing mode', () => {
    for (const key of ['prepaid', 'postpaid', 'unknownMode'] as const) {
      expect(mapBalance(balanceRaw[key] as unknown as RawBalance)).toEqual(balanceExpected[key]);
    }
  });
});

describe('esimplatform order and eSIM mapper', () => {
  const order = orderRaw.order as unknown as RawOrder;
  const esims = esimsRaw.data as unknown as RawEsim[];

  it('maps every eSIM status word of the table, with null for an unknown word ("frozen")', () => {
    esims.forEach((raw, i) => expect(mapEsim(raw)).toEqual(esimsExpected[i]));
    expect(mapEsim({ ...esims[0], status: 'frozen' })).toMatchObject({ rawStatus: 'frozen', status: null });
    expect(new Set(Object.values(ESIM_STATUS_TABLE))).toEqual(new Set(PROFILE_STATUSES));
  });

  it('takes the SM-DP+ address and matching id from the activation code when the fields are absent', () => {
    expect(mapEsim(esims[2])).toMatchObject({ smdpAddress: 'smdp.esim-platform.example', matchingId: 'MATCH2', expiresAt: '2025-07-14T10:00:00.000Z' });
  });

  it('maps an allocated order to COMPLETED with every eSIM', () => {
    expect(mapOrder(order)).toEqual(orderExpected);
  });

  it.each([
    ['pending', [], 'PROCESSING'],
    ['active', [0], 'PROCESSING'],
    ['completed', [0, 1], 'COMPLETED'],
    ['expired', [0, 1], 'COMPLETED'],
    ['cancelled', [0, 1], 'COMPLETED'],
    ['cancelled', [], 'FAILED'],
    ['failed', [], 'FAILED'],
    ['on_hold', [0, 1], 'PROCESSING'],
  ])('maps order status %s with %j eSIMs to %s', (status, indexes, expected) => {
    const mapped = mapOrder({ ...order, status, esims: indexes.map((i) => order.esims![i]) });
    expect(mapped.status).toBe(expected);
    expect(mapped.profiles).toHaveLength(expected === 'COMPLETED' ? 2 : 0);
    if (expected === 'FAILED') expect(mapped.failureReason).toBeTruthy();
  });

  it('knows the documented order words and no others', () => {
    for (const word of ['pending', 'active', 'completed', 'cancelled', 'expired', 'failed', ' Active ']) expect(isKnownOrderStatus(word)).toBe(true);
    expect(isKnownOrderStatus('on_hold')).toBe(false);
  });

  it('reads usage in bytes, with the receipt time when the platform gives none, and refuses negative counts', () => {
    const raws = usageRaw.usage as unknown as RawUsage[];
    expect(raws.map((raw) => mapUsage(raw, '2025-01-16T09:00:00.000Z'))).toEqual(usageExpected);
  });

  it('builds the order body with our reference, falling back to the account email without a customer', () => {
    const request = { reference: 'o-ref-1', planCode: 'plan-2001', quantity: 2, expectedUnitPrice: { amount: '4.85', currency: 'USD' } };
    expect(orderRequestOf(request, 'reseller@example.com')).toEqual({
      plan_id: 'plan-2001', quantity: 2, end_customer_email: 'reseller@example.com', customer_name: 'Order o-ref-1', reference: 'o-ref-1',
    });
    expect(orderRequestOf({ ...request, customer: { email: 'c@example.com', name: 'C' } }, 'x@example.com')).toMatchObject({ end_customer_email: 'c@example.com', customer_name: 'C' });
  });

  it('maps top-up packages onto their base plan coverage, with their own code, data, days and exact price', () => {
    const base = byCode('plan-2001')!;
    const [own, bare, free, noDays] = (topUpsRaw.plans as unknown as RawTopUpPackage[]).map((pkg) => mapTopUpOption(pkg, base));
    expect(own).toEqual({
      ...base, id: 'esimplatform:PKG_5GB_30D_P2001', code: 'PKG_5GB_30D_P2001', name: '5GB top-up - France', dataBytes: 5 * BYTES_PER_GB, validityDays: 30,
      wholesalePrice: { amount: '4.85', currency: 'USD' }, topUpSupported: false,
    });
    expect(bare).toMatchObject({ code: 'PKG_5GB_30D', name: 'PKG_5GB_30D', wholesalePrice: { amount: '15', currency: 'USD' }, countries: ['FR'] });
    expect([free, noDays]).toEqual([null, null]);
  });

  it('maps the top-up answer, and an unknown top-up word to PROCESSING', () => {
    const details = topUpRaw.topup_details;
    expect(mapTopUp(details)).toEqual(topUpExpected);
    expect(mapTopUp({ ...details, status: 'failed' })).toMatchObject({ status: 'FAILED', failureReason: expect.any(String) });
    expect(mapTopUp({ ...details, status: 'queued' }).status).toBe('PROCESSING');
  });
});
