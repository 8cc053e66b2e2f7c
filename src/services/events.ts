import type { GatewayPubSub } from '../infra/pubsub';

/**
 * What services announce after a commit. Publishing never fails the operation that committed:
 * the change is in the database, and subscribers can always re-read it.
 */
export interface Events {
  orderUpdated(accountId: string, orderId: string): void;
  walletUpdated(accountId: string): void;
  usageUpdated(accountId: string, iccid: string, usage: { usedBytes: number; totalBytes: number | null; updatedAt: Date }): void;
}

export function eventsOver(pubsub: GatewayPubSub): Events {
  return {
    orderUpdated: (accountId, orderId) => pubsub.publish('ORDER_UPDATED', { accountId, orderId }),
    walletUpdated: (accountId) => pubsub.publish('WALLET_UPDATED', { accountId }),
    usageUpdated: (accountId, iccid, usage) =>
      pubsub.publish('USAGE_UPDATED', { accountId, iccid, usedBytes: usage.usedBytes, totalBytes: usage.totalBytes, updatedAt: usage.updatedAt.toISOString() }),
  };
}
