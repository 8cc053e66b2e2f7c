import { isEquivalent, rankEquivalents, type EquivalencePlan } from '../../../src/domain/equivalent-plan';

const GB = 1024 ** 3;
const chosen: EquivalencePlan = {
  id: 'esimaccess:FR5',
  providerId: 'esimaccess',
  countries: ['DE', 'FR'],
  dataBytes: 5 * GB,
  validityDays: 30,
};
const terms = { unitPrice: { amount: '10.00', currency: 'USD' }, tolerancePercent: '0' };

function candidate(overrides: Partial<EquivalencePlan> = {}, amount = '9.00', healthy = true) {
  return {
    plan: { ...chosen, id: 'comium:X', providerId: 'comium' as const, ...overrides },
    price: { amount, currency: 'USD' },
    healthy,
  };
}

describe('isEquivalent', () => {
  it('accepts a plan at another provider covering as much for no more', () => {
    expect(isEquivalent(chosen, candidate(), terms)).toBe(true);
    expect(isEquivalent(chosen, candidate({ countries: ['DE', 'ES', 'FR'] }, '10.00'), terms)).toBe(true);
    expect(isEquivalent(chosen, candidate({ dataBytes: null, validityDays: 31 }), terms)).toBe(true);
  });

  it.each([
    ['the same provider', candidate({ providerId: 'esimaccess' })],
    ['a missing country', candidate({ countries: ['FR'] })],
    ['less data', candidate({ dataBytes: 5 * GB - 1 })],
    ['fewer days', candidate({ validityDays: 29 })],
    ['a dearer price', candidate({}, '10.01')],
    ['an open circuit', candidate({}, '9.00', false)],
  ])('refuses %s', (_why, c) => {
    expect(isEquivalent(chosen, c, terms)).toBe(false);
  });

  it('refuses another currency', () => {
    expect(isEquivalent(chosen, { ...candidate(), price: { amount: '1', currency: 'EUR' } }, terms)).toBe(false);
  });

  it('needs unlimited for an unlimited plan', () => {
    const unlimited = { ...chosen, dataBytes: null };
    expect(isEquivalent(unlimited, candidate({ dataBytes: 1000 * GB }), terms)).toBe(false);
    expect(isEquivalent(unlimited, candidate({ dataBytes: null }), terms)).toBe(true);
  });

  it('applies the tolerance exactly, without rounding in the candidate favour', () => {
    const tolerant = { ...terms, tolerancePercent: '2.5' };
    expect(isEquivalent(chosen, candidate({}, '10.25'), tolerant)).toBe(true);
    expect(isEquivalent(chosen, candidate({}, '10.2501'), tolerant)).toBe(false);
    expect(isEquivalent(chosen, candidate({}, '10.26'), tolerant)).toBe(false);
  });
});

/** The equivalent a fallback routes to first: the head of the ranking, null when none qualifies. */
function bestEquivalent(
  ...args: Parameters<typeof rankEquivalents>
): ReturnType<typeof rankEquivalents>[number] | null {
  return rankEquivalents(...args)[0] ?? null;
}

describe('the best equivalent', () => {
  it('picks the cheapest, then more data, then longer validity, then the lower id', () => {
    const a = candidate({ id: 'comium:A' }, '8.00');
    const b = candidate({ id: 'esimtrade:B', providerId: 'esimtrade' }, '7.50');
    expect(bestEquivalent(chosen, [a, b], terms)).toBe(b);
    const moreData = candidate({ id: 'comium:C', dataBytes: 10 * GB }, '7.50');
    expect(bestEquivalent(chosen, [a, b, moreData], terms)).toBe(moreData);
    const unlimited = candidate({ id: 'comium:D', dataBytes: null }, '7.50');
    expect(bestEquivalent(chosen, [unlimited, moreData, b], terms)).toBe(unlimited);
    const longer = candidate({ id: 'comium:E', dataBytes: null, validityDays: 60 }, '7.50');
    expect(bestEquivalent(chosen, [unlimited, longer], terms)).toBe(longer);
    const twin = candidate({ id: 'comium:0', dataBytes: null, validityDays: 60 }, '7.50');
    expect(bestEquivalent(chosen, [longer, twin], terms)).toBe(twin);
    expect(bestEquivalent(chosen, [twin, longer], terms)).toBe(twin);
  });

  it('skips candidates that do not qualify, and answers null when none does', () => {
    const cheapButSameProvider = candidate({ providerId: 'esimaccess' }, '1.00');
    const fine = candidate({ id: 'comium:F' }, '9.99');
    expect(bestEquivalent(chosen, [cheapButSameProvider, fine], terms)).toBe(fine);
    expect(bestEquivalent(chosen, [cheapButSameProvider, candidate({}, '10.01')], terms)).toBeNull();
    expect(bestEquivalent(chosen, [], terms)).toBeNull();
  });
});

describe('rankEquivalents', () => {
  it('lists every equivalent best first and drops the others', () => {
    const dear = candidate({ id: 'comium:A' }, '9.50');
    const cheap = candidate({ id: 'esimtrade:B', providerId: 'esimtrade' }, '7.50');
    const tooDear = candidate({ id: 'comium:C' }, '10.01');
    const fewerDays = candidate({ id: 'comium:D', validityDays: 7 }, '1.00');
    const ranked = rankEquivalents(chosen, [dear, tooDear, cheap, fewerDays], terms);
    expect(ranked).toEqual([cheap, dear]);
  });
});
