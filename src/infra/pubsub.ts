import { createPubSub } from '@graphql-yoga/subscription';

/**
 * Subscription topics and their payloads. Payloads are JSON-safe (ISO strings, decimal strings)
 * so they survive a Redis round trip unchanged; each carries the owning account for filtering.
 */
export interface TopicPayloads {
  /** An order changed state. */
  ORDER_UPDATED: { readonly accountId: string; readonly orderId: string };
  /** A profile's usage snapshot changed. */
  USAGE_UPDATED: { readonly accountId: string; readonly iccid: string; readonly usedBytes: number; readonly totalBytes: number | null; readonly updatedAt: string };
  /** A wallet's balance changed (one event per ledger row). */
  WALLET_UPDATED: { readonly accountId: string; readonly walletId: string };
}

export type Topic = keyof TopicPayloads;
type PublishArgs = { [K in Topic]: [TopicPayloads[K]] };

/** In-process pub/sub; services publish after their database commit. */
export function createGatewayPubSub() {
  return createPubSub<PublishArgs>();
}
export type GatewayPubSub = ReturnType<typeof createGatewayPubSub>;
