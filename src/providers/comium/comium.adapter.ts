import type { CustomerField } from '../../domain/device';
import { fetchAllPages } from '../http/pagination';
import type { Logger } from 'pino';
import type { Money } from '../../domain/money';
import type { CatalogPlan, PlanNetwork } from '../../domain/plan';
import type { ProviderHealth } from '../../domain/provider';
import type {
  BatchLimits,
  CatalogFeature,
  MoneyCalls,
  ProfileRef,
  ProviderAdapter,
  Supports,
  UpstreamOrder,
  UpstreamOrderRef,
  UpstreamOrderRequest,
  UpstreamProfile,
  UpstreamUsage,
} from '../provider-adapter';
import { ProviderNotes } from '../kit/notes';
import { unexpected, type ComiumClient } from './comium.client';
import {
  COMIUM_CATEGORIES,
  isRecord,
  toCatalogPlan,
  toPlanNetwork,
  type BundleContext,
  type MapOutcome,
} from './comium.mapper';
import { toProfileFromConsumption, toUpstreamUsage } from './comium.order-mapper';
import { ComiumOrdering, warnUnknownStatus } from './comium.ordering';
import { ComiumOrdersClient } from './comium.orders';
import type { ComiumBundleCategory, ComiumBundlePage, ComiumProfileType } from './comium.types';

/** ASSUMED largest page Comium serves; one catalog read is then a handful of pages. */
const PAGE_SIZE = 100;

/**
 * Comium (seed 002) behind the gateway's port. No cancel, suspend, resume, revoke, SMS or webhook
 * endpoint is documented, so top-ups are its only group. One bundle per sale (`POST /Bundle`) and
 * one profile per consumption read (`GET /Profile/Consumption?iccid=`) make both batch limits 1.
 */
export class ComiumAdapter implements ProviderAdapter {
  readonly id = 'comium' as const;
  readonly name = 'Comium';
  readonly supports: Supports = {
    TOP_UP: {
      list: (target, signal) => this.listTopUps(target, signal),
      buy: (request, signal) => this.ordering.topUp(request, signal),
      find: (request, signal) => this.ordering.findTopUp(request, signal),
    },
  };
  /** No idempotency key: `order_reference` is only "your unique reference" (README "Money-moving calls"). */
  readonly moneyCalls: MoneyCalls = {
    order: { resend: false, lookup: 'GET /Orders?order_reference=' },
    topUp: { resend: false, lookup: 'GET /Orders?order_reference=' },
  };
  /** GLOBAL_ESIM bundles, listed when the reseller's flag is on (`listPlans`). */
  readonly features: ReadonlySet<CatalogFeature> = new Set<CatalogFeature>(['GLOBAL_ESIM']);
  readonly batchLimits: BatchLimits = { usage: 1, planLookup: 100, orderQuantity: 1 };
  /** The provider e-mails the eSIM to the customer: its order call requires both (its document). */
  readonly customerFields: readonly CustomerField[] = ['EMAIL', 'NAME'];
  private readonly orders: ComiumOrdersClient;
  private readonly ordering: ComiumOrdering;
  private readonly notes: ProviderNotes;

  constructor(
    private readonly client: ComiumClient,
    private readonly logger: Logger,
  ) {
    this.notes = new ProviderNotes(logger, this.id);
    this.orders = new ComiumOrdersClient(client);
    this.ordering = new ComiumOrdering(this.orders, logger, this.notes);
  }

  /**
   * Bundle items carry no coverage (seed 002: `bundle_category` and `country_code` are request
   * filters), so the catalog is read once per documented `bundle_category` and each item takes the
   * category it was listed under. Without profile_type Comium lists Standard bundles only ("Adoption
   * options"), and asking for GLOBAL_ESIM while the reseller flag is off is a 400: read the flag
   * from login.
   */
  async listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    const session = await this.client.session(signal);
    const types: ComiumProfileType[] = session.globalEsimEnabled ? ['STANDARD', 'GLOBAL_ESIM'] : ['STANDARD'];
    const asks = types.flatMap((profileType) => COMIUM_CATEGORIES.map((category) => ({ profileType, category })));
    const lists = await Promise.all(
      asks.map(async (ask) => ({
        category: ask.category,
        items: await this.allBundles(ask.profileType, ask.category, signal),
      })),
    );
    return this.normalize(
      lists.flatMap(({ category, items }) => items.map((item) => ({ item, context: { category } }))),
    );
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
          else this.notes.skipped('network', code, outcome.reason);
        }
        return networks;
      }),
    );
  }

  /** Comium documents no balance endpoint (the wallet balance only comes back from POST /Bundle). */
  async getBalance(): Promise<Money | null> {
    return null;
  }

  placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    return this.ordering.placeOrder(request, signal);
  }

  getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    return this.ordering.getOrder(ref, signal);
  }

  /** One `GET /Profile/Consumption?iccid=` per profile (Comium's handle is the ICCID). */
  async getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]> {
    const profiles = await this.consumptions(refs, (raw, ref) => toProfileFromConsumption(raw, ref.iccid), signal);
    for (const profile of profiles) if (profile) warnUnknownStatus(this.notes, profile);
    return profiles;
  }

  /** The same read: usage is the sum over the profile's bundles (the sale and each top-up). */
  getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]> {
    return this.consumptions(refs, (raw) => toUpstreamUsage(raw, new Date(), this.notes), signal);
  }

  /**
   * `GET /v2/Bundles/Topup?iccid=`: every page. Its items are read as `/Bundles` items (the
   * document gives no fields) and, listed without a category filter, take their coverage from the
   * catalog's plan of the same code (read alongside).
   */
  private async listTopUps(ref: ProfileRef, signal?: AbortSignal): Promise<CatalogPlan[]> {
    const [pages, catalog] = await Promise.all([
      this.allPages((page) => this.orders.topUpBundles(ref.iccid, page, signal), 'topups'),
      this.listPlans(signal),
    ]);
    const known = new Map(catalog.map((plan) => [plan.code, plan]));
    return this.normalize(
      pages
        .flatMap((page) => page.data)
        .map((item) => ({
          item,
          context: { known: isRecord(item) ? known.get(String(item.bundle_code)) : undefined },
        })),
    );
  }

  health(): ProviderHealth {
    return this.client.health();
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.bundles({ page_number: 1, page_size: 1 }, signal);
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.client.session(signal);
  }

  async dispose(): Promise<void> {
    this.client.dispose();
  }

  private async allBundles(
    profileType: ComiumProfileType,
    category: ComiumBundleCategory,
    signal?: AbortSignal,
  ): Promise<unknown[]> {
    const pages = await this.allPages(
      (page) => this.client.bundles({ ...page, profile_type: profileType, bundle_category: category }, signal),
      `${profileType}/${category}`,
    );
    return pages.flatMap((page) => page.data);
  }

  /** Page 1 tells the total; the remaining pages go out together (two sequential waves at most). */
  private allPages(
    fetch: (page: { page_number: number; page_size: number }) => Promise<ComiumBundlePage>,
    list: string,
  ): Promise<ComiumBundlePage[]> {
    return fetchAllPages(
      (page) => fetch({ page_number: page, page_size: PAGE_SIZE }),
      (first) => Math.ceil(first.total_count / PAGE_SIZE),
      (pages) =>
        this.logger.warn(
          { provider: this.id, list, pages },
          'bundle list larger than expected; reading the first pages only',
        ),
    );
  }

  /** Consumption reads in parallel (paced by the client): null for "Profile not found". */
  private consumptions<T>(
    refs: readonly ProfileRef[],
    map: (raw: unknown, ref: ProfileRef) => MapOutcome<T>,
    signal?: AbortSignal,
  ): Promise<(T | null)[]> {
    return Promise.all(
      refs.map(async (ref) => {
        const raw = await this.orders.consumption(ref.iccid, signal);
        if (raw === null) return null;
        const outcome = map(raw, ref);
        if (outcome.ok) return outcome.value;
        this.logger.warn(
          { provider: this.id, iccid: ref.iccid, reason: outcome.reason },
          'consumption the mapper cannot read',
        );
        throw unexpected('profile/consumption');
      }),
    );
  }

  /** The first listing of a code wins (a bundle listed under two categories is one plan). */
  private normalize(items: readonly { item: unknown; context: BundleContext }[]): CatalogPlan[] {
    const plans = new Map<string, CatalogPlan>();
    for (const { item, context } of items) {
      const outcome = toCatalogPlan(item, context, this.notes);
      if (!outcome.ok) this.notes.skipped('bundle', outcome.code, outcome.reason);
      else if (!plans.has(outcome.value.code)) plans.set(outcome.value.code, outcome.value);
    }
    return [...plans.values()];
  }
}
