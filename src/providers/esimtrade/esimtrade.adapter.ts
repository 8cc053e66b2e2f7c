import { fetchAllPages } from '../http/pagination';
import type { Logger } from 'pino';
import { ProviderUnavailableError } from '../../domain/errors';
import type { Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import type { ProviderCapability, ProviderHealth } from '../../domain/provider';
import type { BatchLimits, ProviderAdapter } from '../provider-adapter';
import { ESIMTRADE_ID, type EsimTradeClient } from './esimtrade.client';
import { mapBalance, mapPlans } from './esimtrade.mapper';

/** Largest page `GET /portal/plans` serves (assumed limit max 100). */
const PAGE_LIMIT = 100;
/** Batches above this many distinct slugs read the whole catalog (a few pages) instead of one call per slug. */
export const SLUG_LOOKUP_MAX = 5;

export class EsimTradeAdapter implements ProviderAdapter {
  readonly id = ESIMTRADE_ID;
  readonly name = 'eSIMTrade';
  readonly capabilities: ReadonlySet<ProviderCapability> = new Set<ProviderCapability>(['TOP_UP', 'USAGE', 'WEBHOOKS']);
  readonly batchLimits: BatchLimits = { usage: 1, planLookup: 100, orderQuantity: 1 };

  constructor(
    private readonly client: EsimTradeClient,
    private readonly logger: Logger,
  ) {}

  async listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    const pages = await fetchAllPages(
      (page) => this.client.listPlans(page, PAGE_LIMIT, signal),
      (first) => first.meta.pages,
      (count) => this.logger.warn({ provider: this.id, pages: count }, 'catalog truncated to the page guard'),
    );
    const plans = this.normalize(pages.flatMap((page) => page.plans));
    // A plan moving between pages while we read would appear twice; keep its first sighting.
    const byCode = new Map<string, CatalogPlan>();
    for (const plan of plans) if (!byCode.has(plan.code)) byCode.set(plan.code, plan);
    return [...byCode.values()];
  }

  async getPlans(codes: readonly string[], signal?: AbortSignal): Promise<(CatalogPlan | null)[]> {
    const wanted = [...new Set(codes.filter((code) => code.length > 0))];
    if (wanted.length === 0) return codes.map(() => null);
    const found =
      wanted.length > SLUG_LOOKUP_MAX
        ? await this.listPlans(signal)
        : this.normalize((await Promise.all(wanted.map((slug) => this.client.getPlan(slug, signal)))).filter((raw) => raw !== null));
    const byCode = new Map(found.map((plan) => [plan.code, plan]));
    return codes.map((code) => byCode.get(code) ?? null);
  }

  async getBalance(signal?: AbortSignal): Promise<Money> {
    const balance = mapBalance(await this.client.getBalance(signal));
    if (!balance) throw new ProviderUnavailableError(this.id, 'SERVER_ERROR', `Provider ${this.id} answered balance with an unreadable amount.`);
    return balance;
  }

  health(): ProviderHealth {
    return this.client.health();
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.getBalance(signal);
  }

  async dispose(): Promise<void> {
    // Static credentials: no token refresher or other timer to stop.
  }

  private normalize(raws: readonly unknown[]): CatalogPlan[] {
    const { plans, skipped } = mapPlans(raws);
    if (skipped.length > 0) {
      this.logger.warn({ provider: this.id, skipped: skipped.length, slugs: skipped.slice(0, 20) }, 'skipped plans that could not be normalized');
    }
    return plans;
  }
}
