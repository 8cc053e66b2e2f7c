import { fetchAllPages } from '../http/pagination';
import type { Logger } from 'pino';
import type { Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import type { ProviderCapability, ProviderHealth } from '../../domain/provider';
import type { BatchLimits, ProviderAdapter } from '../provider-adapter';
import type { EsimPlatformClient } from './esimplatform.client';
import { ESIMPLATFORM_ID } from './esimplatform.errors';
import { mapBalance, normalizePlan } from './esimplatform.mapper';
import type { RawPlan } from './esimplatform.types';

/** Up to this many codes, `getPlans` reads `GET /plans/:id` in parallel; above, one catalog read is cheaper. */
export const DIRECT_LOOKUP_MAX = 5;

/** The eSIM platform API ("eSIM API Documentation", seed 003) behind the gateway's port. */
export class EsimPlatformAdapter implements ProviderAdapter {
  readonly id = ESIMPLATFORM_ID;
  readonly name = 'eSIM Platform';
  readonly capabilities: ReadonlySet<ProviderCapability> = new Set<ProviderCapability>(['TOP_UP', 'SUSPEND', 'RESUME', 'REVOKE', 'SMS', 'USAGE', 'WEBHOOKS']);
  // "Check Usage for eSIMs" takes a list (size assumed); plans are looked up one id at a time.
  readonly batchLimits: BatchLimits = { usage: 10, planLookup: 100, orderQuantity: 10 };

  constructor(
    private readonly client: EsimPlatformClient,
    private readonly logger: Logger,
  ) {}

  /** Page 1 tells the page count; the other pages are fetched in parallel (two waves at most). */
  async listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    const pages = await fetchAllPages(
      (page) => this.client.listPlans(page, signal),
      (first) => first.pagination.total_pages,
      (count) => this.logger.warn({ provider: this.id, pages: count }, 'catalog larger than expected; reading the first pages only'),
    );
    const seen = new Set<string>();
    const plans: CatalogPlan[] = [];
    // Pages read in parallel may overlap if the catalog shifts between them; keep the first copy.
    for (const raw of pages.flatMap((page) => page.data)) {
      const plan = this.normalize(raw);
      if (plan && !seen.has(plan.code)) {
        seen.add(plan.code);
        plans.push(plan);
      }
    }
    return plans;
  }

  async getPlans(codes: readonly string[], signal?: AbortSignal): Promise<(CatalogPlan | null)[]> {
    const unique = [...new Set(codes)];
    if (unique.length === 0) return [];
    const byCode = new Map<string, CatalogPlan>();
    if (unique.length <= DIRECT_LOOKUP_MAX) {
      const raws = await Promise.all(unique.map((code) => this.client.getPlan(code, signal)));
      for (const raw of raws) {
        const plan = raw && this.normalize(raw);
        if (plan) byCode.set(plan.code, plan);
      }
    } else {
      for (const plan of await this.listPlans(signal)) byCode.set(plan.code, plan);
    }
    return codes.map((code) => byCode.get(code) ?? null);
  }

  async getBalance(signal?: AbortSignal): Promise<Money | null> {
    const raw = await this.client.getBalance(signal);
    const balance = mapBalance(raw);
    if (!balance) this.logger.warn({ provider: this.id, billingMode: raw.billing_mode }, 'balance response could not be normalized');
    return balance;
  }

  /** The client's view, DOWN while logins are paused because our credentials were refused. */
  health(): ProviderHealth {
    const health = this.client.health();
    if (!this.client.tokens.credentialsRefused()) return health;
    return { ...health, status: 'DOWN', lastError: `Provider ${this.id} is unavailable (auth).` };
  }

  /** The cheapest authenticated read. */
  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.getBalance(signal);
  }

  /** Token renewal is lazy and the client holds no timers, so there is nothing to release. */
  async dispose(): Promise<void> {}

  private normalize(raw: RawPlan): CatalogPlan | null {
    const outcome = normalizePlan(raw);
    if ('plan' in outcome) return outcome.plan;
    this.logger.warn({ provider: this.id, planId: typeof raw?.id === 'string' ? raw.id : null, reason: outcome.skipped }, 'skipped a plan it cannot normalize');
    return null;
  }
}
