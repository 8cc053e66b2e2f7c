import { decodeCursor, encodeCursor } from '../../../src/domain/cursor';
import type { CatalogPlan } from '../../../src/domain/plan';
import { CatalogIndex } from '../../../src/services/catalog/catalog-index';
import { compileFilter, paginate } from '../../../src/services/catalog/plan-search';

const plan = (code: string, price: string, gb: number | null, days = 30, countries = ['FR']): CatalogPlan => ({
  id: `esimaccess:${code}`,
  providerId: 'esimaccess',
  code,
  name: `Plan ${code}`,
  coverage: 'COUNTRY',
  countries,
  regionName: null,
  dataBytes: gb === null ? null : gb * 1024 ** 3,
  validityDays: days,
  wholesalePrice: { amount: price, currency: 'USD' },
  topUpSupported: true,
  profileType: 'STANDARD',
  voiceMinutes: null,
  smsCount: null,
  dayPass: false,
  networks: [],
});

describe('plan search', () => {
  const index = new CatalogIndex(
    'esimaccess',
    [
      plan('A', '5.00', 1),
      plan('B', '5.00', 3),
      plan('C', '2.50', 10, 7, ['DE']),
      plan('D', '9.99', null, 15),
      plan('E', '1.00', 2),
    ],
    0,
  );
  const priced = index.plans.map((p) => index.price(p, '0'));

  it('pages by keyset without repeating or skipping, ties broken by id', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = paginate(priced, 'PRICE_ASC', 2, after);
      seen.push(...page.edges.map((e) => e.node.plan.code));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual(['E', 'C', 'A', 'B', 'D']);
  });

  it('keeps its place when an earlier item disappears', () => {
    const first = paginate(priced, 'PRICE_ASC', 2, null);
    const rest = paginate(
      priced.filter((p) => p.plan.code !== 'E'),
      'PRICE_ASC',
      10,
      first.endCursor,
    );
    expect(rest.edges.map((e) => e.node.plan.code)).toEqual(['A', 'B', 'D']);
  });

  it('puts unlimited first for DATA_DESC and last for PRICE_PER_GB_ASC', () => {
    expect(paginate(priced, 'DATA_DESC', 10, null).edges[0].node.plan.code).toBe('D');
    expect(paginate(priced, 'PRICE_PER_GB_ASC', 10, null).edges.at(-1)!.node.plan.code).toBe('D');
  });

  it('refuses a cursor of another sort or a forged one', () => {
    const cursor = paginate(priced, 'PRICE_ASC', 1, null).endCursor!;
    expect(() => paginate(priced, 'PRICE_DESC', 1, cursor)).toThrow(/cursor/);
    expect(() => decodeCursor('x', encodeCursor('y', [1]))).toThrow(/cursor/);
    expect(() => paginate(priced, 'PRICE_ASC', 1, 'bm9wZQ')).toThrow(/cursor/);
  });

  it('matches alpha-3 country codes and lets unlimited pass a data minimum', () => {
    const filter = compileFilter({ country: 'fra', minDataGb: 2 });
    expect(filter.country).toBe('FR');
    expect(
      priced
        .filter((p) => filter.test(p, ''))
        .map((p) => p.plan.code)
        .sort(),
    ).toEqual(['B', 'D', 'E']);
  });

  it('refuses unknown countries and malformed prices', () => {
    expect(() => compileFilter({ country: 'ZZZ' })).toThrow(/country/);
    expect(() => compileFilter({ maxPrice: '1e3' })).toThrow(/maxPrice/);
    expect(() => compileFilter({ minDataGb: -1 })).toThrow(/minDataGb/);
  });
});
