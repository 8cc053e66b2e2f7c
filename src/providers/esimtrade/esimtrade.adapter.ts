import type { CustomerField } from '../../domain/device';
import type { Logger } from 'pino';
import { ProviderRejectedError, ProviderUnavailableError } from '../../domain/errors';
import { compareDecimal, type Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import type { ProviderHealth } from '../../domain/provider';
import { fetchAllPages, MAX_PAGES } from '../http/pagination';
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
} from '../provider-adapter';
import { ESIMTRADE_ID, type EsimTradeClient } from './esimtrade.client';
import { unreadable } from './esimtrade.envelope';
import { isRecord, mapBalance, mapPlans } from './esimtrade.mapper';
import { ProviderNotes } from '../kit/notes';
import { mapOrder, mapOrderSummary, mapProfile, mapTopUp, mapUsage, type MappedOrder } from './esimtrade.order-mapper';
import type { EsimTradeOrderBody } from './esimtrade.types';
import { createEsimTradeWebhooks } from './esimtrade.webhooks';

/** Largest page `GET /portal/plans` and `GET /reseller/orders` serve (assumed limit max 100). */
const PAGE_LIMIT = 100;
/** Batches above this many distinct slugs read the whole catalog (a few pages) instead of one call per slug. */
export const SLUG_LOOKUP_MAX = 5;

export class EsimTradeAdapter implements ProviderAdapter {
  readonly id = ESIMTRADE_ID;
  readonly name = 'eSIMTrade';
  /** No cancel, suspend, resume, revoke or SMS endpoint is listed (README), so none is declared. Set up in the constructor. */
  readonly supports: Supports;
  /** Seed 004 names no idempotency key: money-moving calls are never sent again (README "Money-moving calls"). */
  readonly moneyCalls: MoneyCalls = {
    order: { resend: false, lookup: 'GET /reseller/orders?q=<reference>, then GET /portal/orders?order_number=' },
    topUp: { resend: false, lookup: null },
  };
  readonly features: ReadonlySet<CatalogFeature> = new Set<CatalogFeature>();
  /** Usage: one ICCID per `/reseller/esims` call. Orders: `POST /portal/order` takes `quantity` 1..10 (assumed). */
  readonly batchLimits: BatchLimits = { usage: 1, planLookup: 100, orderQuantity: 10 };
  readonly customerFields: readonly CustomerField[] = [];

  /** Said once per field or word: eSIMTrade documents no body, so every field may be absent. */
  private readonly notes: ProviderNotes;

  constructor(
    private readonly client: EsimTradeClient,
    private readonly logger: Logger,
  ) {
    this.supports = {
      TOP_UP: {
        list: (target, signal) => this.listTopUps(target, signal),
        buy: (request, signal) => this.topUp(request, signal),
      },
      // `PATCH /reseller/webhook`, HMAC-signed deliveries (esimtrade.webhooks.ts, README "Webhooks").
      WEBHOOKS: createEsimTradeWebhooks(client),
    };
    this.notes = new ProviderNotes(logger, ESIMTRADE_ID);
  }

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
        : this.normalize(
            (await Promise.all(wanted.map((slug) => this.client.getPlan(slug, signal)))).filter((raw) => raw !== null),
          );
    const byCode = new Map(found.map((plan) => [plan.code, plan]));
    return codes.map((code) => byCode.get(code) ?? null);
  }

  /** null (not known) when the answer carries no readable balance: it is an assumed body. */
  async getBalance(signal?: AbortSignal): Promise<Money | null> {
    const balance = mapBalance(await this.client.getBalance(signal));
    if (!balance) this.notes.missingField('balance.balance/currency', 'balance not known (null)');
    return balance;
  }

  // ---- Ordering ----

  /**
   * `POST /portal/order`, sent once: seed 004 says only "idempotency support" and names no key, so
   * the `Idempotency-Key: <reference>` header is harmless but never relied on and the client does
   * not retry. A timeout, reset or 5xx rejects as unavailable and is settled by `getOrder` (the
   * documented `/reseller/orders` and `/portal/orders` reads), never by sending again. A
   * DUPLICATE_REFERENCE refusal (ASSUMED) answers the order that holds the reference.
   */
  async placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    const { reference, planCode, quantity, customer } = request;
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > this.batchLimits.orderQuantity) {
      throw new ProviderRejectedError(
        this.id,
        'INVALID_PARAMETER',
        `quantity must be 1 to ${this.batchLimits.orderQuantity}`,
      );
    }
    const body: EsimTradeOrderBody = {
      slug: planCode,
      quantity,
      reference,
      ...(customer ? { customer: { email: customer.email ?? null, name: customer.name ?? null } } : {}),
    };
    let raw: unknown;
    try {
      raw = await this.client.orders.placeOrder(body, reference, signal);
    } catch (error) {
      if (!(error instanceof ProviderRejectedError && error.providerCode === 'DUPLICATE_REFERENCE')) throw error;
      const existing = await this.getOrder({ reference, providerOrderId: null, placedAt: new Date() }, signal);
      if (!existing) throw error;
      return existing;
    }
    const mapped = this.readOrder(raw, 'order/create', undefined, true);
    if (mapped === null) {
      // No order number in the answer: find the order under our reference (the documented order list).
      this.notes.missingField('order.order_number', 'looked up by our reference in GET /reseller/orders');
      const found = await this.getOrder({ reference, providerOrderId: null, placedAt: new Date() }, signal);
      if (!found) throw unreadable('order/create');
      return found;
    }
    const price = mapped.unitPrice;
    if (
      price &&
      (price.currency !== request.expectedUnitPrice.currency ||
        compareDecimal(price.amount, request.expectedUnitPrice.amount) !== 0)
    ) {
      // Prices are resolved server-side: the order stands, but reconciliation must hear of it.
      this.logger.warn(
        { provider: this.id, reference, charged: price, expected: request.expectedUnitPrice },
        'order charged another unit price than expected',
      );
    }
    return mapped.order;
  }

  /** By order number when known; else the `/reseller/orders?q=` text search, keeping exact reference matches only. */
  async getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    const orderNumber = ref.providerOrderId ?? (await this.findOrderNumber(ref.reference, signal));
    if (orderNumber === null) return null;
    const raw = await this.client.orders.getOrder(orderNumber, signal);
    if (raw === null) return null;
    const mapped = this.readOrder(raw, 'order/get', orderNumber)!;
    if (mapped.reference !== null && mapped.reference !== ref.reference) {
      this.logger.warn(
        { provider: this.id, orderNumber, reference: ref.reference },
        'order number belongs to another reference',
      );
      return null;
    }
    return mapped.order;
  }

  async getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]> {
    return (await this.esims(refs, signal)).map((raw, i) => {
      if (raw === null) return null;
      const profile = mapProfile(raw, this.notes, refs[i].iccid);
      if (!profile) throw unreadable('esim/get');
      this.warnUnknownWords([profile]);
      return profile;
    });
  }

  /** The same `GET /reseller/esims?iccid=` read as `getProfiles`: one ICCID per call (batch limit 1). */
  async getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]> {
    // No reading in the answer is "not known" (null), never a failed read.
    return (await this.esims(refs, signal)).map((raw) => (raw === null ? null : mapUsage(raw, this.notes)));
  }

  // ---- TOP_UP (served through `supports`) ----

  private async listTopUps(ref: ProfileRef, signal?: AbortSignal): Promise<CatalogPlan[]> {
    const raws = await this.client.orders.listTopUps(ref.iccid, signal);
    if (raws === null)
      throw new ProviderRejectedError(this.id, 'ESIM_NOT_FOUND', 'no eSIM with this ICCID belongs to the reseller');
    return this.normalize(raws);
  }

  /**
   * `POST /portal/topups`, sent once (the `Idempotency-Key` it carries is not relied on). No read
   * of a top-up by our reference is documented: an unclear outcome waits for a person.
   */
  private async topUp(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp> {
    const raw = await this.client.orders.buyTopUp(
      { iccid: request.profile.iccid, slug: request.planCode },
      request.reference,
      signal,
    );
    const mapped = mapTopUp(raw, request.reference, this.notes);
    if (!mapped) throw unreadable('topup/create');
    if (mapped.unknownStatus !== null) this.notes.unknownWord('top-up status', mapped.unknownStatus, 'PROCESSING');
    if (mapped.price && compareDecimal(mapped.price.amount, request.expectedPrice.amount) !== 0) {
      this.logger.warn(
        { provider: this.id, reference: request.reference, charged: mapped.price, expected: request.expectedPrice },
        'top-up charged another price than expected',
      );
    }
    return mapped.topUp;
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
    const { plans, skipped } = mapPlans(raws, this.notes);
    if (skipped.length > 0) {
      this.logger.warn(
        { provider: this.id, skipped: skipped.length, slugs: skipped.slice(0, 20) },
        'skipped plans that could not be normalized',
      );
    }
    return plans;
  }

  /** The order, or (with `orNull`) null when it names no order number and none was asked by. */
  private readOrder(raw: unknown, operation: string, askedOrderNumber?: string, orNull = false): MappedOrder | null {
    const mapped = mapOrder(raw, this.notes, askedOrderNumber);
    if (!mapped) {
      if (orNull && isRecord(raw)) return null;
      throw unreadable(operation);
    }
    if (mapped.unknownStatus !== null) this.notes.unknownWord('order status', mapped.unknownStatus, 'PROCESSING');
    this.warnUnknownWords(mapped.order.profiles);
    return mapped;
  }

  /** Never guessed: the word is said once and the profile carries status null (an absent word is said as a missing field). */
  private warnUnknownWords(profiles: readonly UpstreamProfile[]): void {
    for (const p of profiles)
      if (p.status === null && p.rawStatus !== '')
        this.notes.unknownWord('eSIM status', p.rawStatus, 'null (stored state kept)', { iccid: p.iccid });
  }

  /**
   * The order number holding `reference`, searching page by page (text matches may be many). Null
   * only when the pages read prove absence; a match that carries no `reference` (it may be ours)
   * or more than MAX_PAGES pages cannot, and rejects as unavailable: a wrong null could lead to a
   * second paid order.
   */
  private async findOrderNumber(reference: string, signal?: AbortSignal): Promise<string | null> {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { orders, meta } = await this.client.orders.searchOrders(reference, page, PAGE_LIMIT, signal);
      const summaries = orders.map(mapOrderSummary);
      const hit = summaries.find((summary) => summary?.reference === reference);
      if (hit) return hit.orderNumber;
      if (summaries.some((summary) => summary === null || summary.reference === null))
        throw inconclusive('a matching order carries no reference');
      if (page >= meta.pages) return null;
    }
    throw inconclusive(`more than ${MAX_PAGES} pages of matches`);
  }

  /** Raw eSIMs for `refs`, one call per distinct ICCID, in the order of `refs`. */
  private async esims(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<unknown[]> {
    const iccids = [...new Set(refs.map((ref) => ref.iccid))];
    const raws = await Promise.all(iccids.map((iccid) => this.client.orders.getEsim(iccid, signal)));
    const byIccid = new Map(iccids.map((iccid, i) => [iccid, raws[i]]));
    return refs.map((ref) => byIccid.get(ref.iccid) ?? null);
  }
}

/** A lookup whose answer cannot prove the order absent: outcome unknown, looked up again later. */
function inconclusive(why: string): ProviderUnavailableError {
  return new ProviderUnavailableError(
    ESIMTRADE_ID,
    'SERVER_ERROR',
    `Provider ${ESIMTRADE_ID}: an order lookup by our reference cannot tell (${why}).`,
  );
}
