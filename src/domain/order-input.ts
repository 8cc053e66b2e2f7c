import type { CustomerField } from './device';
import { BadUserInputError } from './errors';
import { parsePlanGlobalId } from './ids';
import { OrderFallback } from './order-fallback';
import type { ProviderId } from './provider';
import { TEXT_LIMITS, isMultilineText, isPrintable, parseOptionalText, textRule } from './text';

/** The contract states no maximum; 50 bounds one request's upstream fan-out (eSIM Access batches 30, others 1 by 1). */
export const MAX_ORDER_QUANTITY = 50;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{2,}$/;
/**
 * ITU-T E.118: "89" + up to 20 more digits, check digit included. Not Luhn-checked: recycled and
 * older ICCIDs without a valid check digit are still real, and an unknown one is simply NOT_FOUND.
 */
const ICCID = /^\d{18,22}$/;

/** `placeOrder` as the caller sent it. The idempotency key is checked where it is claimed. */
export interface RawPlaceOrder {
  readonly planId: string;
  readonly quantity?: number | null;
  readonly reference?: string | null;
  readonly customer?: { readonly email?: string | null; readonly name?: string | null } | null;
  readonly idempotencyKey: string;
  readonly fallback?: OrderFallback | null;
}

/** `placeOrder` parsed: the plan id split, the quantity defaulted, blank text read as absent. */
export interface PlaceOrderCommand {
  readonly planId: string;
  readonly providerId: ProviderId;
  readonly planCode: string;
  readonly quantity: number;
  readonly reference: string | null;
  readonly customer: { readonly email: string | null; readonly name: string | null } | null;
  readonly fallback: OrderFallback;
}

/** Validates `placeOrder` input at the edge; every refusal is BAD_USER_INPUT naming the field. */
export function parsePlaceOrder(raw: RawPlaceOrder): PlaceOrderCommand {
  const plan = parsePlanId(raw.planId);
  const quantity = raw.quantity ?? 1;
  if (!isOrderQuantity(quantity)) throw new BadUserInputError(QUANTITY_RULE, 'quantity');
  const reference = parseOptionalText(raw.reference, 'reference', TEXT_LIMITS.reference);
  const email = parseOptionalText(raw.customer?.email, 'customer.email', TEXT_LIMITS.customerEmail);
  if (email !== null && !isEmailAddress(email))
    throw new BadUserInputError('customer.email is not an email address.', 'customer.email');
  const name = parseOptionalText(raw.customer?.name, 'customer.name', TEXT_LIMITS.customerName);
  return {
    planId: raw.planId,
    ...plan,
    quantity,
    reference,
    customer: email || name ? { email, name } : null,
    fallback: raw.fallback ?? OrderFallback.NONE,
  };
}

/** `topUpProfile` as the caller sent it. The idempotency key is checked where it is claimed. */
export interface RawTopUp {
  readonly iccid: string;
  readonly planId: string;
  readonly idempotencyKey: string;
}

/** `topUpProfile` parsed: the plan id split, the ICCID trimmed. */
export interface TopUpCommand {
  readonly iccid: string;
  readonly planId: string;
  readonly providerId: ProviderId;
  readonly planCode: string;
}

/** Validates `topUpProfile` input at the edge (the plan id first, then the ICCID). */
export function parseTopUp(raw: RawTopUp): TopUpCommand {
  const plan = parsePlanId(raw.planId);
  return { iccid: parseIccid(raw.iccid), planId: raw.planId, ...plan };
}

/**
 * Refuses an order that lacks the customer details its provider needs (it e-mails the eSIM to the
 * customer itself), before any key is claimed or money moves.
 */
export function requireCustomerFields(
  request: PlaceOrderCommand,
  fields: readonly CustomerField[],
  providerName: string,
): void {
  const missing = missingCustomerFields(request.customer, fields);
  if (missing.length === 0) return;
  const names = missing.map((field) => `customer.${field.toLowerCase()}`);
  throw new BadUserInputError(
    `${providerName} delivers the eSIM to the customer: ${names.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required for its plans.`,
    names[0],
  );
}

/** Which of a provider's required customer `fields` the order does not carry. */
export function missingCustomerFields(
  customer: PlaceOrderCommand['customer'],
  fields: readonly CustomerField[],
): CustomerField[] {
  const given: Record<CustomerField, string | null> = { EMAIL: customer?.email ?? null, NAME: customer?.name ?? null };
  return fields.filter((field) => !given[field]);
}

export const QUANTITY_RULE = `quantity must be a whole number from 1 to ${MAX_ORDER_QUANTITY}.`;

export function isOrderQuantity(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_ORDER_QUANTITY;
}

export function isEmailAddress(value: string): boolean {
  return value.length <= TEXT_LIMITS.customerEmail && EMAIL.test(value) && isPrintable(value);
}

/** A plan id whose code is 1 to 150 printable characters; anything else never reaches a provider. */
export function parsePlanId(planId: string): { providerId: ProviderId; planCode: string } {
  const parsed = parsePlanGlobalId(planId);
  if (!parsed || parsed.code.length > TEXT_LIMITS.planCode || !isPrintable(parsed.code))
    throw new BadUserInputError('planId is not a plan id ("<providerId>:<code>").', 'planId');
  return { providerId: parsed.providerId, planCode: parsed.code };
}

export function isPlanId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parsed = parsePlanGlobalId(value);
  return parsed !== null && parsed.code.length <= TEXT_LIMITS.planCode && isPrintable(parsed.code);
}

export function isIccid(value: unknown): value is string {
  return typeof value === 'string' && ICCID.test(value.trim());
}

/** ICCIDs are 18 to 22 digits (ITU-T E.118, with the check digit). */
export function parseIccid(iccid: string): string {
  if (!isIccid(iccid)) throw new BadUserInputError('iccid must be 18 to 22 digits.', 'iccid');
  return iccid.trim();
}

/** 1 to 500 printable characters; line breaks and tabs are part of a message. */
export function parseSmsMessage(message: string): string {
  if (!isMultilineText(message, 1, TEXT_LIMITS.smsMessage))
    throw new BadUserInputError(textRule('message', 1, TEXT_LIMITS.smsMessage), 'message');
  return message;
}
