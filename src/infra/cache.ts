import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';

/**
 * The cross-request cache: an in-process Map by default, Redis with REDIS_URL so several
 * instances share catalogs. Values must be JSON-safe, and callers never mutate what they read:
 * the in-process store keeps values by reference, since serializing a whole catalog to a string
 * and back on every refresh was the largest cost of a cold catalog read. DataLoaders sit above
 * it, per request.
 */
export function createCache(redisUrl: string | null, namespace: string): Keyv {
  if (!redisUrl) return new Keyv({ namespace, serialize: undefined, deserialize: undefined });
  // Without the offline queue, a command while Redis is away fails at once (a miss: the caller
  // asks the provider) instead of waiting for a reconnection that may never come.
  const store = new FailFastRedisStore(
    {
      url: redisUrl,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    },
    { throwOnConnectError: false, throwOnErrors: false, connectionTimeout: 1000 },
  );
  void store.getClient(); // connect now: the first request should not pay for it
  return new Keyv({ store, namespace, useKeyPrefix: false });
}

/** How long a failed connection attempt is trusted before the next request tries again. */
const RECONNECT_AFTER_MS = 5000;

/**
 * @keyv/redis connects on first use and, when that fails, on every later use, each attempt
 * waiting for its timeout: with Redis down, every cache read would cost a second. This store
 * tries at most once per RECONNECT_AFTER_MS; in between, commands meet a closed client and fail
 * at once, which Keyv answers as a miss. A client that was connected reconnects by itself.
 */
class FailFastRedisStore extends KeyvRedis<unknown> {
  private retryAt = 0;

  override async getClient() {
    if (!this.client.isOpen && Date.now() < this.retryAt) return this.client;
    const client = await super.getClient();
    if (!client.isOpen) this.retryAt = Date.now() + RECONNECT_AFTER_MS;
    return client;
  }
}

export async function disposeCache(cache: Keyv): Promise<void> {
  await cache.disconnect().catch(() => undefined);
}
