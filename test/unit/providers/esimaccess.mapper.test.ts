import { BYTES_PER_GB } from '../../../src/domain/data-units';
import type { CatalogPlan } from '../../../src/domain/plan';
import { mapPackage, mapPackageList, toCatalogPlan } from '../../../src/providers/esimaccess/esimaccess.mapper';
import raw from '../../fixtures/providers/esimaccess/package-list.json';
import expected from '../../fixtures/providers/esimaccess/package-list.expected.json';
import esimQuery from '../../fixtures/providers/esimaccess/esim-query.json';
import esimQueryExpected from '../../fixtures/providers/esimaccess/esim-query.expected.json';
import usageQuery from '../../fixtures/providers/esimaccess/usage-query.json';
import usageQueryExpected from '../../fixtures/providers/esimaccess/usage-query.expected.json';
import topUpAnswer from '../../fixtures/providers/esimaccess/topup.json';
import topUpPackages from '../../fixtures/providers/esimaccess/topup-packages.json';
import {
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
const byCode = (code: string) => packages.find((p) => (p as { packageCode?: string } | null)?.packageCode === code) as Record<string, unknown>;
const mapped = mapPackageList(packages);
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
    expect(plan('CEU200')).toMatchObject({ coverage: 'REGION', regionName: 'Europe' });
    expect(plan('CGL250')).toMatchObject({ coverage: 'GLOBAL', regionName: 'Global' });
  });

  it('treats dataType 2 as a day pass whose volume is the daily allowance', () => {
    expect(plan('CJP050')).toMatchObject({ dayPass: true, validityDays: 1, dataBytes: BYTES_PER_GB, topUpSupported: true });
  });

  it('treats dataType 4 as unlimited, whatever the volume says', () => {
    expect(plan('CTH060')).toMatchObject({ dataBytes: null, dayPass: false, validityDays: 10 });
  });

  it('treats dataType 3 (daily cap then cut off) as a day pass too', () => {
    expect(toCatalogPlan({ ...byCode('CJP050'), dataType: 3 })).toMatchObject({ dayPass: true, dataBytes: BYTES_PER_GB });
  });

  it('pairs network names with location codes by name, then by flag file, and drops the unpairable', () => {
    expect(plan('CEU200').networks?.map((n) => n.country)).toEqual(['DE', 'GB', 'GB']);
    expect(mapped.notes).toContainEqual({ packageCode: 'CEU200', note: 'network location "Atlantis" matches no code in location' });
  });

  it('reads supportTopUpType 2 and 3 as top-up support and notes an undocumented value', () => {
    expect(plan('CFR001').topUpSupported).toBe(true);
    expect(plan('CTH060').topUpSupported).toBe(false);
    expect(plan('CEU200').topUpSupported).toBe(false);
    expect(mapped.notes).toContainEqual({ packageCode: 'CEU200', note: 'unknown supportTopUpType 7, treated as no top-up' });
  });

  it('rejects a zero or fractional price and a malformed currency code', () => {
    expect(mapPackage({ ...byCode('CFR001'), price: 0 })).toEqual({ plan: null, reason: 'malformed price' });
    expect(mapPackage({ ...byCode('CFR001'), price: 4.5 })).toEqual({ plan: null, reason: 'malformed price' });
    expect(mapPackage({ ...byCode('CFR001'), currencyCode: 'DOLLARS' })).toEqual({ plan: null, reason: 'malformed currencyCode' });
  });

  it('rejects an alpha-3 or empty location rather than guessing the country', () => {
    expect(mapPackage({ ...byCode('CFR001'), location: 'FRA' })).toEqual({ plan: null, reason: 'unknown country code FRA' });
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
    expect(mapOrder('B1', [queried[0], creating])).toEqual({ providerOrderId: 'B1', status: 'PROCESSING', profiles: [] });
    expect(placedOrder('B2')).toEqual({ providerOrderId: 'B2', status: 'PROCESSING', profiles: [] });
  });

  it('refuses to read an allocated entry whose activation code is not LPA:1$<smdp>$<matchingId>', () => {
    expect(mapOrder('B1', [{ ...(queried[0] as object), ac: 'LPA:1$rsp-eu.redteamobile.com' }])).toBeNull();
    expect(mapProfile({ ...(queried[0] as object), esimTranNo: '' })).toBeNull();
    expect(parseActivationCode('LPA:1$smdp.example.com$ABC')).toEqual({ smdpAddress: 'smdp.example.com', matchingId: 'ABC' });
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
    for (const [esim, smdp, status] of cases) expect([esim, smdp, mapProfileStatus(esim, smdp).status]).toEqual([esim, smdp, status]);
    expect(mapProfileStatus('GOT_RESOURCE', 'RELEASED').rawStatus).toBe('GOT_RESOURCE/RELEASED');
  });

  it('answers null for an unknown status word instead of guessing', () => {
    expect(mapProfileStatus('HIBERNATING', 'ENABLED')).toEqual({ rawStatus: 'HIBERNATING/ENABLED', status: null });
    expect(mapProfileStatus('GOT_RESOURCE', 'TELEPORTED')).toEqual({ rawStatus: 'GOT_RESOURCE/TELEPORTED', status: null });
    expect(mapProfileStatus('GOT_RESOURCE', undefined).status).toBeNull();
    expect(mapProfile({ ...(queried[1] as object), esimStatus: 'HIBERNATING' })).toMatchObject({ status: null, rawStatus: 'HIBERNATING/ENABLED' });
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
    expect(mapTopUp(topUpAnswer.obj, 't-77aa01')).toEqual({ providerTopUpId: '23051710300000000009', status: 'COMPLETED', expiresAt: '2023-07-16T08:00:00.000Z' });
    expect(mapTopUp({ transactionId: 't-1' }, 't-1')).toEqual({ providerTopUpId: 't-1', status: 'COMPLETED', expiresAt: null });
  });

  it('maps the TOPUP_ packages of a profile as plans and skips base packages there', () => {
    const { plans, skipped } = mapPackageList(topUpPackages.obj.packageList, 'TOPUP');
    expect(plans.map((p) => [p.id, p.wholesalePrice.amount, p.dataBytes, p.validityDays])).toEqual([['esimaccess:TOPUP_CFR001', '4.5', 5 * BYTES_PER_GB, 30]]);
    expect(skipped).toEqual([{ packageCode: 'CFR001', reason: 'a base package, not a top-up' }]);
  });

  it('sends prices as USD × 10 000 integers and refuses other currencies or finer amounts', () => {
    expect(toProviderPrice({ amount: '4.5', currency: 'USD' })).toBe(45_000);
    expect(toProviderPrice({ amount: '1.2345', currency: 'USD' })).toBe(12_345);
    expect(toProviderPrice({ amount: '1.23456', currency: 'USD' })).toBeNull();
    expect(toProviderPrice({ amount: '4.5', currency: 'EUR' })).toBeNull();
  });
});
