import { BYTES_PER_GB } from '../../../src/domain/data-units';
import type { CatalogPlan } from '../../../src/domain/plan';
import { coverageOf, profileTypeOf, toCatalogPlan, toPlanNetwork, type MapOutcome } from '../../../src/providers/comium/comium.mapper';
import rawBundles from '../../fixtures/providers/comium/bundles.raw.json';
import expectedBundles from '../../fixtures/providers/comium/bundles.expected.json';
import rawNetworks from '../../fixtures/providers/comium/networks.raw.json';
import expectedNetworks from '../../fixtures/providers/comium/networks.expected.json';

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
