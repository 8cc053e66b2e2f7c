import { BYTES_PER_GB } from '../../../src/domain/data-units';
import type { CatalogPlan } from '../../../src/domain/plan';
import {
  coverageOf,
  profileTypeOf,
  toCatalogPlan,
  toPlanNetwork,
  type MapOutcome,
} from '../../../src/providers/comium/comium.mapper';
import rawBundles from '../../fixtures/providers/comium/bundles.raw.json';
import expectedBundles from '../../fixtures/providers/comium/bundles.expected.json';
import rawNetworks from '../../fixtures/providers/comium/networks.raw.json';
import expectedNetworks from '../../fixtures/providers/comium/networks.expected.json';
import rawOrders from '../../fixtures/providers/comium/orders.raw.json';
import expectedOrders from '../../fixtures/providers/comium/orders.expected.json';
import rawConsumption from '../../fixtures/providers/comium/consumption.raw.json';
import expectedConsumption from '../../fixtures/providers/comium/consumption.expected.json';
import { PROFILE_STATUSES } from '../../../src/domain/profile-status';
import {
  COMIUM_PROFILE_STATUS,
  matchReference,
  planStatusOf,
  statusWord,
  toProfileFromConsumption,
  toOrderFromItem,
  toOrderFromSale,
  deviceOf,
  toUpstreamTopUp,
  toUpstreamUsage,
} from '../../../src/providers/comium/comium.order-mapper';

function split<T>(outcomes: MapOutcome<T>[]): { values: T[]; skipped: { code: string | null; reason: string }[] } {
  const values: T[] = [];
  const skipped: { code: string | null; reason: string }[] = [];
  for (const o of outcomes) {
    if (o.ok) values.push(o.value);
    else skipped.push({ code: o.code, reason: o.reason });
  }
  return { values, skipped };
}

const mapped = split((rawBundles.data as unknown[]).map((raw) => toCatalogPlan(raw)));
const byCode = (code: string): CatalogPlan => mapped.values.find((p) => p.code === code)!;

describe('comium mapper: bundles', () => {
  it('maps every well-formed bundle to the expected normalized plan', () => {
    expect(mapped.values).toEqual(expectedBundles.plans);
  });

  it('skips and explains every bundle it cannot normalize, never guessing', () => {
    expect(mapped.skipped).toEqual(expectedBundles.skipped);
  });

  it('converts MB quotas to bytes with 1 GB = 1024 MB = 1024^3 bytes, numbers or digit strings alike', () => {
    expect(byCode('FRA5GB_3102938429').dataBytes).toBe(5 * BYTES_PER_GB);
    expect(byCode('GLOBAL1GB_8499644637').dataBytes).toBe(1_073_741_824);
  });

  it('reads the "unlimited" quota as null data and never marks a day pass', () => {
    expect(byCode('USAUNL_5550001111').dataBytes).toBeNull();
    expect(mapped.values.every((p) => p.dayPass === false)).toBe(true);
  });

  it('keeps bundle_price_final as an exact USD decimal string, from numbers or strings', () => {
    expect(byCode('FRA5GB_3102938429').wholesalePrice).toEqual({ amount: '7.45', currency: 'USD' });
    expect(byCode('USAUNL_5550001111').wholesalePrice.amount).toBe('0.3');
    expect(byCode('GLOBAL1GB_8499644637').wholesalePrice.amount).toBe('5.5');
  });

  it('maps alpha-3 countries to sorted, unique alpha-2 codes, Kosovo included', () => {
    expect(byCode('EUR10GB_9186260844').countries).toEqual(['AT', 'BE', 'DE', 'FR']);
    expect(byCode('GLOBAL1GB_8499644637').countries).toEqual(['GM', 'US', 'XK']);
    expect(byCode('USAUNL_5550001111').countries).toEqual(['US']);
  });

  it('reads an echoed bundle_category and country list when an item carries them (undocumented), and never skips a plan for lacking them', () => {
    expect(['country', 'region', 'global', 'cruise'].map((c) => coverageOf(c as never))).toEqual([
      'COUNTRY',
      'REGION',
      'GLOBAL',
      'CRUISE',
    ]);
    expect(byCode('CRUISE1GB_8012428018')).toMatchObject({
      coverage: 'CRUISE',
      countries: [],
      regionName: 'Cruise ships',
    });
    expect(byCode('NOCOUNTRY_1')).toMatchObject({ coverage: 'COUNTRY', countries: [] });
    // An echoed category no table knows: coverage from country_name ("Ocean" names no country).
    expect(byCode('OCEAN_1')).toMatchObject({ coverage: 'REGION', countries: [] });
  });

  it('keeps the profile type and reads voice and SMS only when the bundle supports calls and SMS', () => {
    expect(profileTypeOf('GLOBAL_ESIM')).toBe('GLOBAL_ESIM');
    expect(byCode('GESIM3GB_0137583836').profileType).toBe('GLOBAL_ESIM');
    expect(byCode('USAUNL_5550001111')).toMatchObject({ voiceMinutes: 100, smsCount: 50 });
    expect(byCode('DEU3GB_1111111111')).toMatchObject({ voiceMinutes: null, smsCount: null });
  });

  it('leaves networks to getNetworks and names plans by their marketing name, else their internal name', () => {
    expect(mapped.values.every((p) => p.networks === null)).toBe(true);
    expect(byCode('GLOBAL1GB_8499644637').name).toBe('GLOBAL_1GB_30D');
  });
});

describe('comium mapper: documented bundle items (no coverage fields)', () => {
  const item = {
    bundle_code: 'USA3GB_3102938429',
    bundle_name: 'USA3GB',
    bundle_marketing_name: 'USA 3GB 30 Days',
    country_name: 'United States',
    region_name: 'North America',
    validity: 30,
    data_quota: 3072,
    bundle_price_final: 9.5,
    subscriber_price: 14,
    reseller_retail_price: 12,
    support_topup: true,
    supports_calls_sms: true,
    profile_type: 'STANDARD',
  };

  it('takes coverage from the bundle_category asked, the country of a country bundle from country_name', () => {
    const notes = { missingField: jest.fn() };
    expect(toCatalogPlan(item, { category: 'country' }, notes)).toMatchObject({
      ok: true,
      value: { coverage: 'COUNTRY', countries: ['US'], regionName: null, dataBytes: 3 * BYTES_PER_GB },
    });
    // Voice allowances are not documented: null, said through the notes.
    expect(toCatalogPlan(item, { category: 'country' }, notes)).toMatchObject({
      ok: true,
      value: { voiceMinutes: null, smsCount: null },
    });
    expect(notes.missingField).toHaveBeenCalledWith('calls_quota/sms_quota', expect.any(String));
  });

  it('lists no countries for region and global bundles (none documented), named by region_name, and says so', () => {
    const notes = { missingField: jest.fn() };
    expect(
      toCatalogPlan({ ...item, country_name: 'Europe', region_name: 'Europe' }, { category: 'region' }, notes),
    ).toMatchObject({ ok: true, value: { coverage: 'REGION', countries: [], regionName: 'Europe' } });
    expect(toCatalogPlan({ ...item, country_name: 'Global' }, { category: 'global' }, notes)).toMatchObject({
      ok: true,
      value: { coverage: 'GLOBAL', countries: [] },
    });
    expect(notes.missingField).toHaveBeenCalledWith('countries', expect.any(String));
  });

  it('keeps a country bundle whose country_name names no country, with no countries (said), rather than skipping it', () => {
    const notes = { missingField: jest.fn() };
    expect(toCatalogPlan({ ...item, country_name: 'Atlantis' }, { category: 'country' }, notes)).toMatchObject({
      ok: true,
      value: { coverage: 'COUNTRY', countries: [] },
    });
    expect(notes.missingField).toHaveBeenCalledWith(
      'country_code',
      expect.any(String),
      expect.objectContaining({ countryName: 'Atlantis' }),
    );
  });

  it('takes a top-up item’s coverage from the catalog plan of the same code, else from country_name', () => {
    const known = { coverage: 'REGION' as const, countries: ['DE', 'FR'], regionName: 'Europe' };
    expect(toCatalogPlan(item, { known })).toMatchObject({
      ok: true,
      value: { coverage: 'REGION', countries: ['DE', 'FR'], regionName: 'North America' },
    });
    expect(toCatalogPlan(item)).toMatchObject({ ok: true, value: { coverage: 'COUNTRY', countries: ['US'] } });
    expect(toCatalogPlan({ ...item, country_name: 'Europe' })).toMatchObject({
      ok: true,
      value: { coverage: 'REGION', countries: [] },
    });
  });

  it('reads data_quota in MB, or the unlimited flag as null bytes', () => {
    expect(toCatalogPlan({ ...item, data_quota: '512' }, { category: 'country' })).toMatchObject({
      ok: true,
      value: { dataBytes: 512 * 1024 * 1024 },
    });
    expect(toCatalogPlan({ ...item, data_quota: 'Unlimited' }, { category: 'country' })).toMatchObject({
      ok: true,
      value: { dataBytes: null },
    });
    expect(toCatalogPlan({ ...item, data_quota: 'lots' }, { category: 'country' })).toMatchObject({
      ok: false,
      reason: 'malformed data_quota',
    });
  });
});

describe('comium mapper: networks', () => {
  const networks = split((rawNetworks.data as unknown[]).map(toPlanNetwork));

  it('maps alpha-3 network countries to alpha-2 and an empty speed to null', () => {
    expect(networks.values).toEqual(expectedNetworks.networks);
  });

  it('skips networks whose country is not alpha-3 or whose operator is missing', () => {
    expect(networks.skipped).toEqual(expectedNetworks.skipped);
  });
});

describe('comium mapper: orders', () => {
  const orders = split((rawOrders.data as unknown[]).map((raw) => toOrderFromItem(raw)));

  it('maps /Orders items: success with its profile (NOT_INSTALLED, just assigned), pending, failed with its reason', () => {
    expect(orders.values).toEqual(expectedOrders.orders);
  });

  it('completes a success item without activation details (Comium e-mails the eSIM); skips only an undocumented sale status or a missing order id', () => {
    expect(orders.values.find((o) => o.providerOrderId === '665f1c2a9b1e8a0001a1b2c8')).toMatchObject({
      status: 'COMPLETED',
      profiles: [{ smdpAddress: null, matchingId: null, qrCodeUrl: null }],
    });
    expect(orders.skipped).toEqual(expectedOrders.skipped);
  });

  it('reads a failed item without failure_reason (undocumented) as "refused by Comium", said once', () => {
    const notes = { missingField: jest.fn() };
    const failed = { order_id: 'f1', order_reference: 'R', status: 'failed' };
    expect(toOrderFromItem(failed, notes)).toEqual({
      ok: true,
      value: { providerOrderId: 'f1', status: 'FAILED', profiles: [], failureReason: 'refused by Comium' },
    });
    expect(notes.missingField).toHaveBeenCalledWith('failure_reason', expect.any(String));
  });

  it('maps the documented sale answer: COMPLETED with the ICCID it names, PROCESSING without one, unreadable when response_code is not "1"', () => {
    const sale = {
      title: 'Success',
      message: 'Bundle Assigned Successfully',
      developer_message: 'Operation Succcessful',
      response_code: '1',
      order_id: 'o1',
      iccid: '8922001000000012345',
      reseller_id: 'r',
      remaining_wallet_balance: 30,
    };
    expect(toOrderFromSale(sale)).toEqual({
      ok: true,
      value: {
        providerOrderId: 'o1',
        status: 'COMPLETED',
        profiles: [
          {
            iccid: sale.iccid,
            providerProfileId: sale.iccid,
            rawStatus: 'success',
            status: 'NOT_INSTALLED',
            smdpAddress: null,
            matchingId: null,
            qrCodeUrl: null,
            expiresAt: null,
          },
        ],
      },
    });
    expect(toOrderFromSale({ ...sale, iccid: null })).toEqual({
      ok: true,
      value: { providerOrderId: 'o1', status: 'PROCESSING', profiles: [] },
    });
    expect(toOrderFromSale({ ...sale, response_code: '0' })).toMatchObject({ ok: false, code: 'o1' });
    expect(toOrderFromSale({ ...sale, order_id: undefined })).toMatchObject({ ok: false, reason: 'missing order_id' });
  });

  it('reads smdp address and matching id from the LPA activation code when the fields are absent', () => {
    expect(orders.values[3].profiles[0]).toMatchObject({
      smdpAddress: 'smdp.comium.gm',
      matchingId: '0F0E0D0C0B0A09080706',
    });
  });

  it('maps a top-up answer to its order id, status and new expiry', () => {
    const [topUp, pending, failed] = [0, 1, 2].map((i) => toUpstreamTopUp(rawOrders.data[i]));
    expect(topUp).toEqual({
      ok: true,
      value: {
        providerTopUpId: '665f1c2a9b1e8a0001a1b2c3',
        status: 'COMPLETED',
        expiresAt: '2024-12-01T13:45:14.000Z',
      },
    });
    expect(pending).toMatchObject({ ok: true, value: { status: 'PROCESSING' } });
    expect(failed).toMatchObject({
      ok: true,
      value: { status: 'FAILED', failureReason: 'Insufficient wallet balance' },
    });
    expect(toUpstreamTopUp(rawOrders.data[6])).toEqual({
      ok: false,
      code: '665f1c2a9b1e8a0001a1b2c9',
      reason: 'unknown order status refunded',
    });
  });

  it('finds a reference per kind of order: the live one first (the known id preferred), else the failed attempt', () => {
    const items = [
      { order_id: 'a', order_reference: 'R', status: 'failed' },
      { order_id: 'b', order_reference: 'R', status: 'success' },
      { order_id: 'c', order_reference: 'R', status: 'pending' },
      { order_id: 'd', order_reference: 'T', order_type: 'topup', status: 'success' },
      { order_id: 'e', order_reference: 'RR', status: 'success' },
    ];
    expect(matchReference(items, 'R', 'new')).toEqual({ live: items[1], failed: items[0], otherKind: false });
    expect(matchReference(items, 'R', 'new', 'c').live).toBe(items[2]);
    expect(matchReference(items, 'T', 'new')).toEqual({ live: null, failed: null, otherKind: true });
    expect(matchReference(items, 'T', 'topup').live).toBe(items[3]);
    expect(matchReference(items, 'X', 'new')).toEqual({ live: null, failed: null, otherKind: false });
  });
});

describe('comium mapper: profile status', () => {
  it('has an entry for every documented profile_status × plan status pair but a deleted eSIM with a live plan, each a contract state', () => {
    const pairs = ['released', 'downloaded', 'active', 'deleted'].flatMap((p) =>
      ['pending', 'active', 'depleted', 'expired'].map((q) => statusWord(p, q).toUpperCase()),
    );
    const deviceOnly = ['DELETED/PENDING', 'DELETED/ACTIVE'];
    expect(Object.keys(COMIUM_PROFILE_STATUS).sort()).toEqual(pairs.filter((p) => !deviceOnly.includes(p)).sort());
    expect(Object.values(COMIUM_PROFILE_STATUS).every((s) => PROFILE_STATUSES.includes(s))).toBe(true);
  });

  it('maps the simulator-reachable states as the contract expects', () => {
    expect(COMIUM_PROFILE_STATUS['RELEASED/ACTIVE']).toBe('NOT_INSTALLED');
    expect(COMIUM_PROFILE_STATUS['DOWNLOADED/ACTIVE']).toBe('INSTALLED');
    expect(COMIUM_PROFILE_STATUS['ACTIVE/ACTIVE']).toBe('ACTIVE');
    expect(COMIUM_PROFILE_STATUS['ACTIVE/DEPLETED']).toBe('DEPLETED');
    expect(COMIUM_PROFILE_STATUS['ACTIVE/EXPIRED']).toBe('EXPIRED');
    // A deleted eSIM is the device side: the plan state stays where it was (null), the device says DELETED.
    expect(COMIUM_PROFILE_STATUS['DELETED/ACTIVE']).toBeUndefined();
    expect(COMIUM_PROFILE_STATUS['DELETED/EXPIRED']).toBe('EXPIRED');
  });

  it('reports the documented profile_status as the device state, an unknown word with a null state', () => {
    expect(['released', 'downloaded', 'active', 'deleted'].map((w) => deviceOf(w)?.state)).toEqual([
      'RELEASED',
      'DOWNLOADED',
      'ENABLED',
      'DELETED',
    ]);
    expect(deviceOf('suspended')).toEqual({ state: null, rawState: 'suspended' });
    expect(deviceOf(undefined)).toBeNull();
  });

  it('derives the plan word from the balances: active, else depleted, else expired; an unknown word passes through', () => {
    expect(planStatusOf([{ status: 'depleted' }, { status: 'active' }])).toBe('active');
    expect(planStatusOf([{ status: 'expired' }, { status: 'DEPLETED' }])).toBe('depleted');
    expect(planStatusOf([{ status: 'expired' }])).toBe('expired');
    expect(planStatusOf([{ status: 'active' }, { status: 'queued' }])).toBe('queued');
    expect(planStatusOf([{}])).toBe('?');
    expect(planStatusOf([])).toBeNull();
    expect(statusWord(undefined, null)).toBe('?/?');
  });
});

describe('comium mapper: consumption', () => {
  const raw = rawConsumption as Record<string, unknown>;
  const now = new Date('2024-06-05T08:00:00Z');

  it('maps a consumption answer to the profile, its status from profile_status and the balances, an unknown word to null', () => {
    for (const [name, expected] of Object.entries(expectedConsumption.profiles)) {
      expect([name, toProfileFromConsumption(raw[name])]).toEqual([name, { ok: true, value: expected }]);
    }
  });

  it('sums usage over every bundle on the profile, MB → bytes, unlimited when any bundle is', () => {
    for (const [name, expected] of Object.entries(expectedConsumption.usage)) {
      expect([name, toUpstreamUsage(raw[name], now)]).toEqual([name, { ok: true, value: expected }]);
    }
  });

  it('reports the remaining calls and SMS of the bundles not expired, null when none reports them', () => {
    expect(toUpstreamUsage(raw.topped_up, now)).toMatchObject({
      ok: true,
      value: { voiceMinutesRemaining: 100, smsRemaining: 50 },
    });
    const balances = [
      { total_data: 1024, remaining_data: 1024, remaining_calls: 30, remaining_sms: 5, status: 'active' },
      { total_data: 1024, remaining_data: 0, remaining_calls: 10, remaining_sms: 0, status: 'depleted' },
      { total_data: 1024, remaining_data: 0, remaining_calls: 99, remaining_sms: 99, status: 'expired' },
    ];
    expect(toUpstreamUsage({ orders_balances: balances }, now)).toMatchObject({
      ok: true,
      value: { voiceMinutesRemaining: 40, smsRemaining: 5 },
    });
  });

  it('refuses fractional MB figures, counts a bundle without remaining_data as unused (said), and needs orders_balances', () => {
    expect(toUpstreamUsage(raw.malformed, now)).toEqual({ ok: false, code: null, reason: 'malformed remaining_data' });
    expect(
      toUpstreamUsage({ orders_balances: [{ total_data: 1.5, remaining_data: 1, status: 'active' }] }, now),
    ).toEqual({ ok: false, code: null, reason: 'malformed total_data' });
    const notes = { missingField: jest.fn() };
    expect(toUpstreamUsage({ orders_balances: [{ total_data: 1024, status: 'active' }] }, now, notes)).toMatchObject({
      ok: true,
      value: { usedBytes: 0, totalBytes: BYTES_PER_GB },
    });
    expect(notes.missingField).toHaveBeenCalledWith('orders_balances[].remaining_data', expect.any(String));
    expect(toUpstreamUsage({ iccid: '8922001000000088888' }, now)).toMatchObject({
      ok: false,
      reason: 'missing orders_balances',
    });
  });

  it('reads a consumption body without its own iccid under the ICCID we asked with', () => {
    const { iccid: _iccid, ...body } = raw.unused as Record<string, unknown>;
    expect(toProfileFromConsumption(body, '8922001000000099999')).toMatchObject({
      ok: true,
      value: { iccid: '8922001000000099999', status: 'NOT_INSTALLED' },
    });
    expect(toProfileFromConsumption(body)).toMatchObject({ ok: false, reason: 'missing iccid' });
  });
});
