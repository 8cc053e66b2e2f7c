import { BadUserInputError } from './errors';
import { compareDecimal, isDecimalString, minorUnits, normalizeDecimal } from './money';
import { parseOptionalText, TEXT_LIMITS } from './text';

/** What a ledger row is for. */
export const WalletTransactionType = {
  DEPOSIT: 'DEPOSIT',
  ORDER: 'ORDER',
  TOP_UP: 'TOP_UP',
  REFUND: 'REFUND',
  ADJUSTMENT: 'ADJUSTMENT',
} as const;
export type WalletTransactionType = (typeof WalletTransactionType)[keyof typeof WalletTransactionType];

/** `creditWallet` as the caller sent it. */
export interface RawCreditWallet {
  readonly accountId: string;
  readonly amount: string;
  readonly description?: string | null;
  readonly idempotencyKey: string;
}

/** `creditWallet` checked against the wallet's currency: a normalized non-zero amount, the description trimmed or null. */
export interface CreditWalletCommand {
  readonly accountId: string;
  readonly amount: string;
  readonly description: string | null;
}

/** Validates `creditWallet` input for a wallet in `currency`; every refusal is BAD_USER_INPUT naming the field. */
export function parseCreditWallet(raw: RawCreditWallet, currency: string): CreditWalletCommand {
  const amount = parseAmount(raw.amount, currency);
  const description = parseOptionalText(raw.description, 'description', TEXT_LIMITS.description);
  return { accountId: raw.accountId, amount, description };
}

function parseAmount(value: string, currency: string): string {
  const trimmed = value.trim();
  const decimals = trimmed.split('.')[1]?.length ?? 0;
  if (
    !isDecimalString(trimmed) ||
    decimals > minorUnits(currency) ||
    compareDecimal(trimmed, '0') === 0 ||
    compareDecimal(trimmed.replace('-', ''), '1000000000') > 0
  ) {
    throw new BadUserInputError(
      `amount must be a non-zero decimal string with at most ${minorUnits(currency)} decimals, up to 1000000000.`,
      'amount',
    );
  }
  return normalizeDecimal(trimmed);
}
