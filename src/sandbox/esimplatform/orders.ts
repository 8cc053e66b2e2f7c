import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import type { SimInventory, SimOrder } from '../shared/inventory';
import type { PlatformCatalog } from './catalog';
import { failure, sendError } from './errors';
import type { IdempotencyStore } from '../shared/idempotency-store';
import { idempotent, type Answer } from './idempotency';
import { orderStatus, termsOf, wireOrder, wireOrderRead, type OrderExtras } from './wire';

/**
 * Not documented; the most eSIMs one order may carry (assumed). The adapter sends one per order:
 * the documented answer names a single eSIM.
 */
export const MAX_ORDER_QUANTITY = 10;
/** Our order references are ≤ 50 characters (assumed field). */
const MAX_REFERENCE_LENGTH = 50;

export interface OrderDeps {
  readonly inventory: SimInventory;
  readonly catalog: PlatformCatalog;
  readonly idempotency: IdempotencyStore;
}

/** "Create New eSIM Order", "List User's Orders" (+ assumed `reference` filter), "Get Order Details". */
export function ordersRouter(deps: OrderDeps): Router {
  const { inventory, idempotency } = deps;
  // Reads apply expiry first; the order word follows its eSIMs. Reads add our `reference` (ASSUMED).
  const render = (order: SimOrder) => {
    for (const p of order.profiles) inventory.profile(p.iccid);
    return wireOrderRead(order);
  };
  const router = express.Router();

  router.post(
    '/orders',
    idempotent(idempotency, (req) => createOrder(deps, req)),
  );

  router.get('/orders', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const page = positive(q.page, 1);
    const limit = positive(q.limit, 20);
    if (page === null || limit === null)
      return sendError(res, 400, 'VALIDATION_ERROR', 'page and limit must be positive integers');
    const matching = inventory
      .allOrders()
      .filter((o) => typeof q.reference !== 'string' || (o.customer as OrderExtras).reference === q.reference)
      .filter((o) => typeof q.status !== 'string' || orderStatus(o) === q.status)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    res.json({
      success: true,
      data: matching.slice((page - 1) * limit, page * limit).map(render),
      pagination: { page, limit, total: matching.length, total_pages: Math.ceil(matching.length / limit) },
    });
  });

  router.get('/orders/:id', (req, res) => {
    const order = inventory.order(String(req.params.id));
    if (!order) return sendError(res, 404, 'ORDER_NOT_FOUND', 'Order not found');
    res.json({ success: true, order: render(order) });
  });
  return router;
}

/**
 * The 201 answer is the documented one exactly. With no allocation delay (the default) the eSIM is
 * allocated at once, so the answer is `active` with `iccid` and `qr_code_url`, as the document
 * shows; with SANDBOX_ORDER_DELAY_MS it is `pending` with both null until allocation.
 */
function createOrder({ inventory, catalog }: OrderDeps, req: Request): Answer {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const invalid = validate(body);
  if (invalid) return failure(400, 'VALIDATION_ERROR', invalid);
  const plan = catalog.find(body.plan_id as string);
  if (!plan) return failure(404, 'PLAN_NOT_FOUND', 'Plan not found');
  if (body.provider_id !== undefined && body.provider_id !== plan.provider_id)
    return failure(400, 'VALIDATION_ERROR', 'provider_id does not serve this plan');
  const reference = typeof body.reference === 'string' ? body.reference : null;
  // A reference names one order for good, also after the 24 h idempotency window.
  if (reference !== null && inventory.orderByKey(reference))
    return failure(409, 'DUPLICATE_REFERENCE', 'An order with this reference already exists');
  const extras: OrderExtras = {
    reference,
    email: body.end_customer_email as string,
    name: body.customer_name as string,
    planName: plan.name,
  };
  const result = inventory.placeOrder({
    key: reference ?? `auto-${randomUUID()}`,
    plan: termsOf(plan.id, plan),
    quantity: (body.quantity as number | undefined) ?? 1,
    customer: extras,
  });
  if (!result.ok) {
    switch (result.error) {
      case 'INSUFFICIENT_BALANCE':
        return failure(402, 'INSUFFICIENT_CREDITS', 'Insufficient credit balance');
      case 'OUT_OF_STOCK':
        return failure(409, 'OUT_OF_STOCK', 'This plan is out of stock');
      default:
        return failure(409, 'DUPLICATE_REFERENCE', 'An order with this reference already exists');
    }
  }
  return {
    status: 201,
    body: { success: true, message: 'Order created successfully', order: wireOrder(result.value) },
  };
}

/** The document's required fields, plus the assumed quantity cap and reference length. */
function validate(body: Record<string, unknown>): string | null {
  if (typeof body.plan_id !== 'string' || body.plan_id === '') return 'plan_id is required';
  const q = body.quantity;
  if (q !== undefined && (!Number.isSafeInteger(q) || (q as number) < 1 || (q as number) > MAX_ORDER_QUANTITY))
    return `quantity must be an integer from 1 to ${MAX_ORDER_QUANTITY}`;
  if (typeof body.end_customer_email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(body.end_customer_email))
    return 'end_customer_email is required';
  if (typeof body.customer_name !== 'string' || body.customer_name.trim() === '') return 'customer_name is required';
  const ref = body.reference;
  if (ref !== undefined && (typeof ref !== 'string' || ref === '' || ref.length > MAX_REFERENCE_LENGTH))
    return `reference must be 1 to ${MAX_REFERENCE_LENGTH} characters`;
  return null;
}

/** A positive integer query parameter (page, limit), its fallback when absent, null when malformed. */
export function positive(value: unknown, fallback: number): number | null {
  if (value === undefined) return fallback;
  return typeof value === 'string' && /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}
