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
  const store = new KeyvRedis(redisUrl, { throwOnConnectError: false, throwOnErrors: false });
  return new Keyv({ store, namespace, useKeyPrefix: false });
}

export async function disposeCache(cache: Keyv): Promise<void> {
  await cache.disconnect().catch(() => undefined);
}
