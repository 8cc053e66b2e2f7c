/**
 * What an order may do when its chosen plan cannot be served: nothing (NONE), or route to the best
 * equivalent plan at another provider (EQUIVALENT, see equivalent-plan.ts). quoteOrder reports the
 * route; placeOrder takes the same choice.
 */
export const OrderFallback = { NONE: 'NONE', EQUIVALENT: 'EQUIVALENT' } as const;
export type OrderFallback = (typeof OrderFallback)[keyof typeof OrderFallback];

/**
 * Why an order went to an equivalent plan, each a case where nothing was (or can be) ordered from
 * the chosen provider:
 * - PROVIDER_UNAVAILABLE: it could not be reached and nothing had been sent (open circuit, or its
 *   price could not be read when the order was placed);
 * - PROVIDER_REFUSED: it refused the order outright (out of stock, its balance, its plan rules);
 * - PLAN_UNAVAILABLE: it no longer offers the plan.
 */
export const FailoverReason = {
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  PROVIDER_REFUSED: 'PROVIDER_REFUSED',
  PLAN_UNAVAILABLE: 'PLAN_UNAVAILABLE',
} as const;
export type FailoverReason = (typeof FailoverReason)[keyof typeof FailoverReason];

/** What the decision reads of one upstream order call (an order part). */
export interface PartState {
  readonly status: 'NEW' | 'SUBMITTED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
  readonly failureCode?: string | null;
}

/**
 * Whether an order whose parts stand so may still go elsewhere, and why; null when it may not.
 *
 * Only while nothing can be upstream: every part is either unsent (NEW) or refused outright
 * (FAILED with PROVIDER_REFUSED). A part whose send has an unknown outcome (SUBMITTED), one the
 * provider accepted (PROCESSING, COMPLETED), or one it failed after accepting may have cost the
 * provider's stock or balance: those orders never fail over, the attention flow owns them.
 * Unsent parts alone count only while the provider's circuit is open (a rate limit is a wait, not
 * an outage).
 */
export function failoverReasonOf(parts: readonly PartState[], circuitOpen: boolean): FailoverReason | null {
  if (parts.length === 0) return null;
  let refused = false;
  for (const part of parts) {
    if (part.status === 'FAILED' && part.failureCode === 'PROVIDER_REFUSED') refused = true;
    else if (part.status !== 'NEW') return null;
  }
  if (refused) return FailoverReason.PROVIDER_REFUSED;
  return circuitOpen ? FailoverReason.PROVIDER_UNAVAILABLE : null;
}
