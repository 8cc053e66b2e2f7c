import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import Redis from 'ioredis';
import { setMaxListeners } from 'node:events';

/**
 * Subscription topics and their payloads. Payloads are JSON-safe (ISO strings, decimal strings)
 * so they survive a Redis round trip unchanged; each carries the owning account for filtering and
 * its outbox event id, stable across re-deliveries.
 */
export interface TopicPayloads {
  /** An order changed state. */
  ORDER_UPDATED: { readonly eventId: string; readonly accountId: string; readonly orderId: string };
  /** A profile's usage snapshot changed. */
  USAGE_UPDATED: {
    readonly eventId: string;
    readonly accountId: string;
    readonly iccid: string;
    readonly usedBytes: number;
    readonly totalBytes: number | null;
    readonly updatedAt: string;
  };
  /** A wallet's balance changed (one event per committed transaction that moved it); an account has one wallet. */
  WALLET_UPDATED: { readonly eventId: string; readonly accountId: string };
}

export type Topic = keyof TopicPayloads;

/**
 * Every topic is routed by account: an event goes to `<topic>:<accountId>` and to
 * `<topic>:${ALL_ACCOUNTS}` (admins). A reseller's subscription listens to its own account only,
 * so an event wakes its account's subscribers, not every subscriber on the instance.
 */
export const ALL_ACCOUNTS = '*';
type PublishArgs = { [K in Topic]: [route: string, payload: TopicPayloads[K]] };

type EventTargetLike = Parameters<typeof createPubSub>[0] extends infer C
  ? C extends { eventTarget?: infer T }
    ? NonNullable<T>
    : never
  : never;

/**
 * In-process pub/sub by default. With REDIS_URL, Redis pub/sub (graphql-yoga's Redis event
 * target over ioredis), so an event published on one instance reaches subscribers on every
 * instance. Channels are prefixed with the cache namespace: deployments (and test runs) sharing
 * one Redis never hear each other.
 */
export function createGatewayPubSub(
  options: { redisUrl: string | null; namespace: string } = { redisUrl: null, namespace: '' },
) {
  if (!options.redisUrl) {
    // One listener per live subscription on a topic: thousands are normal, not a leak to warn about.
    const target = new EventTarget();
    setMaxListeners(0, target);
    return {
      pubSub: createPubSub<PublishArgs>({ eventTarget: target as EventTargetLike }),
      dispose: async () => undefined,
    };
  }
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  // The event target fires publish/subscribe/unsubscribe and never awaits them: a command pending
  // when the connection closes (at shutdown) would reject with nobody listening and crash the process.
  const ignore = () => 0;
  const clients = {
    publishClient: {
      publish: (channel: string, message: string) => publishClient.publish(channel, message).catch(ignore),
    },
    subscribeClient: {
      on: (event: 'message', listener: (channel: string, message: string) => void) =>
        subscribeClient.on(event, listener),
      subscribe: (channel: string) => subscribeClient.subscribe(channel).catch(ignore),
      unsubscribe: (channel: string) => subscribeClient.unsubscribe(channel).catch(ignore),
    },
  } as unknown as Parameters<typeof createRedisEventTarget>[0];
  const target = namespaced(createRedisEventTarget(clients) as unknown as EventTargetLike, `${options.namespace}:`);
  return {
    pubSub: createPubSub<PublishArgs>({ eventTarget: target }),
    dispose: async () => {
      // quit (graceful) only on a live connection: with Redis down it would wait for ever.
      const close = async (client: Redis) =>
        client.status === 'ready' ? void (await client.quit().catch(() => undefined)) : client.disconnect();
      await Promise.all([close(publishClient), close(subscribeClient)]);
    },
  };
}
export type GatewayPubSub = ReturnType<typeof createGatewayPubSub>['pubSub'];

function namespaced(target: EventTargetLike, prefix: string): EventTargetLike {
  return {
    addEventListener: (type: string, listener: never) => target.addEventListener(prefix + type, listener),
    removeEventListener: (type: string, listener: never) => target.removeEventListener(prefix + type, listener),
    dispatchEvent: (event: CustomEvent) =>
      target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail })),
  } as unknown as EventTargetLike;
}
