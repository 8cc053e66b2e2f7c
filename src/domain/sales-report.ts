import { BadUserInputError } from './errors';

/** What `salesSummary` rows are grouped by. */
export const SalesGroupBy = {
  DAY: 'DAY',
  PROVIDER: 'PROVIDER',
  COUNTRY: 'COUNTRY',
  ACCOUNT: 'ACCOUNT',
} as const;
export type SalesGroupBy = (typeof SalesGroupBy)[keyof typeof SalesGroupBy];

/**
 * The COUNTRY key of an order whose plan covers more than one country (regional, global, cruise):
 * each order lands in exactly one row, so the rows add up to the total.
 */
export const MULTI_COUNTRY_KEY = 'MULTI';

/** The longest period one report may cover, so one admin query cannot scan the whole history. */
export const MAX_SALES_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** A checked half-open period [from, to). */
export interface SalesRange {
  readonly from: Date;
  readonly to: Date;
}

/** BAD_USER_INPUT unless `from < to` and the period is at most MAX_SALES_RANGE_DAYS long. */
export function parseSalesRange(from: Date, to: Date): SalesRange {
  if (Number.isNaN(from.getTime())) throw new BadUserInputError('from is not a valid date-time.', 'from');
  if (Number.isNaN(to.getTime())) throw new BadUserInputError('to is not a valid date-time.', 'to');
  if (to.getTime() <= from.getTime()) throw new BadUserInputError('to must be after from.', 'to');
  if (to.getTime() - from.getTime() > MAX_SALES_RANGE_DAYS * DAY_MS)
    throw new BadUserInputError(`The period may cover at most ${MAX_SALES_RANGE_DAYS} days.`, 'to');
  return { from, to };
}
