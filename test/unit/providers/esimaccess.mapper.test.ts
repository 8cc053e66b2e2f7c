import { BYTES_PER_GB } from '../../../src/domain/data-units';
import type { CatalogPlan } from '../../../src/domain/plan';
import { mapPackage, mapPackageList, toCatalogPlan } from '../../../src/providers/esimaccess/esimaccess.mapper';
import raw from '../../fixtures/providers/esimaccess/package-list.json';
import expected from '../../fixtures/providers/esimaccess/package-list.expected.json';

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
