import { fetchAllPages } from '../http/pagination';
import type { Logger } from 'pino';
import { ProviderUnavailableError } from '../../domain/errors';
import type { Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import type { ProviderCapability, ProviderHealth } from '../../domain/provider';
import type { BatchLimits, ProviderAdapter } from '../provider-adapter';
import { CONNECTEDYOU_ID, type ConnectedYouClient } from './connectedyou.client';
import { mapBalance, mapProduct } from './connectedyou.mapper';

/** The seed's default (and our assumed maximum) page size. */
const PAGE_SIZE = 100;
/** Up to this many codes are looked up one GET each; more read the whole catalog (2–3 pages) instead. */
const DIRECT_LOOKUP_MAX = 5;
const PRODUCT_ID = /^\d{1,18}$/;

export class ConnectedYouAdapter implements ProviderAdapter {
  readonly id = CONNECTEDYOU_ID;
  readonly name = 'ConnectedYou';
  readonly capabilities: ReadonlySet<ProviderCapability> = new Set<ProviderCapability>(['TOP_UP', 'USAGE', 'WEBHOOKS']);
  // Usage is read per ICCID; the reseller portal orders at most 10 eSIMs at a time (GitBook).
  readonly batchLimits: BatchLimits = { usage: 1, planLookup: 100, orderQuantity: 10 };

  constructor(
    private readonly client: ConnectedYouClient,
    private readonly logger: Logger,
  ) {}

  async listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    // Step by what the first page held, in case the provider caps `limit` below what we asked.
    let step = PAGE_SIZE;
    const pages = await fetchAllPages(
      (page) => this.client.listProducts(step, (page - 1) * step, signal),
      (first) => {
        step = first.products.length;
        return step > 0 ? Math.ceil(first.total / step) : 1;
      },
      (count) => this.logger.warn({ provider: this.id, pages: count }, 'catalog larger than expected; reading the first pages only'),
    );
    const byCode = new Map<string, CatalogPlan>();
    for (const raw of pages.flatMap((page) => page.products)) {
      const plan = this.toPlan(raw);
      if (plan) byCode.set(plan.code, plan);
    }
    return [...byCode.values()];
  }

  async getPlans(codes: readonly string[], signal?: AbortSignal): Promise<(CatalogPlan | null)[]> {
    const unique = [...new Set(codes)].filter((code) => PRODUCT_ID.test(code));
    const found = new Map<string, CatalogPlan | null>();
    if (unique.length > DIRECT_LOOKUP_MAX) {
      for (const plan of await this.listPlans(signal)) found.set(plan.code, plan);
    } else {
      const raws = await Promise.all(unique.map((code) => this.client.getProduct(code, signal)));
      unique.forEach((code, i) => found.set(code, raws[i] === null ? null : this.toPlan(raws[i])));
    }
    return codes.map((code) => found.get(code) ?? null);
  }

  async getBalance(signal?: AbortSignal): Promise<Money | null> {
    const mapped = mapBalance(await this.client.getAccount(signal));
    if (mapped.balance === undefined) {
      this.logger.warn({ provider: this.id, issue: mapped.issue }, 'reseller account could not be read');
      throw new ProviderUnavailableError(this.id, 'SERVER_ERROR', 'Provider connectedyou answered with an unexpected response shape.');
    }
    return mapped.balance;
  }

  health(): ProviderHealth {
    return this.client.health();
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.getAccount(signal);
  }

  async dispose(): Promise<void> {
    this.client.dispose();
  }

  private toPlan(raw: unknown): CatalogPlan | null {
    const mapped = mapProduct(raw);
    if (mapped.plan) return mapped.plan;
    // Retired products are expected; anything else is a catalog entry we refuse to guess about.
    const level = mapped.skipped === 'INACTIVE' ? 'debug' : 'warn';
    this.logger[level]({ provider: this.id, productId: mapped.productId, issue: mapped.issue }, 'product skipped');
    return null;
  }
}
