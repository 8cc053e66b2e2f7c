import { ProviderRejectedError } from './errors';

/**
 * Why an order (or one of its parts) or a top-up failed, as a stable code callers can branch on.
 * The provider's own code and words are kept apart (`Failure.providerCode`/`providerMessage`):
 * they describe the operator's upstream account (balance, stock, contract), so only admins and
 * the logs see them; resellers get the code and a neutral sentence.
 *
 * - `PROVIDER_REFUSED`: the provider refused the request outright (its balance, stock or plan rules).
 * - `PROVIDER_FAILED`: the provider accepted the request, then reported it failed.
 * - `PROVIDER_UNAVAILABLE`: the provider gave no final answer in time; the gateway gave up on it.
 */
export const FailureCode = {
  PROVIDER_REFUSED: 'PROVIDER_REFUSED',
  PROVIDER_FAILED: 'PROVIDER_FAILED',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
} as const;
export type FailureCode = (typeof FailureCode)[keyof typeof FailureCode];

export const FAILURE_CODES: readonly FailureCode[] = Object.values(FailureCode);

export interface Failure {
  readonly code: FailureCode;
  /** The provider's own error code, when it gave one. */
  readonly providerCode: string | null;
  /** The provider's own words (internal: admins and logs only). */
  readonly providerMessage: string;
}

const MESSAGE_MAX = 500;
const CODE_MAX = 100;

export function refusalOf(error: ProviderRejectedError): Failure {
  return {
    code: 'PROVIDER_REFUSED',
    providerCode: error.providerCode.slice(0, CODE_MAX),
    providerMessage: error.providerMessage.slice(0, MESSAGE_MAX),
  };
}

/** An upstream order or top-up the provider itself reported FAILED. */
export function upstreamFailure(reason: string | null | undefined): Failure {
  return {
    code: 'PROVIDER_FAILED',
    providerCode: null,
    providerMessage: (reason || 'Refused by the provider').slice(0, MESSAGE_MAX),
  };
}

/** No final answer from the provider before the gateway's deadline. */
export function unansweredFailure(what: string): Failure {
  return { code: 'PROVIDER_UNAVAILABLE', providerCode: null, providerMessage: what.slice(0, MESSAGE_MAX) };
}

export function isFailureCode(value: unknown): value is FailureCode {
  return FAILURE_CODES.includes(value as FailureCode);
}

/** The sentence every caller sees for a failed order; `failed` of `quantity` profiles were refunded. */
export function orderFailureText(code: FailureCode, failed: number, quantity: number): string {
  if (failed < quantity)
    return `${failed} of ${quantity} profile(s) could not be delivered by the provider and were refunded.`;
  return code === 'PROVIDER_UNAVAILABLE'
    ? 'The provider did not confirm this order in time; it was refunded.'
    : 'The provider could not deliver this order; it was refunded.';
}

export function topUpFailureText(code: FailureCode): string {
  return code === 'PROVIDER_UNAVAILABLE'
    ? 'The provider did not confirm this top-up in time; it was refunded.'
    : 'The provider could not apply this top-up; it was refunded.';
}
