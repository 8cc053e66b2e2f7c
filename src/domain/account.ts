import { BadUserInputError, ForbiddenError } from './errors';
import { compareDecimal, isDecimalString, normalizeDecimal } from './money';
import { TEXT_LIMITS, parseText } from './text';

export const AccountRole = { ADMIN: 'ADMIN', RESELLER: 'RESELLER' } as const;
export type AccountRole = (typeof AccountRole)[keyof typeof AccountRole];

/** The authenticated caller, as every service sees it. */
export interface Viewer {
  readonly accountId: string;
  readonly role: AccountRole;
  readonly markupPercent: string;
  /** The API key the caller authenticated with: request limits count per key. */
  readonly keyId?: string;
}

export function requireAdmin(viewer: Viewer): void {
  if (viewer.role !== 'ADMIN') throw new ForbiddenError();
}

export const MARKUP_RULE = 'markupPercent must be a decimal string from "0" to "1000" with at most 4 decimals.';

/** Markup is a decimal percentage from 0 to 1000 with up to 4 decimals ("20" = +20 %). */
export function isMarkupPercent(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return (
    isDecimalString(trimmed) &&
    (trimmed.split('.')[1]?.length ?? 0) <= 4 &&
    compareDecimal(trimmed, '0') >= 0 &&
    compareDecimal(trimmed, '1000') <= 0
  );
}

export function parseMarkupPercent(value: string | null | undefined): string {
  if (value === null || value === undefined) return '0';
  if (!isMarkupPercent(value)) throw new BadUserInputError(MARKUP_RULE, 'markupPercent');
  return normalizeDecimal(value.trim());
}

export function parseAccountName(value: string): string {
  return parseText(value, 'name', 1, TEXT_LIMITS.accountName);
}
