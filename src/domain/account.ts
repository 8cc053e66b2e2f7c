import { BadUserInputError, ForbiddenError } from './errors';
import { compareDecimal, isDecimalString, normalizeDecimal } from './money';

export type AccountRole = 'ADMIN' | 'RESELLER';

/** The authenticated caller, as every service sees it. */
export interface Viewer {
  readonly accountId: string;
  readonly role: AccountRole;
  readonly markupPercent: string;
}

export function requireAdmin(viewer: Viewer): void {
  if (viewer.role !== 'ADMIN') throw new ForbiddenError();
}

/** Markup is a decimal percentage from 0 to 1000 with up to 4 decimals ("20" = +20 %). */
export function parseMarkupPercent(value: string | null | undefined): string {
  if (value === null || value === undefined) return '0';
  const trimmed = value.trim();
  if (!isDecimalString(trimmed) || (trimmed.split('.')[1]?.length ?? 0) > 4 || compareDecimal(trimmed, '0') < 0 || compareDecimal(trimmed, '1000') > 0) {
    throw new BadUserInputError('markupPercent must be a decimal string from "0" to "1000" with at most 4 decimals.', 'markupPercent');
  }
  return normalizeDecimal(trimmed);
}

export function parseAccountName(value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 200) throw new BadUserInputError('name must be 1 to 200 characters.', 'name');
  return name;
}
