import { findCountry } from './countries';
import { BadUserInputError } from './errors';
import { parsePlanGlobalId } from './ids';
import { compareDecimal, isDecimalString, minorUnits, normalizeDecimal, roundToMinor } from './money';
import { isProviderId } from './provider';
import type { PricedRule } from './price-rule';

export interface RawPriceRule {
  readonly accountId: string;
  readonly providerId?: string | null;
  readonly country?: string | null;
  readonly planId?: string | null;
  readonly markupPercent?: string | null;
  readonly fixedPrice?: string | null;
  readonly allowLoss?: boolean | null;
}

export interface PriceRuleCommand extends PricedRule {
  readonly accountId: string;
  readonly allowLoss: boolean;
}

/** Rules may mark down (to -100 %, a free plan) as well as up; below 0 is a loss, refused unless allowLoss. */
export const RULE_MARKUP_RULE = 'markupPercent must be a decimal string from "-100" to "1000" with at most 4 decimals.';
const MAX_FIXED_PRICE = '1000000';

/** Checks shape and ranges; the account, provider catalog and loss checks need I/O and are the service's. */
export function parsePriceRule(raw: RawPriceRule, currency: string): PriceRuleCommand {
  const blank = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());
  let providerId = blank(raw.providerId);
  const countryText = blank(raw.country);
  const planId = blank(raw.planId);
  if (providerId !== null && !isProviderId(providerId))
    throw new BadUserInputError(`Unknown provider "${providerId}".`, 'providerId');
  let country: string | null = null;
  if (countryText !== null) {
    country = findCountry(countryText)?.code ?? null;
    if (country === null)
      throw new BadUserInputError('country must be an ISO 3166-1 alpha-2 or alpha-3 country code.', 'country');
  }
  if (planId !== null) {
    const parsed = parsePlanGlobalId(planId);
    if (!parsed) throw new BadUserInputError('planId is not a plan id ("<providerId>:<code>").', 'planId');
    if (providerId !== null && providerId !== parsed.providerId)
      throw new BadUserInputError('providerId does not match the provider of planId.', 'providerId');
    if (country !== null) throw new BadUserInputError('A plan rule takes no country: the plan decides.', 'country');
    providerId = parsed.providerId;
  }
  if (providerId === null && country === null)
    throw new BadUserInputError(
      'Give providerId, country or planId: an account-wide rule is the account markup (updateAccount).',
      'planId',
    );
  const markup = blank(raw.markupPercent);
  const fixed = blank(raw.fixedPrice);
  if ((markup === null) === (fixed === null))
    throw new BadUserInputError('Give exactly one of markupPercent and fixedPrice.', 'markupPercent');
  return {
    accountId: raw.accountId,
    providerId,
    country,
    planId,
    markupPercent: markup === null ? null : parseRuleMarkup(markup),
    fixedPrice: fixed === null ? null : parseFixedPrice(fixed, currency),
    allowLoss: raw.allowLoss === true,
  };
}

function parseRuleMarkup(value: string): string {
  const ok =
    isDecimalString(value) &&
    (value.split('.')[1]?.length ?? 0) <= 4 &&
    compareDecimal(value, '-100') >= 0 &&
    compareDecimal(value, '1000') <= 0;
  if (!ok) throw new BadUserInputError(RULE_MARKUP_RULE, 'markupPercent');
  return normalizeDecimal(value);
}

/** A price the wallet can charge exactly: never more digits than the currency's minor unit. */
function parseFixedPrice(value: string, currency: string): string {
  const ok =
    isDecimalString(value) &&
    (value.split('.')[1]?.length ?? 0) <= minorUnits(currency) &&
    compareDecimal(value, '0') >= 0 &&
    compareDecimal(value, MAX_FIXED_PRICE) <= 0;
  if (!ok)
    throw new BadUserInputError(
      `fixedPrice must be a decimal string from 0 to ${MAX_FIXED_PRICE} ${currency} with at most ${minorUnits(currency)} decimals.`,
      'fixedPrice',
    );
  return roundToMinor(value, currency);
}
