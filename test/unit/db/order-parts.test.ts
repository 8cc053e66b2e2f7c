import { newParts, splitQuantity } from '../../../src/db/repositories/order-parts';

describe('splitQuantity', () => {
  it('splits into batches of at most the provider limit, and one by one for a limit under 1', () => {
    expect(splitQuantity(65, 30)).toEqual([30, 30, 5]);
    expect(splitQuantity(3, 1)).toEqual([1, 1, 1]);
    expect(splitQuantity(2, 0)).toEqual([1, 1]);
    expect(splitQuantity(1, 30)).toEqual([1]);
  });
});

describe('newParts', () => {
  const now = new Date('2026-12-06T00:00:00Z');

  it('uses the order id as the reference of a single part, and numbers several', () => {
    expect(newParts('o1', 1, 30, now).map((p) => [p.id, p.seq, p.quantity, p.status])).toEqual([['o1', 1, 1, 'NEW']]);
    expect(newParts('o1', 2, 1, now).map((p) => [p.id, p.seq])).toEqual([
      ['o1-1', 1],
      ['o1-2', 2],
    ]);
  });

  it('after a failover, numbers on from the old parts under references the first provider never saw', () => {
    const parts = newParts('o1', 3, 2, now, { firstSeq: 4, prefix: '-f' });
    expect(parts.map((p) => [p.id, p.seq, p.quantity])).toEqual([
      ['o1-f-1', 4, 2],
      ['o1-f-2', 5, 1],
    ]);
    expect(newParts('o1', 1, 1, now, { firstSeq: 2, prefix: '-f' })[0].id).toBe('o1-f');
  });
});
