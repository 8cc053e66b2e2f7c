import { sequentialWaves } from '../../../src/sandbox/shared/control';

const call = (startedAt: number, endedAt: number | null) => ({ call: 'GET /x', startedAt, endedAt });

describe('sequentialWaves', () => {
  it('counts calls in flight together as one wave', () => {
    expect(sequentialWaves([call(0, 100), call(2, 90), call(5, 120)])).toBe(1);
  });

  it('counts a call started after another was answered as the next wave', () => {
    expect(sequentialWaves([call(0, 100), call(100, 200), call(201, 300)])).toBe(3);
  });

  it('follows the longest chain, not the number of calls', () => {
    // login → first page → two more pages in parallel; another provider in parallel with the login
    expect(sequentialWaves([call(210, 300), call(0, 100), call(1, 150), call(101, 200), call(205, 290)])).toBe(3);
  });

  it('ignores calls never answered as predecessors, and an empty list is zero waves', () => {
    expect(sequentialWaves([call(0, null), call(50, 60)])).toBe(1);
    expect(sequentialWaves([])).toBe(0);
  });
});
