import { BadUserInputError } from './errors';
import { parsePlanGlobalId } from './ids';
import type { ProviderId } from './provider';

export const MAX_ORDER_QUANTITY = 50;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{2,}$/;
const ICCID = /^\d{18,22}$/;

export interface PlaceOrderRequest {
  readonly planId: string;
  readonly providerId: ProviderId;
  readonly planCode: string;
  readonly quantity: number;
  readonly reference: string | null;
  readonly customer: { readonly email: string | null; readonly name: string | null } | null;
}

/** Validates `placeOrder` input at the edge; every refusal is BAD_USER_INPUT naming the field. */
export function parsePlaceOrder(input: { planId: string; quantity?: number | null; reference?: string | null; customer?: { email?: string | null; name?: string | null } | null }): PlaceOrderRequest {
  const plan = parsePlanId(input.planId);
  const quantity = input.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_ORDER_QUANTITY) throw new BadUserInputError(`quantity must be a whole number from 1 to ${MAX_ORDER_QUANTITY}.`, 'quantity');
  const reference = optionalText(input.reference, 100, 'reference');
  const email = optionalText(input.customer?.email, 254, 'customer.email');
  if (email !== null && !EMAIL.test(email)) throw new BadUserInputError('customer.email is not an email address.', 'customer.email');
  const name = optionalText(input.customer?.name, 200, 'customer.name');
  return { planId: input.planId, ...plan, quantity, reference, customer: email || name ? { email, name } : null };
}

export function parsePlanId(planId: string): { providerId: ProviderId; planCode: string } {
  const parsed = parsePlanGlobalId(planId);
  if (!parsed || parsed.code.length > 150) throw new BadUserInputError('planId is not a plan id ("<providerId>:<code>").', 'planId');
  return { providerId: parsed.providerId, planCode: parsed.code };
}

/** ICCIDs are 18 to 22 digits (ITU-T E.118, with the check digit). */
export function parseIccid(iccid: string): string {
  const trimmed = iccid.trim();
  if (!ICCID.test(trimmed)) throw new BadUserInputError('iccid must be 18 to 22 digits.', 'iccid');
  return trimmed;
}

export function parseSmsMessage(message: string): string {
  if (message.trim().length === 0 || message.length > 500) throw new BadUserInputError('message must be 1 to 500 characters.', 'message');
  return message;
}

function optionalText(value: string | null | undefined, max: number, field: string): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length > max || /[\u0000-\u001f]/.test(trimmed)) throw new BadUserInputError(`${field} must be at most ${max} printable characters.`, field);
  return trimmed;
}
