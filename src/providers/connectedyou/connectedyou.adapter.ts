import type { CustomerField } from '../../domain/device';
import { fetchAllPages } from '../http/pagination';
import type { Logger } from 'pino';
import type { Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
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
  UpstreamTopUp,
  UpstreamTopUpRequest,
  UpstreamUsage,
  WebhookSupport,
} from '../provider-adapter';
import { CONNECTEDYOU_ID, type ConnectedYouClient } from './connectedyou.client';
import { cyUnexpectedShape } from './connectedyou.errors';
import { mapBalance, mapProduct } from './connectedyou.mapper';
import { mapEsim, mapOrder, mapTopUp, mapUsage, type Mapped, type OrderMapping } from './connectedyou.order-mapper';
import type { CyOrderRequest } from './connectedyou.types';
import { createCyWebhooks } from './connectedyou.webhooks';
import { ProviderNotes } from '../kit/notes';

/** The seed's default (and our assumed maximum) page size. */
const PAGE_SIZE = 100;
/** Up to this many codes are looked up one GET each; more read the whole catalog (2–3 pages) instead. */
const DIRECT_LOOKUP_MAX = 5;
const PRODUCT_ID = /^\d{1,18}$/;

export class ConnectedYouAdapter implements ProviderAdapter {
  readonly id = CONNECTEDYOU_ID;
  readonly name = 'ConnectedYou';
  /** Top-ups and outbound events; no document mentions cancel, suspend, resume, revoke or SMS. */
  readonly supports: Supports;
  /** Seed 000: "API endpoints which affect Ordering eSIMs or Topups require Idempotency keys" (`idempotent_key`). */
  readonly moneyCalls: MoneyCalls = {
    order: { resend: true, key: 'idempotent_key' },
    topUp: { resend: true, key: 'idempotent_key' },
  };
  readonly features: ReadonlySet<CatalogFeature> = new Set<CatalogFeature>();
  // Usage is read per ICCID; the reseller portal orders at most 10 eSIMs at a time (GitBook).
  readonly batchLimits: BatchLimits = { usage: 1, planLookup: 100, orderQuantity: 10 };
  readonly customerFields: readonly CustomerField[] = [];

  constructor(
    private readonly client: ConnectedYouClient,
    private readonly logger: Logger,
    /** Outbound events; `register` only against the sandbox (the real portal is filled in by hand). */
    webhooks: WebhookSupport = createCyWebhooks(null),
    /** Said once per field or word: REST bodies are undocumented, so every field may be absent. */
    private readonly notes: ProviderNotes = new ProviderNotes(logger, CONNECTEDYOU_ID),
  ) {
    this.supports = {
      TOP_UP: {
        list: (target, signal) => this.listTopUps(target, signal),
        buy: (request, signal) => this.topUp(request, signal),
      },
      WEBHOOKS: webhooks,
    };
  }

  async listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    // Step by what the first page held, in case the provider caps `limit` below what we asked.
    let step = PAGE_SIZE;
    const pages = await fetchAllPages(
      (page) => this.client.listProducts(step, (page - 1) * step, signal),
      (first) => {
        step = first.products.length;
        return step > 0 ? Math.ceil(first.total / step) : 1;
      },
      (count) =>
        this.logger.warn(
          { provider: this.id, pages: count },
          'catalog larger than expected; reading the first pages only',
        ),
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
      throw cyUnexpectedShape(this.id);
    }
    return mapped.balance;
  }

  health(): ProviderHealth {
    return this.client.health();
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.getAccount(signal);
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async dispose(): Promise<void> {
    this.client.dispose();
  }

  /** Idempotent under `idempotent_key` = our reference: a repeat answers the first order, never a second one. */
  async placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    const email = request.customer?.email ?? undefined;
    const name = request.customer?.name ?? undefined;
    const body: CyOrderRequest = {
      product_id: request.planCode,
      quantity: request.quantity,
      reference: request.reference,
      ...(email || name ? { customer: { ...(email ? { email } : {}), ...(name ? { name } : {}) } } : {}),
    };
    return this.toOrder(await this.client.orders.createOrder(request.reference, body, signal)).order;
  }

  /** By order id once known, else by the exact-match `reference` filter of the order list. */
  async getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    const { orders } = this.client;
    const raw =
      ref.providerOrderId === null
        ? await orders.findOrder(ref.reference, signal)
        : await orders.getOrder(ref.providerOrderId, signal);
    if (raw === null) return null;
    const { order, reference } = this.toOrder(raw);
    // No reference in the answer: the order is the one we asked for (by its id or our reference filter).
    if (reference !== null && reference !== ref.reference) {
      // Another caller's order under our id would be a provider bug; never adopt it.
      this.logger.warn(
        { provider: this.id, providerOrderId: order.providerOrderId },
        'order answered for another reference',
      );
      return null;
    }
    return order;
  }

  async getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]> {
    const found = await this.perIccid(refs, (iccid) => this.client.orders.getEsim(iccid, signal));
    return refs.map((ref) => {
      const raw = found.get(ref.iccid);
      return raw === null || raw === undefined ? null : this.mapped(mapEsim(raw, this.notes, ref.iccid), 'eSIM');
    });
  }

  /** One GET per ICCID: ConnectedYou reads usage one eSIM at a time. */
  async getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]> {
    const found = await this.perIccid(refs, (iccid) => this.client.orders.getUsage(iccid, signal));
    return refs.map((ref) => {
      const raw = found.get(ref.iccid);
      return raw === null || raw === undefined ? null : this.mapped(mapUsage(raw, this.notes), 'usage');
    });
  }

  /** Products with `topup_available` that fit this eSIM now; there is no separate top-up catalog. */
  private async listTopUps(ref: ProfileRef, signal?: AbortSignal): Promise<CatalogPlan[]> {
    const page = await this.client.orders.listTopUps(ref.iccid, PAGE_SIZE, signal);
    if (page.total > page.products.length)
      this.logger.warn(
        { provider: this.id, total: page.total },
        'more top-up products than one page; reading the first only',
      );
    return page.products.map((raw) => this.toPlan(raw)).filter((plan): plan is CatalogPlan => plan !== null);
  }

  /** Idempotent under `idempotent_key` = our top-up reference. */
  private async topUp(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp> {
    return this.mapped(
      mapTopUp(
        await this.client.orders.createTopUp(request.reference, request.profile.iccid, request.planCode, signal),
        request.reference,
        this.notes,
      ),
      'top-up',
    );
  }

  private toOrder(raw: unknown): OrderMapping {
    const mapped = this.mapped(mapOrder(raw, this.notes), 'order');
    if (mapped.unknownStatus !== null)
      this.notes.unknownWord('order status', mapped.unknownStatus, 'PROCESSING', {
        providerOrderId: mapped.order.providerOrderId,
      });
    return mapped;
  }

  /** A 2xx body the mapper cannot read is logged and treated as an unavailable provider, never guessed. */
  private mapped<T>(result: Mapped<T>, what: string): T {
    if (result.ok) return result.value;
    this.logger.warn({ provider: this.id, issue: result.issue }, `${what} could not be read`);
    throw cyUnexpectedShape(this.id);
  }

  /** Reads each distinct ICCID once, in parallel (the client paces them under the rate limit). */
  private async perIccid(
    refs: readonly ProfileRef[],
    read: (iccid: string) => Promise<unknown | null>,
  ): Promise<Map<string, unknown | null>> {
    const iccids = [...new Set(refs.map((r) => r.iccid))];
    const answers = await Promise.all(iccids.map(read));
    return new Map(iccids.map((iccid, i) => [iccid, answers[i]]));
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
