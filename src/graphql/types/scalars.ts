import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isDecimalString, normalizeDecimal } from '../../domain/money';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** Exact decimal as a string ("12.50"); a JSON number is refused, so no float ever carries money. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'Exact decimal number serialized as a string, e.g. "12.50". Never a float.',
  serialize: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('Decimal must be serialized from a string');
    return value;
  },
  parseValue: (value) => {
    if (typeof value !== 'string' || !isDecimalString(value.trim()))
      throw invalid('Decimal must be a string like "12.50" (up to 18 integer and 12 fraction digits).');
    return normalizeDecimal(value.trim());
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !isDecimalString(ast.value.trim()))
      throw invalid('Decimal must be a string like "12.50".');
    return normalizeDecimal(ast.value.trim());
  },
});

/** Integers up to 2^53 - 1 as JSON numbers: byte counts exceed GraphQL's 32-bit Int. */
export const SafeIntScalar = new GraphQLScalarType<number, number>({
  name: 'SafeInt',
  description: 'Integer that may exceed 32 bits (up to 2^53 - 1), serialized as a JSON number.',
  serialize: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw new GraphQLError('SafeInt must be a safe integer');
    return value;
  },
  parseValue: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw invalid('SafeInt must be an integer between -(2^53 - 1) and 2^53 - 1.');
    return value;
  },
  parseLiteral: (ast) => {
    const value = ast.kind === Kind.INT ? Number(ast.value) : NaN;
    if (!Number.isSafeInteger(value)) throw invalid('SafeInt must be an integer between -(2^53 - 1) and 2^53 - 1.');
    return value;
  },
});

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const parseDate = (value: unknown) => {
  if (typeof value !== 'string' || !ISO_RE.test(value) || Number.isNaN(Date.parse(value)))
    throw invalid('DateTime must be an ISO-8601 string with a zone, e.g. 2026-11-23T10:00:00.000Z.');
  return new Date(value);
};

/** UTC ISO-8601 date-times. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 date-time in UTC, e.g. 2026-11-23T10:00:00.000Z',
  serialize: (value) => {
    const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent this value');
    return date.toISOString();
  },
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});
