import type Keyv from 'keyv';
import type { Logger } from 'pino';
import { requireAdmin, type Viewer } from '../../domain/account';
import type { Money } from '../../domain/money';
import type { ProviderHealth } from '../../domain/provider';
import type { ProviderAdapter } from '../../providers/provider-adapter';
import type { ProviderRegistry } from '../../providers/registry';

/** Provider listing, health and (admin only) upstream balances, cached briefly in keyv. */
export class ProviderService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly cache: Keyv,
    private readonly balanceTtlMs: number,
    private readonly logger: Logger,
  ) {}

  list(): ProviderAdapter[] {
    return this.registry.all();
  }

  find(id: string): ProviderAdapter | null {
    return this.registry.find(id) ?? null;
  }

  health(id: string): ProviderHealth {
    return this.registry.get(id).health();
  }

  async balances(viewer: Viewer, ids: readonly string[]): Promise<(Money | null | Error)[]> {
    requireAdmin(viewer);
    return Promise.all(
      ids.map(async (id) => {
        const key = `provider-balance:${id}`;
        const cached = await this.cache.get<Money | { none: true }>(key).catch(() => undefined);
        if (cached) return 'none' in cached ? null : cached;
        try {
          const balance = await this.registry.get(id).getBalance();
          await this.cache.set(key, balance ?? { none: true }, this.balanceTtlMs).catch(() => undefined);
          return balance;
        } catch (error) {
          return error as Error;
        }
      }),
    );
  }

  /**
   * Opens or renews every provider session that is due, in parallel. A failure is logged and
   * left to the next run or the next call, which renews on its own.
   */
  async connectAll(): Promise<void> {
    await Promise.all(
      this.registry.all().map((adapter) =>
        adapter.connect?.().catch((error: { code?: string }) => {
          this.logger.warn(
            { provider: adapter.id, code: error.code },
            'could not open the provider session ahead of use',
          );
        }),
      ),
    );
  }

  /** Readiness: probes every provider in parallel, bounded by `timeoutMs`. */
  async probeAll(timeoutMs: number): Promise<Record<string, ProviderHealth & { reachable: boolean }>> {
    const results = await Promise.all(
      this.registry.all().map(async (adapter) => {
        const reachable = await adapter.probe(AbortSignal.timeout(timeoutMs)).then(
          () => true,
          () => false,
        );
        return [adapter.id, { ...adapter.health(), reachable }] as const;
      }),
    );
    return Object.fromEntries(results);
  }
}
