import type { Logger } from 'pino';
import type { CustomerField } from '../../domain/device';
import { ProviderUnavailableError } from '../../domain/errors';
import { fromScaledInteger, type Money } from '../../domain/money';
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
  UpstreamUsage,
} from '../provider-adapter';
import { ProviderNotes } from '../kit/notes';
import { EsimAccessCatalog } from './esimaccess.catalog';
import { ESIMACCESS_ID, type EsimAccessClient } from './esimaccess.client';
import { EsimAccessLifecycle, USAGE_BATCH } from './esimaccess.lifecycle';
import { MONEY_SCALE } from './esimaccess.mapper';
import { esimAccessWebhooks } from './esimaccess.webhooks';

/**
 * eSIM Access behind the gateway's port. `package/list` has no pagination, so one call reads the
 * whole catalog, and a batch lookup costs that same single call.
 */
export class EsimAccessAdapter implements ProviderAdapter {
  readonly id = ESIMACCESS_ID;
  readonly name = 'eSIM Access';
  /** Everything the provider documents beyond the catalog (research §1.3, §8), set up in the constructor. */
  readonly supports: Supports;
  /**
   * `transactionId` is documented as partner-unique, a repeat "treated as the same request", on
   * orders and top-ups: both are resent under it. `esim/cancel` carries no such id: sent once, its
   * unclear outcome read back through `esim/query` (README "Money-moving calls").
   */
  readonly moneyCalls: MoneyCalls = {
    order: { resend: true, key: 'transactionId' },
    topUp: { resend: true, key: 'transactionId' },
    cancel: { resend: false, lookup: 'esim/query (esimStatus CANCEL)' },
  };
  /** Day passes are sold; GLOBAL_ESIM is not offered. */
  readonly features: ReadonlySet<CatalogFeature> = new Set<CatalogFeature>(['DAY_PASS']);
  /** usage: ≤10 per esim/usage/query; orders: ≤30 profiles; planLookup: one package/list answers any batch. */
  readonly batchLimits: BatchLimits = { usage: USAGE_BATCH, planLookup: 100, orderQuantity: 30 };
  readonly customerFields: readonly CustomerField[] = [];
  private readonly lifecycle: EsimAccessLifecycle;
  /** package/list (+ location/list for region names), shared by the catalog and top-up listings. */
  private readonly catalog: EsimAccessCatalog;

  constructor(
    private readonly client: EsimAccessClient,
    logger: Logger,
  ) {
    // One set of notes per adapter: a field the document does not promise is reported once.
    const notes = new ProviderNotes(logger, ESIMACCESS_ID);
    this.catalog = new EsimAccessCatalog(client, notes);
    const lifecycle = (this.lifecycle = new EsimAccessLifecycle(client, this.catalog, notes, logger));
    this.supports = {
      TOP_UP: {
        list: (target, signal) => lifecycle.listTopUps(target, signal),
        buy: (request, signal) => lifecycle.topUp(request, signal),
      },
      // Only GOT_RESOURCE + RELEASED profiles (never downloaded, unused) can be cancelled and refunded.
      CANCEL: (ref, signal) => lifecycle.act('esim/cancel', ref, signal),
      SUSPEND: (ref, signal) => lifecycle.act('esim/suspend', ref, signal),
      RESUME: (ref, signal) => lifecycle.act('esim/unsuspend', ref, signal),
      REVOKE: (ref, signal) => lifecycle.act('esim/revoke', ref, signal),
      // ≤ 500 characters; only for packages with `smsStatus` 1 or 2 (the provider refuses others).
      SMS: { send: (ref, message, signal) => lifecycle.sendSms(ref, message, signal) },
      // `webhook/save` registration; unsigned deliveries authenticated by the token in our URL.
      WEBHOOKS: esimAccessWebhooks(client, notes),
    };
  }

  listPlans(signal?: AbortSignal): Promise<CatalogPlan[]> {
    return this.catalog.list({ type: 'BASE' }, signal);
  }

  async getPlans(codes: readonly string[], signal?: AbortSignal): Promise<(CatalogPlan | null)[]> {
    if (codes.length === 0) return [];
    const plans = await this.catalog.list({ type: 'BASE' }, signal);
    const byCode = new Map(plans.map((p) => [p.code, p]));
    return codes.map((code) => byCode.get(code) ?? null);
  }

  async getBalance(signal?: AbortSignal): Promise<Money | null> {
    const { balance } = await this.client.queryBalance(signal);
    const valid =
      (typeof balance === 'number' && Number.isSafeInteger(balance)) ||
      (typeof balance === 'string' && /^-?\d{1,18}$/.test(balance));
    if (!valid)
      throw new ProviderUnavailableError(
        this.id,
        'SERVER_ERROR',
        `Provider ${this.id} returned an unreadable balance.`,
      );
    // The account currency is not part of the answer; every documented amount is USD (research §1.1).
    return { amount: fromScaledInteger(balance, MONEY_SCALE), currency: 'USD' };
  }

  health(): ProviderHealth {
    return this.client.health();
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.queryBalance(signal);
  }

  // ---- Ordering (esimaccess.lifecycle.ts; the lifecycle groups are in `supports`) ----

  placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    return this.lifecycle.placeOrder(request, signal);
  }

  getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    return this.lifecycle.getOrder(ref, signal);
  }

  getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]> {
    return this.lifecycle.getProfiles(refs, signal);
  }

  getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]> {
    return this.lifecycle.getUsage(refs, signal);
  }

  async dispose(): Promise<void> {
    // HMAC auth has no token to refresh; only the pacing timers need clearing.
    this.client.dispose();
  }
}
