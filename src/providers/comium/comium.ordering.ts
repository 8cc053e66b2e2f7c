import type { Logger } from 'pino';
import { BadUserInputError, ProviderRejectedError } from '../../domain/errors';
import type { ProviderNotes } from '../kit/notes';
import type {
  UpstreamOrder,
  UpstreamOrderRef,
  UpstreamOrderRequest,
  UpstreamProfile,
  UpstreamTopUp,
  UpstreamTopUpRequest,
} from '../provider-adapter';
import { unexpected } from './comium.client';
import {
  matchReference,
  toOrderFromItem,
  toOrderFromSale,
  toUpstreamTopUp,
  type ReferenceMatch,
} from './comium.order-mapper';
import type { ComiumOrdersClient } from './comium.orders';

const PROVIDER_ID = 'comium';
/** ASSUMED largest `/Orders` page; one reference holds a sale plus a few failed attempts at most. */
const ORDERS_PAGE = { page_number: 1, page_size: 100 } as const;

/**
 * Sales and top-ups, idempotent by our reference. Comium has no idempotency key: its
 * `order_reference` is "your unique reference" and a repeated one is refused (ASSUMED 409
 * "Duplicate order_reference"). So each write looks the reference up in `GET /Orders` first and
 * answers what exists; a sale is sent once (never retried by the client), and a 409 or an
 * unreadable 2xx (the documented 204) is resolved by reading the reference back.
 */
export class ComiumOrdering {
  constructor(
    private readonly orders: ComiumOrdersClient,
    private readonly logger: Logger,
    private readonly notes: ProviderNotes,
  ) {}

  async placeOrder(request: UpstreamOrderRequest, signal?: AbortSignal): Promise<UpstreamOrder> {
    if (request.quantity !== 1)
      throw new ProviderRejectedError(PROVIDER_ID, 'QUANTITY_NOT_SUPPORTED', 'Comium sells one bundle per sale');
    // Comium e-mails the eSIM to this customer (seed 002: email and name required). The order
    // service refuses an order without them first; this guard keeps any other caller from selling.
    const email = request.customer?.email?.trim();
    const name = request.customer?.name?.trim();
    if (!email || !name)
      throw new BadUserInputError(
        "Comium orders need the customer's email and name: Comium e-mails the eSIM to the customer.",
        email ? 'customer.name' : 'customer.email',
      );
    const found = await this.lookup(request.reference, 'new', null, signal);
    if (found.live) return this.toOrder(found.live);
    if (found.otherKind) throw duplicate();
    const sale = { bundle_code: request.planCode, email, name, order_reference: request.reference };
    const body = await this.orders.sell(sale, signal).catch((error: unknown) => this.onDuplicate(error));
    const sold = body === DUPLICATE ? undefined : toOrderFromSale(body);
    if (sold?.ok) return this.checked(sold.value);
    const again = await this.lookup(request.reference, 'new', null, signal);
    if (again.live) return this.toOrder(again.live);
    throw body === DUPLICATE || again.otherKind ? duplicate() : unexpected('bundle/sell');
  }

  /** The live sale under our reference (the known order id preferred), else its last failed attempt. */
  async getOrder(ref: UpstreamOrderRef, signal?: AbortSignal): Promise<UpstreamOrder | null> {
    const found = await this.lookup(ref.reference, 'new', ref.providerOrderId, signal);
    const item = found.live ?? found.failed;
    return item ? this.toOrder(item) : null;
  }

  async topUp(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp> {
    const found = await this.lookup(request.reference, 'topup', null, signal);
    if (found.live) return this.toTopUp(found.live);
    if (found.otherKind) throw duplicate();
    const body = await this.orders
      .topUp(
        { iccid: request.profile.iccid, bundle_code: request.planCode, order_reference: request.reference },
        signal,
      )
      .catch((error: unknown) => this.onDuplicate(error));
    const sold = body === DUPLICATE ? undefined : toUpstreamTopUp(body);
    if (sold?.ok) return sold.value;
    const again = await this.lookup(request.reference, 'topup', null, signal);
    if (again.live) return this.toTopUp(again.live);
    throw body === DUPLICATE || again.otherKind ? duplicate() : unexpected('bundle/topup');
  }

  /** The top-up under our reference (`GET /Orders?order_reference=`), null when the read shows none. */
  async findTopUp(request: UpstreamTopUpRequest, signal?: AbortSignal): Promise<UpstreamTopUp | null> {
    const found = await this.lookup(request.reference, 'topup', null, signal);
    const item = found.live ?? found.failed;
    return item ? this.toTopUp(item) : null;
  }

  /** `GET /Orders?order_reference=` (exact match, ASSUMED), read for one kind of order. */
  private async lookup(
    reference: string,
    kind: 'new' | 'topup',
    orderId: string | null,
    signal?: AbortSignal,
  ): Promise<ReferenceMatch> {
    return matchReference(
      await this.orders.orders({ order_reference: reference, ...ORDERS_PAGE }, signal),
      reference,
      kind,
      orderId,
    );
  }

  private onDuplicate(error: unknown): typeof DUPLICATE {
    if (error instanceof ProviderRejectedError && error.providerCode === 'DUPLICATE_ORDER_REFERENCE') return DUPLICATE;
    throw error;
  }

  /** An item the mapper cannot read is reported as still processing (logged): never guessed done or failed. */
  private toOrder(item: Record<string, unknown>): UpstreamOrder {
    const outcome = toOrderFromItem(item, this.notes);
    if (outcome.ok) return this.checked(outcome.value);
    this.logger.warn(
      { provider: PROVIDER_ID, orderId: outcome.code, reason: outcome.reason },
      'order the mapper cannot read; reporting it as processing',
    );
    return { providerOrderId: String(item.order_id), status: 'PROCESSING', profiles: [] };
  }

  private toTopUp(item: Record<string, unknown>): UpstreamTopUp {
    const outcome = toUpstreamTopUp(item);
    if (outcome.ok) return outcome.value;
    this.logger.warn(
      { provider: PROVIDER_ID, orderId: outcome.code, reason: outcome.reason },
      'top-up the mapper cannot read; reporting it as processing',
    );
    return { providerTopUpId: String(item.order_id), status: 'PROCESSING' };
  }

  private checked(order: UpstreamOrder): UpstreamOrder {
    order.profiles.forEach((profile) => warnUnknownStatus(this.notes, profile));
    return order;
  }
}

/**
 * The adapter's rule for status words its table does not know: null, and a warning naming the
 * word (once per word). A deleted eSIM with a live plan is null on purpose (the device side moved,
 * not the plan) and is no unknown word.
 */
export function warnUnknownStatus(notes: ProviderNotes, profile: UpstreamProfile): void {
  if (profile.status !== null || profile.device?.state === 'DELETED') return;
  notes.unknownWord('profile status', profile.rawStatus, 'null (the stored state is kept)', { iccid: profile.iccid });
}

const DUPLICATE = Symbol('duplicate order_reference');

function duplicate(): ProviderRejectedError {
  return new ProviderRejectedError(
    PROVIDER_ID,
    'DUPLICATE_ORDER_REFERENCE',
    'this order reference was already used for another kind of order',
  );
}
