import type { Logger } from 'pino';
import type { CustomerField } from '../../domain/device';
import { ProviderError } from '../../domain/errors';
import { compareDecimal, decimalFromUpstream, type Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import type { ProviderHealth } from '../../domain/provider';
import { fetchAllPages } from '../http/pagination';
import { ProviderNotes } from '../kit/notes';
import type {
  BatchLimits,
  CatalogFeature,
  MoneyCalls,
  ProfileRef,
  ProviderAdapter,
  Supports,
  TopUpTarget,
  UpstreamOrder,
  UpstreamOrderRef,
  UpstreamOrderRequest,
  UpstreamProfile,
  UpstreamTopUp,
  UpstreamTopUpRequest,
  UpstreamUsage,
} from '../provider-adapter';
import type { EsimPlatformClient } from './esimplatform.client';
import { ESIMPLATFORM_ID, isRefusal } from './esimplatform.errors';
import { mapBalance, normalizePlan } from './esimplatform.mapper';
import {
  mapOrder,
  mapProfile,
  mapProfileUsage,
  mapTopUpAnswer,
  mapTopUpOption,
  orderProfileOf,
  orderRequestOf,
  orderWordOf,
} from './esimplatform.order-mapper';
import type { RawOrder, RawProfile, RawTopUpOptions } from './esimplatform.order-types';
import type { RawPlan } from './esimplatform.types';
import { createEsimPlatformWebhooks } from './esimplatform.webhooks';

/** Up to this many codes, `getPlans` reads `GET /plans/:id` in parallel; above, one catalog read is cheaper. */
export const DIRECT_LOOKUP_MAX = 5;
/** ICCID → ordered plan entries kept for the coverage of top-ups (a few hundred KB at most). */
const REMEMBERED_PLANS_MAX = 10_000;

/** The eSIM platform API ("eSIM API Documentation", seed 003) behind the gateway's port. */
export class EsimPlatformAdapter implements ProviderAdapter {
  readonly id = ESIMPLATFORM_ID;
  readonly name = 'eSIM Platform';
  /** No cancel endpoint is documented; the profile actions are `POST /esims/:iccid/<action>`. Set up in the constructor. */
  readonly supports: Supports;
  /** Seed 003 names no idempotency key: money-moving calls are never sent again (README "Money-moving calls"). */
  readonly moneyCalls: MoneyCalls = {
    order: { resend: false, lookup: "List User's Orders (GET /orders, our reference ASSUMED as filter and field)" },
    topUp: { resend: false, lookup: null },
  };
  readonly features: ReadonlySet<CatalogFeature> = new Set<CatalogFeature>();
  // Usage: the documented read is "Get Profile Usage", one profile per call ("Check Usage for
  // eSIMs" takes a list but its answer is not documented). Orders: the documented answer names
  // one eSIM (`iccid`, `qr_code_url`), so one eSIM per order call. Plans are looked up by id.
  readonly batchLimits: BatchLimits = { usage: 1, planLookup: 100, orderQuantity: 1 };
  /** The provider e-mails the eSIM to the customer: its order call requires both (its document). */
  readonly customerFields: readonly CustomerField[] = ['EMAIL', 'NAME'];
  private readonly notes: ProviderNotes;
  /** ICCID → the plan we ordered for it (documented order fields), for the coverage of its top-ups. */
  private readonly orderedPlans = new Map<string, string>();

  constructor(
    private readonly client: EsimPlatformClient,
    private readonly logger: Logger,
  ) {
    this.notes = new ProviderNotes(logger, ESIMPLATFORM_ID);
    this.supports = {
      TOP_UP: {
        list: (target, signal) => this.listTopUps(target, signal),
        buy: (request, signal) => this.topUp(request, signal),
      },
      SUSPEND: (ref, signal) => this.client.orders.act(ref.iccid, 'suspend', signal),
      RESUME: (ref, signal) => this.client.orders.act(ref.iccid, 'unsuspend', signal),
      REVOKE: (ref, signal) => this.client.orders.act(ref.iccid, 'revoke', signal),
      SMS: { send: (ref, message, signal) => this.client.orders.sendSms(ref.iccid, message, signal) },
      // Webhook subscriptions (our secret, HMAC-SHA256 signed deliveries); see README "Webhooks".
      WEBHOOKS: createEsimPlatformWebhooks(client.subscriptions, logger),
    };
  }

  /** Page 1 tells the page count; the other pages are fetched in parallel (two waves at most). */
  async listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    const pages = await fetchAllPages(
      (page) => this.client.listPlans(page, signal),
      (first) => first.pagination.total_pages,
      (count) =>
        this.logger.warn(
          { provider: this.id, pages: count },
          'catalog larger than expected; reading the first pages only',
        ),
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
    if (!balance)
      this.logger.warn(
        { provider: this.id, billingMode: raw.billing_mode },
        'balance response could not be normalized',
      );
    return balance;
  }

  /**
   * Sent once (seed 003 documents no idempotency key; the `Idempotency-Key` header it carries is
   * never relied on), with `reference` in the body: a timeout, reset or 5xx rejects as unavailable
   * and is settled by `getOrder`, never by sending again. A DUPLICATE_REFERENCE refusal (ASSUMED)
   * answers the order that reference already names. The customer's e-mail and name are sent as
   * given (the platform mails them the QR code).
   */
  async placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    // Refused here, before any upstream call, when the customer the platform mails is missing.
    const body = orderRequestOf(request);
    try {
      const raw = await this.client.orders.createOrder(body, request.reference, signal);
      this.checkUnitPrice(raw, request.expectedUnitPrice);
      return await this.order(raw, signal);
    } catch (error) {
      if (!isRefusal(error, 'DUPLICATE_REFERENCE')) throw error;
      const existing = await this.client.orders.findOrderByReference(request.reference, signal);
      if (!existing) throw error;
      return this.order(existing, signal);
    }
  }

  /** "Get Order Details" by the platform's id when known (404 → by reference), else `GET /orders?reference=`. */
  async getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    const byId = ref.providerOrderId ? await this.client.orders.getOrder(ref.providerOrderId, signal) : null;
    const raw = byId ?? (await this.client.orders.findOrderByReference(ref.reference, signal));
    return raw ? this.order(raw, signal) : null;
  }

  /** One "Get Profile Information" per distinct ICCID, in parallel (the platform has no batch read). */
  async getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]> {
    const iccids = [...new Set(refs.map((r) => r.iccid))];
    const raws = await Promise.all(iccids.map((iccid) => this.client.orders.getProfile(iccid, signal)));
    const byIccid = new Map(iccids.map((iccid, i) => [iccid, raws[i]]));
    return refs.map((r) => {
      const raw = byIccid.get(r.iccid);
      return raw ? this.profile(raw, null) : null;
    });
  }

  /** One "Get Profile Usage" per distinct ICCID (`batchLimits.usage` is 1), read as MB. */
  async getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]> {
    const iccids = [...new Set(refs.map((r) => r.iccid))];
    const raws = await Promise.all(iccids.map((iccid) => this.client.orders.profileUsage(iccid, signal)));
    const receivedAt = new Date().toISOString();
    const byIccid = new Map(
      iccids.map((iccid, i) => {
        const raw = raws[i];
        const usage = raw && mapProfileUsage(raw, receivedAt);
        if (raw && !usage) this.notes.skipped('usage reading', iccid, 'data_used/data_limit are not MB counts');
        return [iccid, usage ?? null] as const;
      }),
    );
    return refs.map((r) => byIccid.get(r.iccid) ?? null);
  }

  /**
   * "Get Available Topup Plans" of the profile. Its documented answer names no base plan, so the
   * packages' coverage is the base plan's only when one is known (README: top-up coverage).
   */
  private async listTopUps(ref: TopUpTarget, signal?: AbortSignal): Promise<CatalogPlan[]> {
    const options = await this.client.orders.topUpOptions(ref.iccid, signal);
    if (options.plans.length === 0) return [];
    const base = ref.basePlan ?? (await this.basePlan(options, ref.iccid, signal));
    return options.plans.flatMap((pkg) => {
      const plan = mapTopUpOption(pkg, base, this.notes);
      if (!plan) this.notes.skipped('top-up package', pkg?.package_code ?? null, 'cannot be normalized');
      return plan ? [plan] : [];
    });
  }

  /**
   * Sent once: no idempotency key and no top-up read are documented, so an unclear outcome rejects
   * as unavailable and waits for a person (`moneyCalls.topUp`), never bought again.
   */
  private async topUp(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp> {
    const answer = await this.client.orders.topUp(request.profile.iccid, request.planCode, request.reference, signal);
    return mapTopUpAnswer(answer, request.reference, this.notes);
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

  async connect(): Promise<void> {
    await this.client.tokens.accessToken();
  }

  /** Token renewal is lazy and the client holds no timers, so there is nothing to release. */
  async dispose(): Promise<void> {}

  /**
   * An order answer → the gateway's order. A done order (active/completed) is COMPLETED with the
   * eSIM it names; its state comes from "Get Profile Information" (by the order's ICCID, or by the
   * order id when the answer names none). Never throws for a missing eSIM: it stays PROCESSING.
   */
  private async order(raw: RawOrder, signal?: AbortSignal): Promise<UpstreamOrder> {
    const word = orderWordOf(raw.status);
    if (word === null) this.notes.unknownWord('order', raw.status, 'PROCESSING', { orderId: raw.id });
    const profile = word === 'DONE' ? await this.orderProfile(raw, signal) : null;
    if (profile && typeof raw.plan_id === 'string') this.remember(profile.iccid, raw.plan_id);
    return mapOrder(raw, profile);
  }

  private async orderProfile(raw: RawOrder, signal?: AbortSignal): Promise<UpstreamProfile | null> {
    const iccid = typeof raw.iccid === 'string' && raw.iccid.trim() !== '' ? raw.iccid.trim() : null;
    if (!iccid)
      this.notes.missingField(
        'order.iccid',
        'Get Profile Information by order_id; PROCESSING until it names the eSIM',
        { orderId: raw.id },
      );
    let found: RawProfile | null = null;
    try {
      found = await this.client.orders.getProfile(iccid ?? raw.id, signal);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn(
        { provider: this.id, orderId: raw.id, iccid, code: error.code },
        'eSIM of a done order not readable now; its state is read later',
      );
    }
    const qrCodeUrl = typeof raw.qr_code_url === 'string' && raw.qr_code_url !== '' ? raw.qr_code_url : null;
    if (found && (iccid === null || found.iccid === iccid)) return this.profile(found, qrCodeUrl);
    return iccid ? orderProfileOf({ ...raw, iccid }) : null;
  }

  /** The platform takes no expected price, so a price change shows only in its answer: logged for billing review. */
  private checkUnitPrice(raw: RawOrder, expected: Money): void {
    if (typeof raw.unit_price !== 'number' || !Number.isFinite(raw.unit_price)) {
      this.notes.missingField('order.unit_price', 'the price we re-priced is kept; no check', { orderId: raw.id });
      return;
    }
    const charged = decimalFromUpstream(raw.unit_price);
    const currency = raw.currency ?? expected.currency;
    if (currency !== expected.currency || compareDecimal(charged, expected.amount) !== 0) {
      this.logger.warn(
        { provider: this.id, orderId: raw.id, charged, currency, expected },
        'order charged a unit price other than the one we re-priced',
      );
    }
  }

  private profile(raw: RawProfile, qrCodeUrl: string | null): UpstreamProfile {
    const profile = mapProfile(raw, qrCodeUrl);
    if (profile.status === null)
      this.notes.unknownWord('eSIM status', raw.status, 'unknown (null)', { iccid: raw.iccid });
    return profile;
  }

  /**
   * The base plan of a profile's top-ups when the gateway did not give it (it does: the order's
   * snapshot): the answer's own `plan_id` if it ever sends one
   * (undocumented), else the plan we ordered for this ICCID (remembered from the order answer,
   * whose `plan_id` and `iccid` are documented), else none.
   */
  private async basePlan(options: RawTopUpOptions, iccid: string, signal?: AbortSignal): Promise<CatalogPlan | null> {
    const given = typeof options.plan_id === 'string' && options.plan_id !== '' ? options.plan_id : null;
    if (!given)
      this.notes.missingField(
        'topups.plan_id',
        'the plan we ordered for this ICCID (this process), else coverage unknown: GLOBAL, no countries',
      );
    const planId = given ?? this.orderedPlans.get(iccid) ?? null;
    if (!planId) return null;
    const raw = await this.client.getPlan(planId, signal);
    const base = raw && this.normalize(raw);
    if (!base)
      this.logger.warn({ provider: this.id, planId }, 'base plan of the top-ups not readable; coverage left unknown');
    return base || null;
  }

  /** Bounded: the oldest entries go first (they matter only for top-ups listed before a restart). */
  private remember(iccid: string, planId: string): void {
    this.orderedPlans.delete(iccid);
    this.orderedPlans.set(iccid, planId);
    if (this.orderedPlans.size > REMEMBERED_PLANS_MAX)
      this.orderedPlans.delete(this.orderedPlans.keys().next().value as string);
  }

  private normalize(raw: RawPlan): CatalogPlan | null {
    const outcome = normalizePlan(raw);
    if ('plan' in outcome) return outcome.plan;
    this.logger.warn(
      { provider: this.id, planId: typeof raw?.id === 'string' ? raw.id : null, reason: outcome.skipped },
      'skipped a plan it cannot normalize',
    );
    return null;
  }
}
