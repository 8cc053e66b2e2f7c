import { createHash } from 'node:crypto';
import { BadUserInputError } from '../../domain/errors';
import { mapStatusWord } from '../../domain/profile-status';
import type { WebhookEvent } from '../../domain/webhook-event';
import { ESIM_STATUS_TABLE, isoUtc, mapProfileUsage } from './esimplatform.order-mapper';
import type { RawProfileUsage } from './esimplatform.order-types';
import type { RawWebhookEvent } from './esimplatform.webhook-types';

/** The inbox's limit on event ids. */
const MAX_EVENT_ID_LENGTH = 120;

type Fields = Readonly<Record<string, unknown>>;
type Base = Pick<WebhookEvent, 'eventId' | 'occurredAt'>;

/**
 * One delivery's body → the gateway's events. Pure. The document prints no delivery body, so all
 * of this is ASSUMED: envelope `{ id, event_type, created_at, data }`, each `data` carrying the
 * object the REST API answers:
 * - TEST (automatic test on creation, "Send Test Webhook") → [] (nothing to act on);
 * - ORDER_STATUS `{ order }` → ORDER (the gateway reads the order for its eSIM);
 * - ESIM_STATUS `{ profile }` ("Get Profile Information") → PROFILE, the word through the same
 *   table as `getProfiles`;
 * - ESIM_USAGE `{ usage }` ("Get Profile Usage" plus the `iccid`) → USAGE with the reading, MB
 *   read as bytes like `getUsage`;
 * - TOPUP_STATUS `{ topup: { iccid, package_code } }` → USAGE without a reading: the allowance
 *   grew, read it upstream;
 * - any other type → [] (a type we never subscribed to; acting on a guess would be worse).
 * The document shows no expiry, device or usage-threshold signal, so no EXPIRY or DEVICE event
 * and no `remainingThreshold` is ever derived. An unreadable body, or a known type without the
 * fields that name its object, throws `BadUserInputError`.
 */
export function parseWebhookEvent(rawBody: string): WebhookEvent[] {
  const event = envelopeOf(rawBody);
  const base: Base = { eventId: eventIdOf(event), occurredAt: isoUtc(event.created_at) };
  switch (event.event_type.trim().toUpperCase()) {
    case 'TEST':
      return [];
    case 'ORDER_STATUS':
      return [orderEvent(base, objectAt(event.data, 'order'))];
    case 'ESIM_STATUS':
      return [profileEvent(base, objectAt(event.data, 'profile'))];
    case 'ESIM_USAGE':
      return [usageEvent(base, objectAt(event.data, 'usage'))];
    case 'TOPUP_STATUS':
      return [topUpEvent(base, objectAt(event.data, 'topup'))];
    default:
      return [];
  }
}

/**
 * The platform's event id (the same on every retry and duplicate of one event); when absent, one
 * derived from the event's stable content, so a repeated delivery still dedupes.
 */
export function eventIdOf(event: RawWebhookEvent): string {
  if (typeof event.id === 'string' && event.id.trim() !== '' && event.id.length <= MAX_EVENT_ID_LENGTH)
    return event.id.trim();
  const content = JSON.stringify([event.event_type, event.created_at ?? null, event.data ?? null]);
  return `derived-${createHash('sha256').update(content, 'utf8').digest('hex')}`;
}

function orderEvent(base: Base, order: Fields): WebhookEvent {
  const id = text(order.id);
  return { ...base, kind: 'ORDER', providerOrderId: id, reference: optionalText(order.reference) };
}

/** The ICCID is the platform's only shown eSIM handle, so it is our `providerProfileId` too. */
function profileEvent(base: Base, profile: Fields): WebhookEvent {
  const rawStatus = text(profile.status);
  const iccid = text(profile.iccid);
  return {
    ...base,
    kind: 'PROFILE',
    iccid,
    providerProfileId: iccid,
    rawStatus,
    status: mapStatusWord(ESIM_STATUS_TABLE, rawStatus),
  };
}

function usageEvent(base: Base, usage: Fields): WebhookEvent {
  const iccid = text(usage.iccid);
  const reading = mapProfileUsage(usage as unknown as RawProfileUsage, '');
  return {
    ...base,
    kind: 'USAGE',
    iccid,
    providerProfileId: iccid,
    // A malformed reading is left out, so the gateway reads usage upstream instead of storing a guess.
    ...(reading ? { usage: { usedBytes: reading.usedBytes, totalBytes: reading.totalBytes } } : {}),
  };
}

function topUpEvent(base: Base, topUp: Fields): WebhookEvent {
  const iccid = text(topUp.iccid);
  return { ...base, kind: 'USAGE', iccid, providerProfileId: iccid };
}

function envelopeOf(rawBody: string): RawWebhookEvent & { readonly event_type: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw unreadable();
  }
  if (!isObject(parsed) || typeof parsed.event_type !== 'string' || parsed.event_type.trim() === '') throw unreadable();
  return { id: parsed.id, event_type: parsed.event_type, created_at: parsed.created_at, data: parsed.data };
}

function objectAt(data: unknown, key: string): Fields {
  const value = isObject(data) ? data[key] : undefined;
  if (!isObject(value)) throw unreadable();
  return value;
}

function text(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw unreadable();
  return value.trim();
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unreadable(): BadUserInputError {
  return new BadUserInputError('The eSIM platform webhook body could not be read.');
}
