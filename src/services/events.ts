import type { EntityManager } from 'typeorm';
import type { Outbox } from './realtime/outbox';

/**
 * What services announce, inside the transaction of the change: the event commits with it and is
 * published after the commit (the outbox), so a subscriber never misses a final state and never
 * hears of a change that rolled back.
 */
export interface Events {
  orderUpdated(tx: EntityManager, accountId: string, orderId: string): Promise<void>;
  walletUpdated(tx: EntityManager, accountId: string): Promise<void>;
  usageUpdated(
    tx: EntityManager,
    accountId: string,
    iccid: string,
    usage: { usedBytes: number; totalBytes: number | null; updatedAt: Date },
  ): Promise<void>;
}

export function eventsThrough(outbox: Outbox): Events {
  return {
    orderUpdated: (tx, accountId, orderId) => outbox.add(tx, 'ORDER_UPDATED', { accountId, orderId }),
    walletUpdated: (tx, accountId) => outbox.add(tx, 'WALLET_UPDATED', { accountId }),
    usageUpdated: (tx, accountId, iccid, usage) =>
      outbox.add(tx, 'USAGE_UPDATED', {
        accountId,
        iccid,
        usedBytes: usage.usedBytes,
        totalBytes: usage.totalBytes,
        updatedAt: usage.updatedAt.toISOString(),
      }),
  };
}
