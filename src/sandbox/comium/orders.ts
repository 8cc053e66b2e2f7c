import express, { type Request, type Response, type Router } from 'express';
import type { InventoryError } from '../shared/inventory';
import type { SimulatorControl } from '../shared/control';
import { sendError } from './errors';
import type { ComiumLedger, FailedSale } from './ledger';
import { isText, page, paging, single } from './params';
import { balances, consumption, orderItem, type WireOrderItem } from './wire';

export interface OrderRoutesState {
  readonly ledger: ComiumLedger;
  readonly control: SimulatorControl;
  readonly resellerId: string;
  readonly showGlobalEsimBundles: boolean;
}

/** Refusals of a sale or top-up, in Comium's envelope (ASSUMED statuses and texts, see README). */
export const SALE_REFUSALS: Readonly<
  Record<Exclude<InventoryError, 'KEY_REUSED' | 'NOT_FOUND'>, { status: number; message: string }>
> = {
  INSUFFICIENT_BALANCE: { status: 402, message: 'Insufficient wallet balance' },
  OUT_OF_STOCK: { status: 400, message: 'Bundle is not available' },
  NOT_ALLOWED: { status: 400, message: 'Profile cannot be topped up in its current state' },
};
export const DUPLICATE_REFERENCE = 'Duplicate order_reference';

/** Sales (`POST /Bundle`), order history (`GET /Orders`) and consumption (seed 002). */
export function orderRoutes(state: OrderRoutesState): Router {
  const router = express.Router();
  const { ledger } = state;

  router.post('/Bundle', (req, res) => {
    const { bundle_code: code, email, name, order_reference: reference } = req.body ?? {};
    if (typeof code !== 'string' || code === '') return sendError(res, 400, 'bundle_code is required');
    if (!isText(email) || !email.includes('@') || !isText(name))
      return sendError(res, 400, 'email and name are required');
    if (!isText(reference)) return sendError(res, 400, 'order_reference is required');
    const bundle = ledger.bundle(code);
    if (!bundle) return sendError(res, 404, 'Bundle not found');
    if (bundle.profile_type === 'GLOBAL_ESIM' && !state.showGlobalEsimBundles)
      return sendError(res, 400, 'Feature not supported', 'Global eSIM bundles are not enabled for this reseller');
    // The document's order_reference is "your unique reference": a second sale under it is refused.
    if (ledger.referenceTaken(reference))
      return sendError(res, 409, DUPLICATE_REFERENCE, 'This order_reference was already used for a sale or a top-up');
    const placed = ledger.inventory.placeOrder({
      key: reference,
      plan: ledger.terms(bundle),
      quantity: 1,
      customer: { email, name },
    });
    if (!placed.ok) return refuse(res, state, { reference, type: 'new', bundle, iccid: null }, placed.error);
    const item = orderItem(ledger, { kind: 'order', order: placed.value, bundle });
    sendSale(res, state, item);
  });

  router.get('/Orders', (req, res) => {
    const pages = paging(req.query);
    if (typeof pages === 'string') return sendError(res, 400, pages);
    const filter = orderFilter(req.query);
    if (typeof filter === 'string') return sendError(res, 400, filter);
    const items = ledger
      .entries()
      .map((entry) => orderItem(ledger, entry))
      .filter(filter);
    res.json(page(items, pages));
  });

  router.get('/Profile/Consumption', (req, res) => {
    const profile = findProfile(ledger, req, res);
    if (profile) res.json(consumption(ledger, profile));
  });

  // Deprecated (seed 002, "Deprecation notice"), still served: one order's balance.
  router.get('/Orders/Consumption', (req, res) => {
    const orderId = single(req.query.order_id);
    if (!orderId) return sendError(res, 400, 'order_id is required');
    const profile = ledger.profileByOrderId(orderId);
    const balance = profile && balances(ledger, profile).find((b) => b.order_id === orderId);
    if (!profile || !balance) return sendError(res, 404, 'Profile not found');
    res.setHeader('Deprecation', 'true');
    res.json({ iccid: profile.iccid, ...balance });
  });

  return router;
}

/** The documented iccid-XOR-order_id rule of /Profile/Consumption (also used by the top-up list). */
export function findProfile(ledger: ComiumLedger, req: Request, res: Response) {
  const iccid = single(req.query.iccid);
  const orderId = single(req.query.order_id);
  if (iccid && orderId) return void sendError(res, 400, 'ICCID and order_id cannot be provided together');
  if (!iccid && !orderId) return void sendError(res, 400, 'At least order_id or iccid is required');
  const profile = iccid ? ledger.inventory.profile(iccid) : ledger.profileByOrderId(orderId!);
  if (!profile) return void sendError(res, 404, 'Profile not found');
  return profile;
}

/**
 * A sale's answer: exactly the documented `POST /Bundle` 200 fields ("Assign a Bundle", step 2).
 * The ICCID is null while the assignment is pending (`orderDelayMs`); no activation details.
 */
export function sendSale(res: Response, state: OrderRoutesState, item: WireOrderItem): void {
  res.json({
    title: 'Success',
    message: 'Bundle Assigned Successfully',
    developer_message: 'Operation Successful',
    response_code: '1',
    order_id: item.order_id,
    iccid: item.iccid,
    reseller_id: state.resellerId,
    remaining_wallet_balance: Number(state.control.balance),
    // No currency_code preview is simulated (no exchange rates).
    remaining_wallet_balance_in_additional_currency: null,
    additional_currency_code: null,
  });
}

/** A top-up's answer (ASSUMED, undocumented): the sale's envelope with the top-up's `/Orders` item. */
export function sendTopUp(res: Response, state: OrderRoutesState, item: WireOrderItem): void {
  res.json({
    title: 'Success',
    message: 'Bundle Topped Up Successfully',
    developer_message: 'Operation Successful',
    response_code: '1',
    ...item,
    reseller_id: state.resellerId,
    remaining_wallet_balance: Number(state.control.balance),
  });
}

/** A business refusal: Comium's history keeps the sale as `failed`, and the caller gets the error. */
export function refuse(
  res: Response,
  state: OrderRoutesState,
  sale: Omit<FailedSale, 'id' | 'createdAt' | 'reason'>,
  error: InventoryError,
): void {
  if (error === 'NOT_FOUND') return sendError(res, 404, 'Profile not found');
  if (error === 'KEY_REUSED') return sendError(res, 409, DUPLICATE_REFERENCE);
  const refusal = SALE_REFUSALS[error];
  state.ledger.recordFailure({ ...sale, reason: refusal.message });
  sendError(res, refusal.status, refusal.message);
}

/** order_reference (exact), from_date/to_date (UTC days, inclusive), search (free text), global_esim. */
function orderFilter(query: Record<string, unknown>): ((item: WireOrderItem) => boolean) | string {
  const reference = single(query.order_reference);
  const from = single(query.from_date);
  const to = single(query.to_date);
  const search = single(query.search)?.toLowerCase();
  const globalEsim = single(query.global_esim);
  for (const [name, value] of [
    ['from_date', from],
    ['to_date', to],
  ] as const) {
    if (value !== undefined && !isDay(value)) return `Invalid ${name}`;
  }
  if (globalEsim !== undefined && globalEsim !== 'true' && globalEsim !== 'false') return 'Invalid global_esim';
  return (item) => {
    const day = item.created_at.slice(0, 10);
    const haystack = [
      item.order_id,
      item.order_reference,
      item.iccid ?? '',
      item.bundle_code,
      item.bundle_marketing_name,
    ]
      .join(' ')
      .toLowerCase();
    return (
      (reference === undefined || item.order_reference === reference) &&
      (from === undefined || day >= from) &&
      (to === undefined || day <= to) &&
      (search === undefined || haystack.includes(search)) &&
      (globalEsim === undefined || String(item.global_esim) === globalEsim)
    );
  };
}

function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}
