import type { Logger } from 'pino';
import { ProviderRejectedError, ProviderUnavailableError } from '../../domain/errors';
import { multiplyDecimal, type Money } from '../../domain/money';
import type { CatalogPlan } from '../../domain/plan';
import type {
  ProfileRef,
  UpstreamOrder,
  UpstreamOrderRef,
  UpstreamOrderRequest,
  UpstreamProfile,
  UpstreamTopUp,
  UpstreamTopUpRequest,
  UpstreamUsage,
} from '../provider-adapter';
import type { ProviderNotes } from '../kit/notes';
import type { EsimAccessCatalog } from './esimaccess.catalog';
import { ESIMACCESS_ID, type EsimAccessClient } from './esimaccess.client';
import {
  mapOrder,
  mapProfile,
  mapTopUp,
  mapUsage,
  placedOrder,
  providerQueryTime,
  toProviderPrice,
} from './esimaccess.lifecycle-mapper';
import { EsimAccessOrdersApi, type EsimAccessAction } from './esimaccess.orders';
import type { EsimAccessProfile, EsimAccessQueryRequest } from './esimaccess.types';

/** `esim/usage/query` takes at most 10 `esimTranNo`s (research §1.3). */
export const USAGE_BATCH = 10;
/** The largest page `esim/query` serves (5–500, research §1.9). */
const PAGE_SIZE = 500;
/** Bounds a time-window search: 20 pages of 500 profiles. */
const MAX_PAGES = 20;
/** Slack around `placedAt` for clock skew between us and the provider. */
const WINDOW_SLACK_MS = 5 * 60_000;

type Filter = Omit<EsimAccessQueryRequest, 'pager'>;

/**
 * Ordering and the profile lifecycle at eSIM Access. Idempotency rests on `transactionId` = our
 * reference: a repeated `esim/order` or `esim/topup` is the same request upstream, so both are
 * sent again as they are (and retried by the client). `esim/query` is the only way back to an
 * order: by `orderNo`, or by creation time when we never learned the `orderNo`.
 */
export class EsimAccessLifecycle {
  private readonly api: EsimAccessOrdersApi;

  constructor(
    client: EsimAccessClient,
    private readonly catalog: EsimAccessCatalog,
    private readonly notes: ProviderNotes,
    private readonly logger: Logger,
  ) {
    this.api = new EsimAccessOrdersApi(client);
  }

  async placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    const price = this.providerPrice(request.expectedUnitPrice);
    const amount = this.providerPrice({
      ...request.expectedUnitPrice,
      amount: multiplyDecimal(request.expectedUnitPrice.amount, request.quantity),
    });
    const { orderNo } = await this.api.order(
      {
        transactionId: request.reference,
        amount,
        packageInfoList: [{ packageCode: request.planCode, count: request.quantity, price }],
      },
      signal,
    );
    return placedOrder(orderNo);
  }

  async getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    if (ref.providerOrderId) return this.orderByNo(ref.providerOrderId, ref.reference, signal);
    // Without an orderNo only a time window can find it, and only once profiles exist: an order
    // still allocating lists nothing, so null, and re-sending `esim/order` is the safe next step.
    const from = new Date(ref.placedAt.getTime() - WINDOW_SLACK_MS);
    const to = new Date(Date.now() + WINDOW_SLACK_MS);
    const ours = (
      await this.queryAll({ startTime: providerQueryTime(from), endTime: providerQueryTime(to) }, signal)
    ).filter((p) => p.transactionId === ref.reference);
    const orderNo = ours.find((p) => typeof p.orderNo === 'string' && p.orderNo !== '')?.orderNo;
    if (!orderNo) return null;
    return this.readOrder(
      orderNo,
      ours.filter((p) => p.orderNo === orderNo),
    );
  }

  async getProfiles(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamProfile | null)[]> {
    // esim/query takes one esimTranNo per call; the client paces them to 8 per second.
    return Promise.all(
      refs.map(async (ref) => {
        const { esimList } = await this.api.query(
          { esimTranNo: ref.providerProfileId, pager: { pageNum: 1, pageSize: 5 } },
          signal,
        );
        const raw = esimList.find((p) => p.esimTranNo === ref.providerProfileId);
        if (!raw) return null;
        const profile = mapProfile(raw);
        if (!profile) throw this.unreadable('esim/query');
        this.warnUnknownStatus([profile]);
        return profile;
      }),
    );
  }

  async getUsage(refs: readonly ProfileRef[], signal?: AbortSignal): Promise<(UpstreamUsage | null)[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < refs.length; i += USAGE_BATCH)
      chunks.push(refs.slice(i, i + USAGE_BATCH).map((r) => r.providerProfileId));
    const answers = await Promise.all(chunks.map((chunk) => this.api.usage(chunk, signal)));
    const byTranNo = new Map<string, UpstreamUsage>();
    for (const raw of answers.flatMap((a) => a.esimUsageList)) {
      const usage = mapUsage(raw);
      if (usage)
        byTranNo.set(usage.esimTranNo, {
          usedBytes: usage.usedBytes,
          totalBytes: usage.totalBytes,
          updatedAt: usage.updatedAt,
        });
      else
        this.notes.skipped(
          'usage entry',
          (raw as { esimTranNo?: unknown } | null)?.esimTranNo,
          'unreadable numbers or time; answered as unknown',
        );
    }
    return refs.map((ref) => byTranNo.get(ref.providerProfileId) ?? null);
  }

  /**
   * `package/list` type TOPUP filtered by the profile's ICCID: the top-ups of its base package.
   * We asked for top-ups, so every item is one, whatever its code (`TOPUP_…`, a slug, a plain code).
   */
  listTopUps(ref: ProfileRef, signal?: AbortSignal): Promise<CatalogPlan[]> {
    return this.catalog.list({ type: 'TOPUP', iccid: ref.iccid }, signal);
  }

  async topUp(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp> {
    const amount = String(this.providerPrice(request.expectedPrice));
    const answer = await this.api.topUp(
      {
        esimTranNo: request.profile.providerProfileId,
        packageCode: request.planCode,
        transactionId: request.reference,
        amount,
      },
      signal,
    );
    return mapTopUp(answer, request.reference);
  }

  act(action: EsimAccessAction, ref: ProfileRef, signal?: AbortSignal): Promise<void> {
    return this.api.act(action, { esimTranNo: ref.providerProfileId }, signal);
  }

  sendSms(ref: ProfileRef, message: string, signal?: AbortSignal): Promise<void> {
    return this.api.sendSms({ esimTranNo: ref.providerProfileId }, message, signal);
  }

  /** 200010: still allocating → PROCESSING; 310272: no such order → null. */
  private async orderByNo(orderNo: string, reference: string, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    let list: EsimAccessProfile[];
    try {
      list = await this.queryAll({ orderNo }, signal);
    } catch (error) {
      if (error instanceof ProviderRejectedError && error.providerCode === '200010') return placedOrder(orderNo);
      if (error instanceof ProviderRejectedError && error.providerCode === '310272') return null;
      throw error;
    }
    if (list.some((p) => p.transactionId && p.transactionId !== reference)) {
      this.logger.warn(
        { provider: ESIMACCESS_ID, orderNo },
        'order belongs to another transactionId; answered as unknown',
      );
      return null;
    }
    return this.readOrder(orderNo, list);
  }

  private readOrder(orderNo: string, list: readonly EsimAccessProfile[]): UpstreamOrder {
    const order = mapOrder(orderNo, list);
    if (!order) throw this.unreadable('esim/query');
    this.warnUnknownStatus(order.profiles);
    return order;
  }

  /** Every page of one `esim/query` filter, up to MAX_PAGES. */
  private async queryAll(filter: Filter, signal?: AbortSignal): Promise<EsimAccessProfile[]> {
    const all: EsimAccessProfile[] = [];
    for (let pageNum = 1; pageNum <= MAX_PAGES; pageNum++) {
      const { esimList, pager } = await this.api.query({ ...filter, pager: { pageNum, pageSize: PAGE_SIZE } }, signal);
      all.push(...esimList);
      const total = typeof pager?.total === 'number' ? pager.total : all.length;
      if (esimList.length < PAGE_SIZE || all.length >= total) return all;
    }
    this.logger.warn({ provider: ESIMACCESS_ID, pages: MAX_PAGES }, 'esim/query search stopped at its page bound');
    return all;
  }

  private warnUnknownStatus(profiles: readonly UpstreamProfile[]): void {
    for (const p of profiles) {
      if (p.status === null)
        this.notes.unknownWord('esimStatus/smdpStatus', p.rawStatus, 'status null (the stored status stays)', {
          iccid: p.iccid,
        });
      if (p.device && p.device.state === null)
        this.notes.unknownWord('smdpStatus', p.device.rawState, 'device state null (the raw word is kept)', {
          iccid: p.iccid,
        });
    }
  }

  /** Prices go upstream as USD × 10 000 for the provider's own check (200005/200006). */
  private providerPrice(price: Money): number {
    const scaled = toProviderPrice(price);
    if (scaled === null) {
      throw new ProviderRejectedError(
        ESIMACCESS_ID,
        'PRICE_NOT_USD',
        'The expected price is not a USD amount with at most 4 decimals.',
      );
    }
    return scaled;
  }

  private unreadable(operation: string): ProviderUnavailableError {
    return new ProviderUnavailableError(
      ESIMACCESS_ID,
      'SERVER_ERROR',
      `Provider ${ESIMACCESS_ID} returned an unreadable ${operation} answer.`,
    );
  }
}
