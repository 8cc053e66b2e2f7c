import DecimalJs from 'decimal.js';

/** Arbitrary-precision decimals; never a binary float for money. */
const D = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 30 });
type Dec = InstanceType<typeof D>;

/** An exact amount (decimal string) in an ISO 4217 currency. */
export interface Money {
  readonly amount: string;
  readonly currency: string;
}

/** ISO 4217 minor units for currencies whose exponent is not 2. */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

const DECIMAL_RE = /^-?\d{1,18}(\.\d{1,12})?$/;
const CURRENCY_RE = /^[A-Z]{3}$/;

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

export function isDecimalString(value: string): boolean {
  return DECIMAL_RE.test(value);
}

export function isCurrencyCode(value: string): boolean {
  return CURRENCY_RE.test(value);
}

function dec(value: string | number | Dec): Dec {
  return new D(value);
}

/** Rounds half-up (away from zero on .5) to the currency's minor unit and formats with all its digits. */
export function roundToMinor(amount: string, currency: string): string {
  return dec(amount).toDecimalPlaces(minorUnits(currency), D.ROUND_HALF_UP).toFixed(minorUnits(currency));
}

export function money(amount: string, currency: string): Money {
  return { amount: dec(amount).toFixed(), currency };
}

/** Shows at least the currency's minor digits, never fewer digits than the value has: "0" → "0.00", "0.5700" kept. */
export function displayAmount(amount: string, currency: string): string {
  const value = dec(amount);
  return value.toFixed(Math.max(minorUnits(currency), value.decimalPlaces()));
}

/** Normalizes a decimal string without rounding ("12.500" → "12.5"). */
export function normalizeDecimal(amount: string): string {
  return dec(amount).toFixed();
}

/** amount × (1 + percent/100), rounded half-up to the currency's minor unit. */
export function applyMarkup(wholesale: Money, markupPercent: string): Money {
  const factor = dec(1).plus(dec(markupPercent).div(100));
  return {
    amount: roundToMinor(dec(wholesale.amount).times(factor).toFixed(), wholesale.currency),
    currency: wholesale.currency,
  };
}

/** Converts an integer expressed in 1/scale units (eSIM Access prices are USD × 10 000) to a decimal string. */
export function fromScaledInteger(value: number | string, scale: number): string {
  return dec(value).div(scale).toFixed();
}

/** Converts a decimal amount to an integer count of 1/scale units; throws when it is not exact. */
export function toScaledInteger(amount: string, scale: number): number {
  const scaled = dec(amount).times(scale);
  if (!scaled.isInteger()) throw new RangeError(`amount has more precision than 1/${scale}`);
  return scaled.toNumber();
}

/** Converts between currencies with an exact decimal rate (units of `to` per unit of `from`). */
export function convert(amount: Money, to: string, rate: string): Money {
  return { amount: dec(amount.amount).times(rate).toFixed(), currency: to };
}

/** Money per gigabyte (1 GB = 1024^3 bytes), rounded to the currency's minor unit. */
export function perGigabyte(price: Money, bytes: number): Money {
  const gb = dec(bytes).div(1024 ** 3);
  return { amount: roundToMinor(dec(price.amount).div(gb).toFixed(), price.currency), currency: price.currency };
}

export function compareDecimal(a: string, b: string): number {
  return dec(a).comparedTo(b);
}

export function addDecimal(a: string, b: string): string {
  return dec(a).plus(b).toFixed();
}

export function subtractDecimal(a: string, b: string): string {
  return dec(a).minus(b).toFixed();
}

export function multiplyDecimal(a: string, b: string | number): string {
  return dec(a).times(b).toFixed();
}

export function isNegative(a: string): boolean {
  return dec(a).isNegative() && !dec(a).isZero();
}

/** Parses a float-ish JSON number from an upstream (e.g. 4.5) into an exact decimal string via its shortest repr. */
export function decimalFromUpstream(value: number | string): string {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text)) throw new RangeError('not a decimal');
  return dec(text).toFixed();
}
