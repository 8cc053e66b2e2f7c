import { fetchAllPages } from '../http/pagination';
import type { Logger } from 'pino';
import type { Money } from '../../domain/money';
import type { CatalogPlan, PlanNetwork } from '../../domain/plan';
import type { ProviderCapability, ProviderHealth } from '../../domain/provider';
import type { BatchLimits, ProviderAdapter } from '../provider-adapter';
import type { ComiumClient } from './comium.client';
import { toCatalogPlan, toPlanNetwork } from './comium.mapper';
import type { ComiumProfileType } from './comium.types';

/** ASSUMED largest page Comium serves; one catalog read is then a handful of pages. */
const PAGE_SIZE = 100;

/** Comium (seed 002) behind the gateway's port. */
export class ComiumAdapter implements ProviderAdapter {
  readonly id = 'comium' as const;
  readonly name = 'Comium';
  readonly capabilities: ReadonlySet<ProviderCapability> = new Set<ProviderCapability>(['TOP_UP', 'USAGE', 'GLOBAL_ESIM']);
  readonly batchLimits: BatchLimits = { usage: 1, planLookup: 100, orderQuantity: 1 };

  constructor(
    private readonly client: ComiumClient,
    private readonly logger: Logger,
  ) {}

  async listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    // Without profile_type Comium lists Standard bundles only (seed 002, "Adoption options"), and
    // asking for GLOBAL_ESIM while the reseller flag is off is a 400: read the flag from login.
    const session = await this.client.session(signal);
    const types: ComiumProfileType[] = session.globalEsimEnabled ? ['STANDARD', 'GLOBAL_ESIM'] : ['STANDARD'];
    const pages = await Promise.all(types.map((profileType) => this.allBundles(profileType, signal)));
    return this.normalize(pages.flat());
  }

  /** No lookup-by-code endpoint is documented: one catalog read serves the whole batch. */
  async getPlans(codes: readonly string[], signal?: AbortSignal): Promise<(CatalogPlan | null)[]> {
    if (codes.length === 0) return [];
    const byCode = new Map((await this.listPlans(signal)).map((plan) => [plan.code, plan]));
    return codes.map((code) => byCode.get(code) ?? null);
  }

  /** One `GET /Bundles/Networks` per code, in parallel (paced by the client's rate limiter). */
  getNetworks(codes: readonly string[], signal?: AbortSignal): Promise<PlanNetwork[][]> {
    return Promise.all(
      codes.map(async (code) => {
        const items = (await this.client.networks(code, signal)) ?? [];
        const networks: PlanNetwork[] = [];
        for (const item of items) {
          const outcome = toPlanNetwork(item);
          if (outcome.ok) networks.push(outcome.value);
          else this.logger.warn({ provider: this.id, code, reason: outcome.reason }, 'skipped a network the mapper cannot normalize');
        }
        return networks;
      }),
    );
  }

  /**
   * Comium has no balance read (the wallet balance only comes back from `POST /Bundle`), so this
   * is null. It still makes the probe's authenticated call, so a caller learns whether the
   * provider is reachable and accepts our credentials, as with every other provider.
   */
  /** Comium documents no balance endpoint (the wallet balance only comes back from POST /Bundle). */
  async getBalance(): Promise<Money | null> {
    return null;
  }

  health(): ProviderHealth {
    return this.client.health();
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.bundles({ page_number: 1, page_size: 1 }, signal);
  }

  async dispose(): Promise<void> {
    this.client.dispose();
  }

  /** Page 1 tells the total; the remaining pages go out together (two sequential waves at most). */
  private async allBundles(profileType: ComiumProfileType, signal?: AbortSignal): Promise<unknown[]> {
    const pages = await fetchAllPages(
      (page) => this.client.bundles({ page_number: page, page_size: PAGE_SIZE, profile_type: profileType }, signal),
      (first) => Math.ceil(first.total_count / PAGE_SIZE),
      (pages) => this.logger.warn({ provider: this.id, profileType, pages }, 'catalog larger than expected; reading the first pages only'),
    );
    return pages.flatMap((page) => page.data);
  }

  private normalize(items: readonly unknown[]): CatalogPlan[] {
    const plans = new Map<string, CatalogPlan>();
    for (const item of items) {
      const outcome = toCatalogPlan(item);
      if (!outcome.ok) this.logger.warn({ provider: this.id, code: outcome.code, reason: outcome.reason }, 'skipped a bundle the mapper cannot normalize');
      else if (!plans.has(outcome.value.code)) plans.set(outcome.value.code, outcome.value);
    }
    return [...plans.values()];
  }
}
