import { DomainError } from '../../../src/domain/errors';
import { MAX_SALES_RANGE_DAYS, parseSalesRange } from '../../../src/domain/sales-report';

const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms);

function refusal(from: Date, to: Date): { code: string; field: unknown } {
  try {
    parseSalesRange(from, to);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details.field };
    throw error;
  }
  throw new Error('accepted');
}

describe('parseSalesRange', () => {
  it('accepts a period up to the bound, inclusive', () => {
    expect(parseSalesRange(at(0), at(1))).toEqual({ from: at(0), to: at(1) });
    expect(parseSalesRange(at(0), at(MAX_SALES_RANGE_DAYS * DAY)).to).toEqual(at(MAX_SALES_RANGE_DAYS * DAY));
  });

  it.each([
    ['empty', at(0), at(0), 'to'],
    ['reversed', at(DAY), at(0), 'to'],
    ['too long', at(0), at(MAX_SALES_RANGE_DAYS * DAY + 1), 'to'],
    ['invalid from', new Date(Number.NaN), at(0), 'from'],
  ])('refuses a %s period with BAD_USER_INPUT', (_, from, to, field) => {
    expect(refusal(from, to)).toEqual({ code: 'BAD_USER_INPUT', field });
  });
});
