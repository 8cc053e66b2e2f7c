import { BYTES_PER_GB } from '../../../src/domain/data-units';
import { mapBalance, mapPlan, normalizePlan, regionNameOf } from '../../../src/providers/esimplatform/esimplatform.mapper';
import { ESIMPLATFORM_REGION_CODES, type RawBalance, type RawPlan } from '../../../src/providers/esimplatform/esimplatform.types';
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
