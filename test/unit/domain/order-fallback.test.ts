import { failoverReasonOf, type PartState } from '../../../src/domain/order-fallback';

const NEW: PartState = { status: 'NEW' };
const REFUSED: PartState = { status: 'FAILED', failureCode: 'PROVIDER_REFUSED' };

describe('failoverReasonOf', () => {
  it('fails over a refusal while nothing else was sent', () => {
    expect(failoverReasonOf([REFUSED], false)).toBe('PROVIDER_REFUSED');
    expect(failoverReasonOf([REFUSED, NEW, REFUSED], false)).toBe('PROVIDER_REFUSED');
    expect(failoverReasonOf([REFUSED, NEW], true)).toBe('PROVIDER_REFUSED');
  });

  it('fails over unsent parts only while the circuit is open (a rate limit is a wait)', () => {
    expect(failoverReasonOf([NEW, NEW], true)).toBe('PROVIDER_UNAVAILABLE');
    expect(failoverReasonOf([NEW, NEW], false)).toBeNull();
  });

  it.each<[string, PartState]>([
    ['a send of unknown outcome', { status: 'SUBMITTED' }],
    ['an accepted part', { status: 'PROCESSING' }],
    ['a delivered part', { status: 'COMPLETED' }],
    ['a part the provider failed after accepting it', { status: 'FAILED', failureCode: 'PROVIDER_FAILED' }],
    ['a part an operator refunded', { status: 'FAILED', failureCode: 'PROVIDER_UNAVAILABLE' }],
  ])('never fails over beside %s', (_why, part) => {
    expect(failoverReasonOf([REFUSED, part], true)).toBeNull();
    expect(failoverReasonOf([part, NEW], true)).toBeNull();
  });

  it('has nothing to decide without parts', () => {
    expect(failoverReasonOf([], true)).toBeNull();
  });
});
