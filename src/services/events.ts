import { ALL_ACCOUNTS, type GatewayPubSub, type Topic, type TopicPayloads } from '../infra/pubsub';

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
  // To the owner's route and to the admins' route (see ALL_ACCOUNTS).
  const publish = <K extends Topic>(topic: K, payload: TopicPayloads[K]) => {
    const send = pubsub.publish as (topic: K, route: string, payload: TopicPayloads[K]) => void;
    send(topic, payload.accountId, payload);
    send(topic, ALL_ACCOUNTS, payload);
  };
  return {
    orderUpdated: (accountId, orderId) => publish('ORDER_UPDATED', { accountId, orderId }),
    walletUpdated: (accountId) => publish('WALLET_UPDATED', { accountId }),
    usageUpdated: (accountId, iccid, usage) =>
      publish('USAGE_UPDATED', { accountId, iccid, usedBytes: usage.usedBytes, totalBytes: usage.totalBytes, updatedAt: usage.updatedAt.toISOString() }),
  };
}
