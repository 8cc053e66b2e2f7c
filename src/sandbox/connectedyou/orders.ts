import express, { type Request, type Response, type Router } from 'express';
import type { InventoryError, SimInventory, SimOrder } from '../shared/inventory';
import type { ProductWire } from './catalog';
import type { DeviceSide } from './devices';
import { methodNotAllowed, sendError, type SimErrorCode } from './errors';
import type { IdempotencyStore } from './idempotency';
import { readPaging } from './query';
import { planTerms, renderOrder, type OrderExtras } from './wire';

export interface OrderDeps {
  readonly inventory: SimInventory;
  readonly devices: DeviceSide;
  readonly products: readonly ProductWire[];
  readonly idempotency: IdempotencyStore;
}

/** The portal's limit (GitBook, how-to-place-an-order); the API is assumed to enforce the same. */
export const MAX_ESIMS_PER_ORDER = 10;
export const CURRENCY = 'USD';

/** Exact-match filters of `GET …/orders` (seed, "Sorting and Filtering"); which fields is assumed. */
const ORDER_FILTERS: Readonly<Record<string, (order: ReturnType<typeof renderOrder>, value: string) => boolean>> = {
  reference: (o, v) => o.reference === v,
  status: (o, v) => o.status === v,
  product_id: (o, v) => o.product_id === v,
  order_number: (o, v) => o.order_number === v,
};

/** `POST|GET …/orders`, `GET …/orders/{order_id}` (paths ASSUMED). */
export function ordersRouter(deps: OrderDeps): Router {
  const router = express.Router({ mergeParams: true });
  router.post('/orders', jsonOnly, express.json(), deps.idempotency.guard('orders'), (req, res) =>
    placeOrder(deps, req, res),
  );
  router.get('/orders', (req, res) => listOrders(deps, req, res));
  router.get('/orders/:orderId', (req, res) => {
    const order = deps.inventory.order(req.params.orderId);
    if (order) res.json(renderOrder(order, CURRENCY, deps.devices));
    else sendError(res, 'order_not_found', 'No such order.');
  });
  router.all(['/orders', '/orders/:orderId'], methodNotAllowed);
  return router;
}

function placeOrder(deps: OrderDeps, req: Request, res: Response): void {
  const input = readOrder(req.body);
  if (typeof input === 'string') return sendError(res, 'validation_error', input);
  const product = deps.products.find((p) => p.product_id === input.productId);
  if (!product) return sendError(res, 'invalid_product', 'No such product.');
  if (product.status !== 'ACTIVE')
    return sendError(res, 'product_unavailable', 'This product can no longer be ordered.');
  const extras: OrderExtras = { reference: input.reference, customer: input.customer };
  const result = deps.inventory.placeOrder({
    key: res.locals.idempotentKey as string,
    plan: planTerms(product),
    quantity: input.quantity,
    customer: extras,
  });
  if (!result.ok) return refuse(res, result.error, 'validation_error');
  // 201 when the eSIMs are there at once, else 202 "accepted for further processing asynchronously" (seed).
  res.status(result.value.status === 'ALLOCATED' ? 201 : 202).json(renderOrder(result.value, CURRENCY, deps.devices));
}

function listOrders(deps: OrderDeps, req: Request, res: Response): void {
  const query = req.query as Record<string, unknown>;
  const paging = readPaging(query);
  if (typeof paging === 'string') return sendError(res, 'validation_error', paging);
  const sort = typeof query.sort === 'string' && query.sort ? query.sort : '-created_at';
  if (sort !== 'created_at' && sort !== '-created_at')
    return sendError(res, 'validation_error', 'sort must be created_at or -created_at.');
  const direction = sort.startsWith('-') ? -1 : 1;
  const rows = [...deps.inventory.allOrders()]
    .sort((a: SimOrder, b: SimOrder) => direction * (a.createdAt.getTime() - b.createdAt.getTime()))
    .map((order) => renderOrder(order, CURRENCY, deps.devices))
    .filter((o) =>
      Object.entries(ORDER_FILTERS).every(
        ([key, test]) => typeof query[key] !== 'string' || test(o, query[key] as string),
      ),
    );
  res.json({
    orders: rows.slice(paging.offset, paging.offset + paging.limit),
    limit: paging.limit,
    offset: paging.offset,
    total: rows.length,
  });
}

interface OrderInput {
  readonly productId: string;
  readonly quantity: number;
  readonly reference: string | null;
  readonly customer: OrderExtras['customer'];
}

/** The body `{ product_id, quantity, reference?, customer?: { email?, name? } }`, or a 422 message. */
function readOrder(body: unknown): OrderInput | string {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { product_id: productId, quantity, reference, customer } = raw;
  if (typeof productId !== 'string' || !/^\d{1,18}$/.test(productId)) return 'product_id must be a numeric string.';
  if (!Number.isSafeInteger(quantity) || (quantity as number) < 1 || (quantity as number) > MAX_ESIMS_PER_ORDER)
    return `quantity must be an integer between 1 and ${MAX_ESIMS_PER_ORDER}.`;
  if (reference !== undefined && reference !== null && (typeof reference !== 'string' || reference.length > 100))
    return 'reference must be a string of at most 100 characters.';
  if (customer !== undefined && customer !== null && (typeof customer !== 'object' || Array.isArray(customer)))
    return 'customer must be an object.';
  const who = (customer ?? null) as Record<string, unknown> | null;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  return {
    productId,
    quantity: quantity as number,
    reference: typeof reference === 'string' ? reference : null,
    customer: who ? { email: text(who.email), name: text(who.name) } : null,
  };
}

/** The inventory's refusals in ConnectedYou's codes; `notAllowed` names the state refusal of the route. */
export function refuse(res: Response, error: InventoryError, notAllowed: SimErrorCode): void {
  const codes: Readonly<Record<InventoryError, [SimErrorCode, string]>> = {
    INSUFFICIENT_BALANCE: ['insufficient_credit', 'The available credit does not cover this purchase.'],
    OUT_OF_STOCK: ['out_of_stock', 'This product is out of stock.'],
    KEY_REUSED: ['idempotency_conflict', 'This idempotent_key was already used with another request.'],
    NOT_FOUND: ['esim_not_found', 'No such eSIM.'],
    NOT_ALLOWED: [notAllowed, 'This operation is not allowed in the eSIM’s current state.'],
  };
  sendError(res, ...codes[error]);
}

/** The seed: 415 for a body that is not application/json. */
export function jsonOnly(req: Request, res: Response, next: () => void): void {
  if (!req.is('application/json')) return sendError(res, 'unsupported_media_type', 'Send application/json.');
  next();
}
