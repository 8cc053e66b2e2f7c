import { BYTES_PER_GB } from '../../../src/domain/data-units';
import type { CatalogPlan } from '../../../src/domain/plan';
import { readLocationList } from '../../../src/providers/esimaccess/esimaccess.locations';
import {
  MISSING_DATA_TYPE,
  MISSING_TOP_UP_TYPE,
  mapPackage,
  mapPackageList,
  needsLocations,
  toCatalogPlan,
} from '../../../src/providers/esimaccess/esimaccess.mapper';
import locationList from '../../fixtures/providers/esimaccess/location-list.json';
import raw from '../../fixtures/providers/esimaccess/package-list.json';
import expected from '../../fixtures/providers/esimaccess/package-list.expected.json';
import esimQuery from '../../fixtures/providers/esimaccess/esim-query.json';
import esimQueryExpected from '../../fixtures/providers/esimaccess/esim-query.expected.json';
import usageQuery from '../../fixtures/providers/esimaccess/usage-query.json';
import usageQueryExpected from '../../fixtures/providers/esimaccess/usage-query.expected.json';
import topUpAnswer from '../../fixtures/providers/esimaccess/topup.json';
import topUpPackages from '../../fixtures/providers/esimaccess/topup-packages.json';
import {
  mapDevice,
  mapOrder,
  mapProfile,
  mapProfileStatus,
  mapTopUp,
  mapUsage,
  parseActivationCode,
  parseProviderTime,
  placedOrder,
  providerQueryTime,
  toProviderPrice,
} from '../../../src/providers/esimaccess/esimaccess.lifecycle-mapper';

const packages = raw.obj.packageList as unknown[];
const byCode = (code: string) =>
  packages.find((p) => (p as { packageCode?: string } | null)?.packageCode === code) as Record<string, unknown>;
const locations = readLocationList(locationList.obj.locationList);
// As the adapter reads it: the listing has multi-country packages, so with location/list.
const mapped = mapPackageList(packages, locations);
const plan = (code: string) => mapped.plans.find((p) => p.code === code) as CatalogPlan;

describe('eSIM Access package mapper', () => {
  it('maps the fixture package list to the expected normalized plans', () => {
    expect(mapped.plans).toEqual(expected.plans);
  });

  it('skips and reports every package it cannot normalize instead of guessing', () => {
    expect(mapped.skipped).toEqual(expected.skipped);
  });

  it('counts data in bytes with 1 GB = 1024^3', () => {
    expect(plan('CFR001').dataBytes).toBe(5 * BYTES_PER_GB);
    expect(plan('CEU200').dataBytes).toBe(3 * BYTES_PER_GB);
  });

  it('turns USD × 10 000 integers into exact decimal strings, from numbers or digit strings', () => {
    expect(plan('CJP050').wholesalePrice).toEqual({ amount: '1.2345', currency: 'USD' });
    expect(plan('CTH060').wholesalePrice.amount).toBe('18.9999');
    expect(plan('CEU200').wholesalePrice.amount).toBe('7');
  });

  it('keeps countries as sorted, unique ISO alpha-2 codes', () => {
    expect(plan('CEU200').countries).toEqual(['DE', 'FR', 'GB']);
    expect(toCatalogPlan({ ...byCode('CFR001'), location: 'fr, FR' })?.countries).toEqual(['FR']);
  });

  it('derives coverage from the location list and the GL- area code of the slug', () => {
    expect(plan('CFR001')).toMatchObject({ coverage: 'COUNTRY', regionName: null });
    expect(plan('CEU200')).toMatchObject({ coverage: 'REGION', regionName: 'Western Europe' });
    expect(plan('CGL250')).toMatchObject({ coverage: 'GLOBAL', regionName: 'Global' });
  });

  it('names regions from location/list: by the slug area, by a region code given as location, by the exact country set', () => {
    expect(plan('CEU200').regionName).toBe('Western Europe');
    expect(plan('CNA400')).toMatchObject({
      coverage: 'REGION',
      countries: ['CA', 'MX', 'US'],
      regionName: 'North America',
    });
    expect(toCatalogPlan({ ...byCode('CEU200'), slug: undefined }, locations)?.regionName).toBe('Western Europe');
  });

  it('falls back to the name read from the package name without location/list, and skips a region code it cannot expand', () => {
    const without = mapPackageList(packages);
    expect(without.plans.find((p) => p.code === 'CEU200')?.regionName).toBe('Europe');
    expect(without.skipped).toContainEqual({ packageCode: 'CNA400', reason: 'unknown location code NA-3' });
    const unlisted = mapPackage({ ...byCode('CEU200'), slug: 'EU-9_3_15', location: 'DE,FR' }, locations);
    expect(unlisted.plan?.regionName).toBe('Europe');
    expect(unlisted.plan === null ? [] : unlisted.notes).toContain(
      'region EU-9 not in location/list, name read from the package name',
    );
  });

  it('asks for location/list only for a listing with multi-country packages or region codes', () => {
    expect(needsLocations(packages)).toBe(true);
    expect(needsLocations([byCode('CFR001'), byCode('CSI139'), null])).toBe(false);
    expect(needsLocations([{ ...byCode('CFR001'), location: 'NA-3' }])).toBe(true);
  });

  it('reads location/list entries in both spellings of the sub-list, leaving out unreadable entries', () => {
    expect(locations.regions.get('NA-3')).toEqual({
      code: 'NA-3',
      name: 'North America',
      countries: ['CA', 'MX', 'US'],
    });
    expect(locations.countryNames.get('HK')).toBe('Hong Kong (China)');
    expect([...locations.regions.keys()]).toEqual(['EU-3', 'NA-3', 'GL-3']);
    expect(locations.countryNames.size).toBe(4);
  });

  it('reads a package in the published shape (no dataType, slug or supportTopUpType) as a fixed allowance and reports what was absent', () => {
    expect(plan('CSI139')).toMatchObject({
      dataBytes: 5 * BYTES_PER_GB,
      dayPass: false,
      validityDays: 30,
      topUpSupported: false,
      networks: [{ country: 'SI', operator: 'A1', speed: '4G' }],
    });
    expect(mapped.missing).toEqual([MISSING_DATA_TYPE, MISSING_TOP_UP_TYPE]);
    expect(mapPackage(byCode('CFR001'))).toMatchObject({ missing: [] });
  });

  it('treats dataType 2 as a day pass whose volume is the daily allowance', () => {
    expect(plan('CJP050')).toMatchObject({
      dayPass: true,
      validityDays: 1,
      dataBytes: BYTES_PER_GB,
      topUpSupported: true,
    });
  });

  it('treats dataType 4 as unlimited, whatever the volume says', () => {
    expect(plan('CTH060')).toMatchObject({ dataBytes: null, dayPass: false, validityDays: 10 });
  });

  it('treats dataType 3 (daily cap then cut off) as a day pass too', () => {
    expect(toCatalogPlan({ ...byCode('CJP050'), dataType: 3 })).toMatchObject({
      dayPass: true,
      dataBytes: BYTES_PER_GB,
    });
  });

  it('pairs network names with location codes by any of their names, then by flag file, and drops the unpairable', () => {
    expect(
      toCatalogPlan({
        ...byCode('CEU200'),
        locationNetworkList: [
          {
            locationName: 'Deutschland',
            locationLogo: '/img/flags/de.png',
            operatorList: [{ operatorName: 'O2', networkType: '4G' }],
          },
        ],
      })?.networks,
    ).toEqual([{ country: 'DE', operator: 'O2', speed: '4G' }]);
    expect(plan('CEU200').networks?.map((n) => n.country)).toEqual(['DE', 'GB', 'GB']);
    expect(mapped.notes).toContainEqual({
      packageCode: 'CEU200',
      note: 'network location "Atlantis" matches no code in location',
    });
  });

  it('reads supportTopUpType 2 and 3 as top-up support and notes an undocumented value', () => {
    expect(plan('CFR001').topUpSupported).toBe(true);
    expect(plan('CTH060').topUpSupported).toBe(false);
    expect(plan('CEU200').topUpSupported).toBe(false);
    expect(mapped.notes).toContainEqual({
      packageCode: 'CEU200',
      note: 'unknown supportTopUpType 7, treated as no top-up',
    });
  });

  it('rejects a zero or fractional price and a malformed currency code', () => {
    expect(mapPackage({ ...byCode('CFR001'), price: 0 })).toEqual({ plan: null, reason: 'malformed price' });
    expect(mapPackage({ ...byCode('CFR001'), price: 4.5 })).toEqual({ plan: null, reason: 'malformed price' });
    expect(mapPackage({ ...byCode('CFR001'), currencyCode: 'DOLLARS' })).toEqual({
      plan: null,
      reason: 'malformed currencyCode',
    });
  });

  it('rejects an alpha-3 or empty location rather than guessing the country', () => {
    expect(mapPackage({ ...byCode('CFR001'), location: 'FRA' })).toEqual({
      plan: null,
      reason: 'unknown location code FRA',
    });
    expect(mapPackage({ ...byCode('CFR001'), location: '' })).toEqual({ plan: null, reason: 'missing location' });
  });
});

describe('eSIM Access ordering and lifecycle mappers', () => {
  const queried = esimQuery.obj.esimList as unknown[];

  it('maps an esim/query answer for an order to the expected profiles', () => {
    expect(mapOrder('B23051616050537', queried)).toEqual(esimQueryExpected);
  });

  it('keeps an order PROCESSING while its list is empty or holds entries before allocation', () => {
    expect(mapOrder('B1', [])).toEqual({ providerOrderId: 'B1', status: 'PROCESSING', profiles: [] });
    const creating = { ...(queried[0] as object), esimStatus: 'GETTING_RESOURCE', iccid: '', ac: '' };
    expect(mapOrder('B1', [queried[0], creating])).toEqual({
      providerOrderId: 'B1',
      status: 'PROCESSING',
      profiles: [],
    });
    expect(placedOrder('B2')).toEqual({ providerOrderId: 'B2', status: 'PROCESSING', profiles: [] });
  });

  it('refuses to read an allocated entry whose activation code is not LPA:1$<smdp>$<matchingId>', () => {
    expect(mapOrder('B1', [{ ...(queried[0] as object), ac: 'LPA:1$rsp-eu.redteamobile.com' }])).toBeNull();
    expect(mapProfile({ ...(queried[0] as object), esimTranNo: '' })).toBeNull();
    expect(parseActivationCode('LPA:1$smdp.example.com$ABC')).toEqual({
      smdpAddress: 'smdp.example.com',
      matchingId: 'ABC',
    });
  });

  it('maps every documented (esimStatus, smdpStatus) pair', () => {
    const cases: [string, string, string | null][] = [
      ['GOT_RESOURCE', 'RELEASED', 'NOT_INSTALLED'],
      ['GOT_RESOURCE', 'DOWNLOAD', 'INSTALLED'],
      ['GOT_RESOURCE', 'INSTALLATION', 'INSTALLED'],
      ['GOT_RESOURCE', 'ENABLED', 'INSTALLED'],
      ['GOT_RESOURCE', 'DISABLED', 'INSTALLED'],
      ['GOT_RESOURCE', 'DELETED', 'INSTALLED'],
      ['IN_USE', 'ENABLED', 'ACTIVE'],
      ['IN_USE', 'DISABLED', 'ACTIVE'],
      ['USED_UP', 'DELETED', 'DEPLETED'],
      ['SUSPENDED', 'ENABLED', 'SUSPENDED'],
      ['UNUSED_EXPIRED', 'RELEASED', 'EXPIRED'],
      ['USED_EXPIRED', 'DISABLED', 'EXPIRED'],
      ['REVOKE', 'DELETED', 'REVOKED'],
      ['REVOKED', 'DELETED', 'REVOKED'],
      ['CANCEL', 'RELEASED', 'CANCELLED'],
      ['CREATE', '', 'NOT_INSTALLED'],
      ['PAYING', '', 'NOT_INSTALLED'],
      ['PAID', '', 'NOT_INSTALLED'],
      ['GETTING_RESOURCE', '', 'NOT_INSTALLED'],
      [' in_use ', 'enabled', 'ACTIVE'],
    ];
    for (const [esim, smdp, status] of cases)
      expect([esim, smdp, mapProfileStatus(esim, smdp).status]).toEqual([esim, smdp, status]);
    expect(mapProfileStatus('GOT_RESOURCE', 'RELEASED').rawStatus).toBe('GOT_RESOURCE/RELEASED');
  });

  it('answers null for an unknown status word instead of guessing', () => {
    expect(mapProfileStatus('HIBERNATING', 'ENABLED')).toEqual({ rawStatus: 'HIBERNATING/ENABLED', status: null });
    expect(mapProfileStatus('GOT_RESOURCE', 'TELEPORTED')).toEqual({
      rawStatus: 'GOT_RESOURCE/TELEPORTED',
      status: null,
    });
    expect(mapProfileStatus('GOT_RESOURCE', undefined).status).toBeNull();
    expect(mapProfile({ ...(queried[1] as object), esimStatus: 'HIBERNATING' })).toMatchObject({
      status: null,
      rawStatus: 'HIBERNATING/ENABLED',
    });
  });

  it('reports smdpStatus and eid as the device, apart from the plan status', () => {
    const [fresh, inUse] = queried.map(mapProfile);
    expect(fresh?.device).toEqual({ state: 'RELEASED', rawState: 'RELEASED', eid: null });
    expect(inUse).toMatchObject({
      status: 'ACTIVE',
      rawStatus: 'IN_USE/ENABLED',
      device: { state: 'ENABLED', rawState: 'ENABLED', eid: '89049032000000000000000000000025' },
    });
    // A phone deleting the profile is a device fact: the plan stays in use.
    expect(mapProfile({ ...(queried[1] as object), smdpStatus: 'DELETED' })).toMatchObject({
      status: 'ACTIVE',
      device: { state: 'DELETED' },
    });
    expect(mapDevice('DOWNLOAD', '8904')).toEqual({ state: 'DOWNLOADED', rawState: 'DOWNLOAD', eid: '8904' });
    expect(mapDevice('Teleported')).toEqual({ state: null, rawState: 'Teleported' });
    expect(mapDevice(undefined)).toBeNull();
    expect(mapProfile({ ...(queried[1] as object), smdpStatus: undefined })?.device).toBeNull();
  });

  it('reads the provider time forms as ISO-8601 UTC, null when unreadable', () => {
    expect(parseProviderTime('2023-03-03T06:20:00+0000')).toBe('2023-03-03T06:20:00.000Z');
    expect(parseProviderTime('2023-03-03T08:20:00+0200')).toBe('2023-03-03T06:20:00.000Z');
    expect(parseProviderTime('2010-06-30T01:20+00:00')).toBe('2010-06-30T01:20:00.000Z');
    expect(parseProviderTime('2023-03-03T06:20:00Z')).toBe('2023-03-03T06:20:00.000Z');
    expect(parseProviderTime('03/03/2023')).toBeNull();
    expect(parseProviderTime(null)).toBeNull();
    expect(providerQueryTime(new Date('2023-03-03T06:20:59.999Z'))).toBe('2023-03-03T06:20+00:00');
  });

  it('maps usage entries in bytes, totalData 0 as unlimited, unreadable entries as null', () => {
    expect((usageQuery.obj.esimUsageList as unknown[]).map(mapUsage)).toEqual(usageQueryExpected);
  });

  it('maps a top-up answer, its id from topUpEsimTranNo', () => {
    expect(mapTopUp(topUpAnswer.obj, 't-77aa01')).toEqual({
      providerTopUpId: '23051710300000000009',
      status: 'COMPLETED',
      expiresAt: '2023-07-16T08:00:00.000Z',
    });
    expect(mapTopUp({ transactionId: 't-1' }, 't-1')).toEqual({
      providerTopUpId: 't-1',
      status: 'COMPLETED',
      expiresAt: null,
    });
  });

  it('reads every item of a listing as what was asked for, whatever its code: a TOPUP answer with a plain code is a top-up option', () => {
    const { plans, skipped } = mapPackageList(topUpPackages.obj.packageList);
    expect(plans.map((p) => [p.id, p.wholesalePrice.amount, p.dataBytes, p.validityDays])).toEqual([
      ['esimaccess:TOPUP_CFR001', '4.5', 5 * BYTES_PER_GB, 30],
      ['esimaccess:CFR001', '4.5', 5 * BYTES_PER_GB, 30],
    ]);
    expect(skipped).toEqual([]);
    // The other way round too: a TOPUP_ code in a BASE answer is what the provider listed as a plan.
    expect(plan('TOPUP_CFR001')).toMatchObject({ code: 'TOPUP_CFR001', dataBytes: 5 * BYTES_PER_GB });
  });

  it('sends prices as USD × 10 000 integers and refuses other currencies or finer amounts', () => {
    expect(toProviderPrice({ amount: '4.5', currency: 'USD' })).toBe(45_000);
    expect(toProviderPrice({ amount: '1.2345', currency: 'USD' })).toBe(12_345);
    expect(toProviderPrice({ amount: '1.23456', currency: 'USD' })).toBeNull();
    expect(toProviderPrice({ amount: '4.5', currency: 'EUR' })).toBeNull();
  });
});
