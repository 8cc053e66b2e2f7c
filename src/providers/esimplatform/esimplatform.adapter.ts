import type { CustomerField } from '../../domain/device';
import { fetchAllPages } from '../http/pagination';
import type { Logger } from 'pino';
import { compareDecimal, decimalFromUpstream, type Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import type { ProviderCapability, ProviderHealth } from '../../domain/provider';
import type {
  BatchLimits, ProfileRef, ProviderAdapter, UpstreamOrder, UpstreamOrderRef, UpstreamOrderRequest, UpstreamProfile, UpstreamTopUp, UpstreamTopUpRequest, UpstreamUsage, WebhookSupport,
} from '../provider-adapter';
import type { EsimPlatformClient } from './esimplatform.client';
import { ESIMPLATFORM_ID, isRefusal } from './esimplatform.errors';
import { mapBalance, normalizePlan } from './esimplatform.mapper';
import { isKnownOrderStatus, mapEsim, mapOrder, mapTopUp, mapTopUpOption, mapUsage, orderRequestOf } from './esimplatform.order-mapper';
import type { RawEsim, RawOrder } from './esimplatform.order-types';
import type { RawPlan } from './esimplatform.types';
import { createEsimPlatformWebhooks } from './esimplatform.webhooks';

/** Up to this many codes, `getPlans` reads `GET /plans/:id` in parallel; above, one catalog read is cheaper. */
export const DIRECT_LOOKUP_MAX = 5;

/** The eSIM platform API ("eSIM API Documentation", seed 003) behind the gateway's port. */
export class EsimPlatformAdapter implements ProviderAdapter {
  readonly id = ESIMPLATFORM_ID;
  readonly name = 'eSIM Platform';
  readonly capabilities: ReadonlySet<ProviderCapability> = new Set<ProviderCapability>(['TOP_UP', 'SUSPEND', 'RESUME', 'REVOKE', 'SMS', 'USAGE', 'WEBHOOKS']);
  // "Check Usage for eSIMs" takes a list (size assumed); plans are looked up one id at a time;
  // the order quantity has no documented maximum (10 assumed, enforced by the simulator).
  readonly batchLimits: BatchLimits = { usage: 10, planLookup: 100, orderQuantity: 10 };
  /** The provider e-mails the eSIM to the customer: its order call requires both (its document). */
  readonly customerFields: readonly CustomerField[] = ['EMAIL', 'NAME'];
  /** Webhook subscriptions (our secret, HMAC-SHA256 signed deliveries); see README "Webhooks". */
  readonly webhooks: WebhookSupport;

  constructor(
    private readonly client: EsimPlatformClient,
    private readonly logger: Logger,
    /** Sent as `end_customer_email` when an order names no customer (the field is required). */
    private readonly accountEmail: string,
  ) {
    this.webhooks = createEsimPlatformWebhooks(client.subscriptions, logger);
  }

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

  /**
   * Sent under `Idempotency-Key: <reference>` (the same key on every retry and every later call),
   * with `reference` in the body too: after the platform's 24 h key window a resend is refused as
   * DUPLICATE_REFERENCE, and we answer the order that reference already names.
   */
  async placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    try {
      const raw = await this.client.orders.createOrder(orderRequestOf(request, this.accountEmail), request.reference, signal);
      this.checkUnitPrice(raw, request.expectedUnitPrice);
      return this.order(raw);
    } catch (error) {
      if (!isRefusal(error, 'DUPLICATE_REFERENCE')) throw error;
      const existing = await this.client.orders.findOrderByReference(request.reference, signal);
      if (!existing) throw error;
      return this.order(existing);
    }
  }

  async getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    const byId = ref.providerOrderId ? await this.client.orders.getOrder(ref.providerOrderId, signal) : null;
    const raw = byId ?? (await this.client.orders.findOrderByReference(ref.reference, signal));
    return raw ? this.order(raw) : null;
  }

  /** One `GET /esims/:iccid` per distinct profile, in parallel (the platform has no batch read). */
  async getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]> {
    const iccids = [...new Set(refs.map((r) => r.iccid))];
    const raws = await Promise.all(iccids.map((iccid) => this.client.orders.getEsim(iccid, signal)));
    const byIccid = new Map(iccids.map((iccid, i) => [iccid, raws[i]]));
    return refs.map((r) => {
      const raw = byIccid.get(r.iccid);
      return raw ? this.profile(raw) : null;
    });
  }

  /** "Check Usage for eSIMs" by esimTranNo, `batchLimits.usage` per call. */
  async getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]> {
    const numbers = [...new Set(refs.map((r) => r.providerProfileId))];
    const chunks: string[][] = [];
    for (let i = 0; i < numbers.length; i += this.batchLimits.usage) chunks.push(numbers.slice(i, i + this.batchLimits.usage));
    const answers = (await Promise.all(chunks.map((chunk) => this.client.orders.usage(chunk, signal)))).flat();
    const receivedAt = new Date().toISOString();
    const byNumber = new Map(answers.map((u) => [u.esimTranNo, mapUsage(u, receivedAt)]));
    return refs.map((r) => byNumber.get(r.providerProfileId) ?? null);
  }

  /** The packages of `GET /esims/:iccid/topups`, with the coverage of the base plan they top up. */
  async listTopUps(ref: ProfileRef, signal?: AbortSignal): Promise<CatalogPlan[]> {
    const options = await this.client.orders.topUpOptions(ref.iccid, signal);
    if (options.plans.length === 0) return [];
    const baseRaw = await this.client.getPlan(options.plan_id, signal);
    const base = baseRaw && this.normalize(baseRaw);
    if (!base) {
      this.logger.warn({ provider: this.id, planId: options.plan_id }, 'top-up packages of a base plan it cannot read; none offered');
      return [];
    }
    return options.plans.flatMap((pkg) => {
      const plan = mapTopUpOption(pkg, base);
      if (!plan) this.logger.warn({ provider: this.id, packageCode: pkg?.package_code ?? null }, 'skipped a top-up package it cannot normalize');
      return plan ? [plan] : [];
    });
  }

  /** Under `Idempotency-Key: <reference>`, so a retry or a second call answers the same top-up. */
  async topUp(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp> {
    return mapTopUp(await this.client.orders.topUp(request.profile.iccid, request.planCode, request.reference, signal));
  }

  async suspendProfile(ref: ProfileRef, signal?: AbortSignal): Promise<void> {
    await this.client.orders.act(ref.iccid, 'suspend', signal);
  }

  async resumeProfile(ref: ProfileRef, signal?: AbortSignal): Promise<void> {
    await this.client.orders.act(ref.iccid, 'unsuspend', signal);
  }

  async revokeProfile(ref: ProfileRef, signal?: AbortSignal): Promise<void> {
    await this.client.orders.act(ref.iccid, 'revoke', signal);
  }

  async sendSms(ref: ProfileRef, message: string, signal?: AbortSignal): Promise<void> {
    await this.client.orders.sendSms(ref.iccid, message, signal);
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

  private order(raw: RawOrder): UpstreamOrder {
    if (!isKnownOrderStatus(raw.status)) this.logger.warn({ provider: this.id, orderId: raw.id, word: raw.status }, 'unknown order status word; kept as processing');
    const order = mapOrder(raw);
    for (const profile of order.profiles) this.warnUnknown(profile);
    return order;
  }

  /** The platform takes no expected price, so a price change shows only in its answer: logged for billing review. */
  private checkUnitPrice(raw: RawOrder, expected: Money): void {
    const charged = Number.isFinite(raw.unit_price) ? decimalFromUpstream(raw.unit_price) : null;
    if (charged === null || raw.currency !== expected.currency || compareDecimal(charged, expected.amount) !== 0) {
      this.logger.warn({ provider: this.id, orderId: raw.id, charged, currency: raw.currency, expected }, 'order charged a unit price other than the one we re-priced');
    }
  }

  private profile(raw: RawEsim): UpstreamProfile {
    const profile = mapEsim(raw);
    this.warnUnknown(profile);
    return profile;
  }

  /** The status-table contract: an unknown word becomes null and is logged with the word. */
  private warnUnknown(profile: UpstreamProfile): void {
    if (profile.status === null) this.logger.warn({ provider: this.id, iccid: profile.iccid, word: profile.rawStatus }, 'unknown eSIM status word; status left unknown');
  }

  private normalize(raw: RawPlan): CatalogPlan | null {
    const outcome = normalizePlan(raw);
    if ('plan' in outcome) return outcome.plan;
    this.logger.warn({ provider: this.id, planId: typeof raw?.id === 'string' ? raw.id : null, reason: outcome.skipped }, 'skipped a plan it cannot normalize');
    return null;
  }
}
