import {
  applyMarkup,
  displayAmount,
  fromScaledInteger,
  perGigabyte,
  roundToMinor,
  toScaledInteger,
} from '../../../src/domain/money';

describe('money', () => {
  it.each([
    ['2.675', 'USD', '2.68'],
    ['0.005', 'USD', '0.01'],
    ['0.004', 'USD', '0.00'],
    ['-2.675', 'USD', '-2.68'],
    ['1234.5', 'JPY', '1235'],
    ['1234.4', 'JPY', '1234'],
    ['1.2345', 'KWD', '1.235'],
    ['1.2344', 'KWD', '1.234'],
    ['10', 'USD', '10.00'],
  ])('rounds %s %s half-up to its minor unit: %s', (amount, currency, expected) => {
    expect(roundToMinor(amount, currency)).toBe(expected);
  });

  it.each([
    ['10.00', '20', '12.00'],
    ['2.23', '12.5', '2.51'], // 2.50875
    ['0.57', '0', '0.57'],
    ['1.1', '33.3333', '1.47'], // 1.46666663
    ['4.4444', '12.5', '5.00'], // 4.99995 rounds up
  ])('prices %s at +%s%% as %s', (wholesale, markup, expected) => {
    expect(applyMarkup({ amount: wholesale, currency: 'USD' }, markup)).toEqual({ amount: expected, currency: 'USD' });
  });

  it('converts eSIM Access integers (USD × 10 000) exactly, both ways', () => {
    expect(fromScaledInteger(5700, 10_000)).toBe('0.57');
    expect(fromScaledInteger('123456789', 10_000)).toBe('12345.6789');
    expect(toScaledInteger('0.1', 10_000)).toBe(1000);
    expect(() => toScaledInteger('0.00001', 10_000)).toThrow(RangeError);
  });

  it('never drifts like binary floats do', () => {
    expect(applyMarkup({ amount: '0.1', currency: 'USD' }, '200').amount).toBe('0.30');
  });

  it('divides by binary gigabytes for the price per GB', () => {
    expect(perGigabyte({ amount: '10.00', currency: 'USD' }, 5 * 1024 ** 3)).toEqual({
      amount: '2.00',
      currency: 'USD',
    });
    expect(perGigabyte({ amount: '1.00', currency: 'USD' }, 3 * 1024 ** 3).amount).toBe('0.33');
  });

  it('shows at least the minor digits without dropping precision', () => {
    expect(displayAmount('0', 'USD')).toBe('0.00');
    expect(displayAmount('0.5700', 'USD')).toBe('0.57');
    expect(displayAmount('0.1234', 'USD')).toBe('0.1234');
    expect(displayAmount('5', 'JPY')).toBe('5');
  });
});
