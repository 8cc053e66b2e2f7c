import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { InventoryError, SimOrder } from '../shared/inventory';
import { termsOf, type EsimTradeBook } from './book';
import { errorAnswer, sendError, type Answer } from './errors';
import { pageOf, parsePaging, queryValue } from './query';
import { orderStatusOf, renderOrder, renderOrderSummary, type WireOrderStatus } from './wire';

/** Most eSIMs one `POST /portal/order` takes (assumed). */
export const MAX_ORDER_QUANTITY = 10;
const ORDER_STATUSES: readonly WireOrderStatus[] = ['processing', 'completed', 'failed'];
const REFERENCE_RE = /^[\x21-\x7e]{1,64}$/;

/** How the inventory's refusals read on eSIMTrade's wire. */
export const INVENTORY_REFUSALS: Readonly<Record<InventoryError, Answer>> = {
  INSUFFICIENT_BALANCE: errorAnswer(402, 'INSUFFICIENT_BALANCE', 'The wallet balance does not cover this purchase.'),
  OUT_OF_STOCK: errorAnswer(409, 'OUT_OF_STOCK', 'This plan is out of stock.'),
  KEY_REUSED: errorAnswer(409, 'IDEMPOTENCY_CONFLICT', 'This key was used for another request.'),
  NOT_FOUND: errorAnswer(404, 'ESIM_NOT_FOUND', 'No eSIM with this ICCID belongs to this reseller.'),
  NOT_ALLOWED: errorAnswer(409, 'OPERATION_NOT_ALLOWED', 'The eSIM does not allow this in its current state.'),
};

/**
 * `POST /portal/order` (server-side price resolution, wallet deduction, idempotency), `GET
 * /portal/orders` (by order number or ICCID) and `GET /reseller/orders` (paged history with
 * status and text filters), seed 004; bodies and parameters assumed (adapter README).
 */
export function orderRoutes(book: EsimTradeBook): Router {
  const router = express.Router();

  router.post('/portal/order', (req, res) => {
    book.idempotency.answer('order', req, res, () => placeOrder(book, req.body));
  });

  router.get('/portal/orders', (req, res) => {
    const orderNumber = queryValue(req, 'order_number');
    const iccid = queryValue(req, 'iccid');
    if ((orderNumber === undefined) === (iccid === undefined) || orderNumber === '' || iccid === '') {
      sendError(res, 400, 'INVALID_PARAMETER', 'Give exactly one of order_number or iccid.');
      return;
    }
    const profile = iccid === undefined ? undefined : book.inventory.profile(iccid);
    const order = book.inventory.order(orderNumber ?? profile?.orderId ?? '');
    if (order) res.json({ data: renderOrder(order, book.reference(order)) });
    else sendError(res, 404, 'ORDER_NOT_FOUND', 'No order matches.');
  });

  router.get('/reseller/orders', (req, res) => {
    const paging = parsePaging(req, 20);
    const status = queryValue(req, 'status');
    const q = queryValue(req, 'q');
    if (
      typeof paging === 'string' ||
      (status !== undefined && !ORDER_STATUSES.includes(status as WireOrderStatus)) ||
      q === ''
    ) {
      sendError(
        res,
        400,
        'INVALID_PARAMETER',
        typeof paging === 'string' ? paging : 'status must be processing, completed or failed; q must not be empty.',
      );
      return;
    }
    const newestFirst = book.inventory.allOrders().reverse();
    const matching = newestFirst.filter((o) => (!status || orderStatusOf(o) === status) && (!q || matches(book, o, q)));
    const { data, meta } = pageOf(matching, paging);
    res.json({ data: data.map((o) => renderOrderSummary(o, book.reference(o))), meta });
  });

  return router;
}

function placeOrder(book: EsimTradeBook, body: unknown): Answer {
  const input = parseOrder(body);
  if (typeof input === 'string') return errorAnswer(400, 'INVALID_PARAMETER', input);
  const plan = book.plan(input.slug);
  if (!plan) return errorAnswer(404, 'PLAN_NOT_FOUND', 'No plan has this slug.');
  if (input.reference !== null && book.orderByReference(input.reference)) {
    return errorAnswer(409, 'DUPLICATE_REFERENCE', 'An order with this reference exists.');
  }
  // The idempotency store governs replays; the inventory gets a fresh key per accepted call.
  const result = book.inventory.placeOrder({
    key: randomUUID(),
    plan: termsOf(plan),
    quantity: input.quantity,
    customer: input.customer,
  });
  if (!result.ok) return INVENTORY_REFUSALS[result.error];
  book.remember(result.value, input.reference);
  return { status: 201, body: { data: renderOrder(result.value, input.reference) } };
}

interface OrderInput {
  readonly slug: string;
  readonly quantity: number;
  readonly reference: string | null;
  readonly customer: { email: string | null; name: string | null } | null;
}

/** `{ slug, quantity?, reference?, customer?: { email?, name? } }`; a string is the 400 message. */
function parseOrder(body: unknown): OrderInput | string {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { slug, quantity = 1, reference = null, customer = null } = raw;
  if (typeof slug !== 'string' || !slug) return 'slug is required.';
  if (!Number.isSafeInteger(quantity) || (quantity as number) < 1 || (quantity as number) > MAX_ORDER_QUANTITY) {
    return `quantity must be an integer from 1 to ${MAX_ORDER_QUANTITY}.`;
  }
  if (reference !== null && (typeof reference !== 'string' || !REFERENCE_RE.test(reference)))
    return 'reference must be 1 to 64 printable characters.';
  if (customer !== null && (typeof customer !== 'object' || Array.isArray(customer)))
    return 'customer must be an object.';
  const { email = null, name = null } = (customer ?? {}) as Record<string, unknown>;
  if ((email !== null && typeof email !== 'string') || (name !== null && typeof name !== 'string'))
    return 'customer.email and customer.name must be strings.';
  return { slug, quantity: quantity as number, reference, customer: customer === null ? null : { email, name } };
}

/** The `q` text filter: a case-insensitive substring of the order number, reference, customer or an ICCID. */
function matches(book: EsimTradeBook, order: SimOrder, q: string): boolean {
  const customer = (order.customer ?? {}) as { email?: string | null; name?: string | null };
  const haystack = [
    order.id,
    book.reference(order),
    customer.email,
    customer.name,
    ...order.profiles.map((p) => p.iccid),
  ];
  const needle = q.toLowerCase();
  return haystack.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}
