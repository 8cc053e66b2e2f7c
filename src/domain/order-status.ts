/** Where a `placeOrder` stands; COMPLETED, FAILED and CANCELLED are final. */
export const OrderStatus = {
  PENDING: 'PENDING',
  PROCESSING: 'PROCESSING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** Where a `topUpProfile` stands. PENDING covers both "not sent yet" and "sent, outcome unknown": `submitted_at` tells which. */
export const TopUpStatus = { PENDING: 'PENDING', COMPLETED: 'COMPLETED', FAILED: 'FAILED' } as const;
export type TopUpStatus = (typeof TopUpStatus)[keyof typeof TopUpStatus];

/** How an admin settles an order or top-up the provider left unsettled. */
export const OrderResolution = { REFUND: 'REFUND', RETRY_LOOKUP: 'RETRY_LOOKUP' } as const;
export type OrderResolution = (typeof OrderResolution)[keyof typeof OrderResolution];

/** `resolveOrder` and `resolveTopUp` as an admin sends them; the note goes to the refund's ledger row. */
export interface ResolveOrderCommand {
  readonly orderId: string;
  readonly outcome: OrderResolution;
  readonly note?: string | null;
}

export interface ResolveTopUpCommand {
  readonly topUpId: string;
  readonly outcome: OrderResolution;
  readonly note?: string | null;
}
