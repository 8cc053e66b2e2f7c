/**
 * What an order may do when its chosen plan cannot be served: nothing (NONE), or route to the best
 * equivalent plan at another provider (EQUIVALENT, see equivalent-plan.ts). quoteOrder reports the
 * route; placeOrder takes the same choice.
 */
export const OrderFallback = { NONE: 'NONE', EQUIVALENT: 'EQUIVALENT' } as const;
export type OrderFallback = (typeof OrderFallback)[keyof typeof OrderFallback];
