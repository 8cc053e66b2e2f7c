import { BYTES_PER_GB } from '../../../src/domain/data-units';
import { BadUserInputError } from '../../../src/domain/errors';
import {
  mapBalance,
  mapPlan,
  normalizePlan,
  regionNameOf,
} from '../../../src/providers/esimplatform/esimplatform.mapper';
import {
  ESIMPLATFORM_REGION_CODES,
  type RawBalance,
  type RawPlan,
} from '../../../src/providers/esimplatform/esimplatform.types';
import {
  ESIM_STATUS_TABLE,
  mapOrder,
  mapProfile,
  mapProfileUsage,
  mapTopUpAnswer,
  mapTopUpOption,
  orderProfileOf,
  orderRequestOf,
  orderWordOf,
} from '../../../src/providers/esimplatform/esimplatform.order-mapper';
import type {
  RawOrder,
  RawProfile,
  RawProfileUsage,
  RawTopUpPackage,
  RawTopUpResponse,
} from '../../../src/providers/esimplatform/esimplatform.order-types';
import { PROFILE_STATUSES } from '../../../src/domain/profile-status';
import profilesRaw from '../../fixtures/providers/esimplatform/profiles.raw.json';
import profilesExpected from '../../fixtures/providers/esimplatform/profiles.expected.json';
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
  const notes = () => ({ missingField: jest.fn(), unknownWord: jest.fn() });

  it('reads the documented profile (iccid, status, data_remaining, validity_days): the ICCID is the handle, no activation fields', () => {
    profilesRaw.forEach((raw, i) => expect(mapProfile(raw.profile as RawProfile)).toEqual(profilesExpected[i]));
    expect(mapProfile({ iccid: '8901260000000000000', status: 'frozen' })).toMatchObject({
      rawStatus: 'frozen',
      status: null,
    });
    expect(new Set(Object.values(ESIM_STATUS_TABLE))).toEqual(new Set(PROFILE_STATUSES));
  });

  it('maps a done order to COMPLETED with the eSIM it names, its QR code URL kept', () => {
    const profile = mapProfile({ iccid: order.iccid!, status: 'released' }, order.qr_code_url!);
    expect(mapOrder(order, profile)).toEqual(orderExpected);
  });

  it.each([
    ['pending', true, 'PROCESSING'],
    ['active', true, 'COMPLETED'],
    [' Completed ', true, 'COMPLETED'],
    ['active', false, 'PROCESSING'],
    ['completed', false, 'PROCESSING'],
    ['cancelled', true, 'FAILED'],
    ['expired', false, 'FAILED'],
    ['on_hold', true, 'PROCESSING'],
  ])('maps order word %j (eSIM known: %s) to %s', (status, known, expected) => {
    const profile = known ? mapProfile({ iccid: order.iccid!, status: 'released' }) : null;
    const mapped = mapOrder({ ...order, status }, profile);
    expect(mapped.status).toBe(expected);
    expect(mapped.profiles).toHaveLength(expected === 'COMPLETED' ? 1 : 0);
    if (expected === 'FAILED') expect(mapped.failureReason).toBeTruthy();
  });

  it('knows the documented order words and no others', () => {
    expect(['pending', 'active', 'completed', 'cancelled', 'expired', ' Active '].map(orderWordOf)).toEqual([
      'PENDING',
      'DONE',
      'DONE',
      'ENDED',
      'ENDED',
      'DONE',
    ]);
    expect([orderWordOf('failed'), orderWordOf('on_hold'), orderWordOf(undefined)]).toEqual([null, null, null]);
  });

  it('names the eSIM of a done order from the order alone when its state cannot be read: state unknown', () => {
    expect(orderProfileOf({ ...order, iccid: order.iccid! })).toEqual({
      iccid: order.iccid,
      providerProfileId: order.iccid,
      rawStatus: 'active',
      status: null,
      smdpAddress: null,
      matchingId: null,
      qrCodeUrl: order.qr_code_url,
      expiresAt: null,
    });
  });

  it('reads "Get Profile Usage" as MB (1 MB = 1024² bytes), null limit as unlimited, and refuses what is not an MB count', () => {
    const raws = usageRaw.map((r) => r.usage as unknown as RawProfileUsage);
    expect(raws.map((raw) => mapProfileUsage(raw, '2025-01-16T09:00:00.000Z'))).toEqual(usageExpected);
  });

  it('builds the order body from the customer as given, with our reference, one eSIM per call', () => {
    const request = {
      reference: 'o-ref-1',
      planCode: 'plan-2001',
      quantity: 1,
      expectedUnitPrice: { amount: '4.85', currency: 'USD' },
      customer: { email: ' c@example.com ', name: 'C' },
    };
    expect(orderRequestOf(request)).toEqual({
      plan_id: 'plan-2001',
      quantity: 1,
      end_customer_email: 'c@example.com',
      customer_name: 'C',
      reference: 'o-ref-1',
    });
  });

  it.each([
    ['no customer', undefined, 'customer.email'],
    ['no email', { email: null, name: 'C' }, 'customer.email'],
    ['a blank name', { email: 'c@example.com', name: '   ' }, 'customer.name'],
  ])('refuses an order with %s (BadUserInputError), never inventing one', (_what, customer, field) => {
    const request = {
      reference: 'o-ref-1',
      planCode: 'plan-2001',
      quantity: 1,
      expectedUnitPrice: { amount: '4.85', currency: 'USD' },
      customer,
    };
    let error: unknown;
    try {
      orderRequestOf(request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { field } });
  });

  it('refuses more than one eSIM per order call', () => {
    const request = {
      reference: 'o-ref-1',
      planCode: 'plan-2001',
      quantity: 2,
      expectedUnitPrice: { amount: '4.85', currency: 'USD' },
      customer: { email: 'c@example.com', name: 'C' },
    };
    expect(() => orderRequestOf(request)).toThrow(BadUserInputError);
  });

  it('maps top-up packages onto their base plan coverage, with their own code, data, days and exact price', () => {
    const base = byCode('plan-2001')!;
    const sink = notes();
    const [bare, named, free, noDays] = (topUpsRaw.plans as unknown as RawTopUpPackage[]).map((pkg) =>
      mapTopUpOption(pkg, base, sink),
    );
    expect(bare).toEqual({
      ...base,
      id: 'esimplatform:PKG_5GB_30D',
      code: 'PKG_5GB_30D',
      name: 'PKG_5GB_30D',
      dataBytes: 5 * BYTES_PER_GB,
      validityDays: 30,
      wholesalePrice: { amount: '15', currency: 'USD' },
      topUpSupported: false,
    });
    expect(named).toMatchObject({
      code: 'PKG_1GB_7D_P2001',
      name: '1GB top-up - France',
      wholesalePrice: { amount: '2.675', currency: 'USD' },
      countries: ['FR'],
    });
    expect([free, noDays]).toEqual([null, null]);
    expect(sink.missingField).toHaveBeenCalledWith('plans[].currency', expect.any(String));
  });

  it('maps a top-up package without a known base plan: coverage unknown (GLOBAL, no countries), USD', () => {
    const [bare] = (topUpsRaw.plans as unknown as RawTopUpPackage[]).map((pkg) => mapTopUpOption(pkg, null));
    expect(bare).toEqual({
      id: 'esimplatform:PKG_5GB_30D',
      providerId: 'esimplatform',
      code: 'PKG_5GB_30D',
      name: 'PKG_5GB_30D',
      coverage: 'GLOBAL',
      countries: [],
      regionName: null,
      dataBytes: 5 * BYTES_PER_GB,
      validityDays: 30,
      wholesalePrice: { amount: '15', currency: 'USD' },
      topUpSupported: false,
      profileType: 'STANDARD',
      voiceMinutes: null,
      smsCount: null,
      dayPass: false,
      networks: [],
    });
  });

  it('maps the documented top-up answer (topup_details: {}) to COMPLETED under our reference, saying so once', () => {
    const sink = notes();
    expect(mapTopUpAnswer(topUpRaw as RawTopUpResponse, 'tu-ref-1', sink)).toEqual(topUpExpected);
    expect(sink.missingField).toHaveBeenCalledWith('topup_details.id', 'our top-up reference');
  });

  it('honours an id, a pending or failed word and an expiry if topup_details ever carries them', () => {
    const answer = (details: object) => ({ success: true, topup_details: details }) as RawTopUpResponse;
    expect(
      mapTopUpAnswer(answer({ id: 'topup-1', status: 'completed', expires_at: '2025-08-13T10:00:00Z' }), 'ref'),
    ).toEqual({ providerTopUpId: 'topup-1', status: 'COMPLETED', expiresAt: '2025-08-13T10:00:00.000Z' });
    expect(mapTopUpAnswer(answer({ status: 'pending' }), 'ref').status).toBe('PROCESSING');
    expect(mapTopUpAnswer(answer({ status: 'failed' }), 'ref')).toMatchObject({
      status: 'FAILED',
      failureReason: expect.any(String),
    });
    const sink = notes();
    expect(mapTopUpAnswer(answer({ status: 'queued' }), 'ref', sink).status).toBe('COMPLETED');
    expect(sink.unknownWord).toHaveBeenCalledWith('top-up', 'queued', expect.any(String));
  });
});
