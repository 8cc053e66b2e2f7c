import { BadUserInputError } from './errors';

/**
 * The longest text a caller may send per field, in characters after trimming. Each fits its
 * database column, so a value that passes here is never cut or refused by the database.
 */
export const TEXT_LIMITS = {
  /** idempotency_key.idem_key is VARCHAR(200); UUIDs (36) and ULIDs (26) fit with room. */
  idempotencyKey: 200,
  /** order.reference */
  reference: 100,
  /** order.customer_name */
  customerName: 200,
  /** RFC 5321's longest forward path; order.customer_email */
  customerEmail: 254,
  /** account.name */
  accountName: 200,
  /** wallet_transaction.description */
  description: 500,
  /** Several SMS segments; providers cut or refuse beyond. */
  smsMessage: 500,
  /** The provider's own plan code inside a plan id; order.plan_id is VARCHAR(200) with the prefix. */
  planCode: 150,
  /** Free-text catalog filters (PlanFilter.search, PlanFilter.region): longer matches nothing anyway. */
  search: 200,
  region: 100,
} as const;

/**
 * C0 and C1 control characters, DEL, and UTF-16 surrogates without their pair. None belongs in a
 * name, key or reference: they corrupt logs and exports, and MySQL's utf8mb4 cannot store a lone
 * surrogate (the driver would silently turn it into U+FFFD).
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LINE_BREAKS = /[\t\n\r]/g;

export function isPrintable(value: string): boolean {
  return !UNPRINTABLE.test(value);
}

/** Printable text whose trimmed length is within min..max. */
export function isPrintableText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return trimmed.length >= min && trimmed.length <= max && isPrintable(trimmed);
}

/** As isPrintableText, but tabs and line breaks are allowed (message bodies). */
export function isMultilineText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && isPrintableText(value.replace(LINE_BREAKS, ' '), min, max);
}

/** Trimmed text of `min` to `max` printable characters, or BAD_USER_INPUT naming the field. */
export function parseText(value: string, field: string, min: number, max: number): string {
  if (!isPrintableText(value, min, max)) throw new BadUserInputError(textRule(field, min, max), field);
  return value.trim();
}

/** As parseText for an optional field: absent or blank is null. */
export function parseOptionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim().length === 0) return null;
  if (!isPrintableText(value, 0, max)) throw new BadUserInputError(textRule(field, 0, max), field);
  return value.trim();
}

/** The one wording of a text rule, shared by the domain parsers and the GraphQL input validation. */
export function textRule(field: string, min: number, max: number): string {
  return min > 0
    ? `${field} must be ${min} to ${max} printable characters.`
    : `${field} must be at most ${max} printable characters.`;
}
