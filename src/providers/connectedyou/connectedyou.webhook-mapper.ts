import { createHash } from 'node:crypto';
import { mbToBytes } from '../../domain/data-units';
import { BadUserInputError } from '../../domain/errors';
import { mapStatusWord } from '../../domain/profile-status';
import type { WebhookEvent } from '../../domain/webhook-event';
import { includes, isObject } from './connectedyou.mapper';
import { ESIM_STATUS_TABLE, isoOf, megabytes } from './connectedyou.order-mapper';
import type { CyEventType } from './connectedyou.types';

/**
 * ConnectedYou's outbound events (research §2.2) to the gateway's `WebhookEvent`s. Pure: the
 * adapter's `parse` is this function over the delivery's raw body.
 */

const EVENT_TYPES: readonly CyEventType[] = ['USAGE_ALERT', 'PROFILE_LIFECYCLE', 'PRODUCT_STATUS_CHANGE'];
const ICCID = /^\d{18,22}$/;

type Raw = Record<string, unknown>;
/** What every event of one delivery shares. */
interface Common {
  readonly eventId: string;
  readonly occurredAt: string | null;
  readonly iccid: string;
  readonly providerProfileId: string;
}

/**
 * One delivery is one flat event. An `event_type` we do not know (a portal test, a type added
 * later) needs no action and gives [], so the provider does not retry it; a body we cannot read
 * throws `BadUserInputError`.
 */
export function parseCyEvent(rawBody: string): WebhookEvent[] {
  let raw: unknown;
  try {
    raw = JSON.parse(rawBody);
  } catch {
    throw unreadable('the body is not JSON');
  }
  if (!isObject(raw)) throw unreadable('the body is not a JSON object');
  const type = raw.event_type;
  if (typeof type !== 'string' || !type) throw unreadable('event_type is missing');
  if (!includes(EVENT_TYPES, type)) return [];
  const { iccid } = raw;
  if (typeof iccid !== 'string' || !ICCID.test(iccid)) throw unreadable('iccid is missing or not digits');
  const occurredAt = isoOf(raw.event_timestamp);
  if (occurredAt === undefined) throw unreadable('event_timestamp is not a timestamp');
  const common = (stable: readonly unknown[]): Common => ({ eventId: eventIdOf(type, iccid, raw.event_timestamp, stable), occurredAt, iccid, providerProfileId: iccid });
  switch (type) {
    case 'USAGE_ALERT':
      return [usageEvent(raw, common([raw.data_consumed, raw.data_total]))];
    case 'PROFILE_LIFECYCLE':
      return [lifecycleEvent(raw, common([raw.status, raw.order_id ?? null]))];
    case 'PRODUCT_STATUS_CHANGE':
      return [productStatusEvent(raw, common([raw.product_status, raw.product_id ?? null]))];
  }
}

/**
 * ConnectedYou sends no event id, so it is derived from the fields that name the event
 * (research §2.2: iccid, event_type, event_timestamp, status): a redelivery gives the same id.
 */
export function eventIdOf(type: CyEventType, iccid: string, timestamp: unknown, stable: readonly unknown[]): string {
  const digest = createHash('sha256').update(JSON.stringify([type, iccid, timestamp ?? null, ...stable])).digest('hex');
  return `cy_${digest}`;
}

/** MB (two decimals) to bytes; `data_total` null means unlimited (sandbox only). */
function usageEvent(raw: Raw, common: Common): WebhookEvent {
  const used = megabytes(raw.data_consumed);
  const total = raw.data_total === null ? null : megabytes(raw.data_total);
  if (used === null || (total === null && raw.data_total !== null)) throw unreadable('data_consumed or data_total is not a number of MB');
  return { ...common, kind: 'USAGE', usage: { usedBytes: mbToBytes(used), totalBytes: total === null ? null : mbToBytes(total) } };
}

/**
 * A device-side word through the eSIM status table. ASSUMED: the event that carries `order_id`
 * is the one the provider sends per eSIM when an order is allocated, so it is an ORDER event.
 */
function lifecycleEvent(raw: Raw, common: Common): WebhookEvent {
  const { status } = raw;
  if (typeof status !== 'string' || !status.trim()) throw unreadable('status is missing');
  const profile = { ...common, rawStatus: status, status: mapStatusWord(ESIM_STATUS_TABLE, status) };
  if (typeof raw.order_id !== 'string' || !raw.order_id) return { ...profile, kind: 'PROFILE' };
  return { ...profile, kind: 'ORDER', providerOrderId: raw.order_id, reference: typeof raw.reference === 'string' && raw.reference ? raw.reference : null };
}

/**
 * The eSIM's plan started (ACTIVATED, first attach) or ended (TERMINATED: used up OR expired).
 * Not eSIM words: the table maps them to null, so the gateway re-reads the eSIM for its state.
 */
function productStatusEvent(raw: Raw, common: Common): WebhookEvent {
  const word = raw.product_status;
  if (typeof word !== 'string' || !word.trim()) throw unreadable('product_status is missing');
  return { ...common, kind: 'PROFILE', rawStatus: word, status: mapStatusWord(ESIM_STATUS_TABLE, word) };
}

function unreadable(why: string): BadUserInputError {
  return new BadUserInputError(`Unreadable ConnectedYou event: ${why}.`);
}
