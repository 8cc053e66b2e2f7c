import { BYTES_PER_GB } from '../../../src/domain/data-units';
import type { CatalogPlan } from '../../../src/domain/plan';
import { coverageOf, profileTypeOf, toCatalogPlan, toPlanNetwork, type MapOutcome } from '../../../src/providers/comium/comium.mapper';
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
  toUpstreamOrder,
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

const mapped = split((rawBundles.data as unknown[]).map(toCatalogPlan));
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

  it('derives coverage from bundle_category and lets only cruise bundles cover no country', () => {
    expect(['country', 'region', 'global', 'cruise'].map((c) => coverageOf(c as never))).toEqual(['COUNTRY', 'REGION', 'GLOBAL', 'CRUISE']);
    expect(byCode('CRUISE1GB_8012428018')).toMatchObject({ coverage: 'CRUISE', countries: [], regionName: 'Cruise ships' });
    expect(mapped.skipped).toContainEqual({ code: 'NOCOUNTRY_1', reason: 'no countries' });
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
  const orders = split((rawOrders.data as unknown[]).map(toUpstreamOrder));

  it('maps /Orders items (and sale answers): success with its profile, pending, failed with its reason', () => {
    expect(orders.values).toEqual(expectedOrders.orders);
  });

  it('skips items without installation details, with an undocumented sale status or without an order id', () => {
    expect(orders.skipped).toEqual(expectedOrders.skipped);
  });

  it('reads smdp address and matching id from the LPA activation code when the fields are absent', () => {
    expect(orders.values[3].profiles[0]).toMatchObject({ smdpAddress: 'smdp.comium.gm', matchingId: '0F0E0D0C0B0A09080706' });
  });

  it('maps a top-up answer to its order id, status and new expiry', () => {
    const [topUp, pending, failed] = [0, 1, 2].map((i) => toUpstreamTopUp(rawOrders.data[i]));
    expect(topUp).toEqual({ ok: true, value: { providerTopUpId: '665f1c2a9b1e8a0001a1b2c3', status: 'COMPLETED', expiresAt: '2024-12-01T13:45:14.000Z' } });
    expect(pending).toMatchObject({ ok: true, value: { status: 'PROCESSING' } });
    expect(failed).toMatchObject({ ok: true, value: { status: 'FAILED', failureReason: 'Insufficient wallet balance' } });
    expect(toUpstreamTopUp(rawOrders.data[6])).toEqual({ ok: false, code: '665f1c2a9b1e8a0001a1b2c9', reason: 'unknown order status refunded' });
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
  it('has an entry for every documented profile_status × plan status pair, each a contract state', () => {
    const pairs = ['released', 'downloaded', 'active', 'deleted'].flatMap((p) => ['pending', 'active', 'depleted', 'expired'].map((q) => statusWord(p, q).toUpperCase()));
    expect(Object.keys(COMIUM_PROFILE_STATUS).sort()).toEqual(pairs.sort());
    expect(Object.values(COMIUM_PROFILE_STATUS).every((s) => PROFILE_STATUSES.includes(s))).toBe(true);
  });

  it('maps the simulator-reachable states as the contract expects', () => {
    expect(COMIUM_PROFILE_STATUS['RELEASED/ACTIVE']).toBe('NOT_INSTALLED');
    expect(COMIUM_PROFILE_STATUS['DOWNLOADED/ACTIVE']).toBe('INSTALLED');
    expect(COMIUM_PROFILE_STATUS['ACTIVE/ACTIVE']).toBe('ACTIVE');
    expect(COMIUM_PROFILE_STATUS['ACTIVE/DEPLETED']).toBe('DEPLETED');
    expect(COMIUM_PROFILE_STATUS['ACTIVE/EXPIRED']).toBe('EXPIRED');
    expect(COMIUM_PROFILE_STATUS['DELETED/ACTIVE']).toBe('REVOKED');
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

  it('refuses fractional or missing MB figures instead of guessing', () => {
    expect(toUpstreamUsage(raw.malformed, now)).toEqual({ ok: false, code: null, reason: 'malformed remaining_data/total_data' });
    expect(toUpstreamUsage({ iccid: '8922001000000088888' }, now)).toMatchObject({ ok: false, reason: 'missing orders_balances' });
  });
});
