import type Keyv from 'keyv';
import type { Logger } from 'pino';
import type { CatalogPlan } from '../../domain/plan';
import type { ProviderAdapter } from '../../providers/provider-adapter';
import { CatalogIndex } from './catalog-index';

interface Entry {
  readonly index: CatalogIndex;
  /** When to ask the provider again: fetchedAt + TTL, or soon after a failed refresh. */
  readonly refreshAt: number;
}

interface Stored {
  readonly fetchedAt: number;
  readonly plans: CatalogPlan[];
}

/**
 * Per-provider catalog snapshots: an in-process index in front of keyv (memory or Redis).
 * Concurrent readers of a cold provider share one upstream fetch. A failed refresh serves the
 * last good catalog (kept in keyv without TTL) and retries after `retryStaleMs`; with no good
 * catalog at all it rejects, and the caller reports the provider as unavailable.
 */
export class CatalogStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<CatalogIndex>>();

  constructor(
    private readonly cache: Keyv,
    private readonly logger: Logger,
    private readonly ttlMs: number,
    private readonly retryStaleMs = 15_000,
  ) {}

  get(adapter: ProviderAdapter): Promise<CatalogIndex> {
    const entry = this.entries.get(adapter.id);
    if (entry && Date.now() < entry.refreshAt) return Promise.resolve(entry.index);
    let pending = this.inflight.get(adapter.id);
    if (!pending) {
      pending = this.refresh(adapter).finally(() => this.inflight.delete(adapter.id));
      this.inflight.set(adapter.id, pending);
    }
    return pending;
  }

  /** Forgets the in-process copies (tests; an operator-triggered refresh). */
  clear(): void {
    this.entries.clear();
  }

  private async refresh(adapter: ProviderAdapter): Promise<CatalogIndex> {
    const shared = await this.read(`catalog:${adapter.id}`);
    if (shared && Date.now() < shared.fetchedAt + this.ttlMs)
      return this.remember(adapter.id, shared, shared.fetchedAt + this.ttlMs);
    try {
      const plans = await adapter.listPlans();
      const stored: Stored = { fetchedAt: Date.now(), plans };
      await Promise.all([
        this.write(`catalog:${adapter.id}`, stored, this.ttlMs),
        this.write(`catalog-last:${adapter.id}`, stored),
      ]);
      return this.remember(adapter.id, stored, stored.fetchedAt + this.ttlMs);
    } catch (error) {
      const last = this.entries.get(adapter.id)?.index ?? (await this.read(`catalog-last:${adapter.id}`));
      if (!last) throw error;
      this.logger.warn(
        { provider: adapter.id, code: (error as { code?: string }).code },
        'catalog refresh failed; serving the last good catalog',
      );
      const stored = last instanceof CatalogIndex ? { fetchedAt: last.fetchedAt, plans: [...last.plans] } : last;
      return this.remember(adapter.id, stored, Date.now() + this.retryStaleMs);
    }
  }

  private remember(providerId: string, stored: Stored, refreshAt: number): CatalogIndex {
    const current = this.entries.get(providerId)?.index;
    const index =
      current && current.fetchedAt === stored.fetchedAt
        ? current
        : new CatalogIndex(providerId, stored.plans, stored.fetchedAt);
    this.entries.set(providerId, { index, refreshAt });
    return index;
  }

  /** A cache outage must not fail the catalog: it degrades to fetching from the provider. */
  private async read(key: string): Promise<Stored | undefined> {
    try {
      return (await this.cache.get<Stored>(key)) ?? undefined;
    } catch (error) {
      this.logger.warn({ key, err: (error as Error).message }, 'cache read failed');
      return undefined;
    }
  }

  private async write(key: string, value: Stored, ttlMs?: number): Promise<void> {
    try {
      await this.cache.set(key, value, ttlMs);
    } catch (error) {
      this.logger.warn({ key, err: (error as Error).message }, 'cache write failed');
    }
  }
}
