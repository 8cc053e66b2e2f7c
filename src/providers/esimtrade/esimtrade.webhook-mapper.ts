import { createHash } from 'node:crypto';
import { BadUserInputError } from '../../domain/errors';
import { mapStatusWord } from '../../domain/profile-status';
import type { WebhookEvent } from '../../domain/webhook-event';
import { isRecord } from './esimtrade.mapper';
import { ESIMTRADE_STATUS_TABLE, isoOrNull, mapUsage, nonEmpty } from './esimtrade.order-mapper';

/** The inbox keeps event ids up to this length; a longer provider id is hashed (still stable). */
const MAX_EVENT_ID = 120;
const ICCID_RE = /^\d{18,22}$/;

type Raw = Record<string, unknown>;
/** What every event of one delivery shares. */
type Base = Pick<WebhookEvent, 'eventId' | 'occurredAt'>;

/**
 * One verified eSIMTrade delivery `{ id, type, created_at, data }` (ASSUMED shape, README.md) →
 * the gateway's events. `id` is the dedupe key, so a repeated delivery gives the same event id.
 * `webhook.test` pings and event types we do not know need no action: []. A body that is not
 * such an object, or a known type whose `data` lacks its key fields, is a BadUserInputError.
 */
export function parseEsimTradeWebhook(rawBody: string): WebhookEvent[] {
  const payload = readPayload(rawBody);
  const base: Base = { eventId: eventIdOf(payload.id), occurredAt: isoOrNull(payload.created_at) };
  switch (payload.type) {
    case 'order.completed':
    case 'order.failed':
      return [orderEvent(base, payload.data)];
    case 'esim.status_changed':
      return [profileEvent(base, payload.data)];
    case 'esim.usage_updated':
      return [usageEvent(base, payload.data, true)];
    case 'topup.completed':
      // A top-up raises the allowance but its payload carries no totals: "read usage upstream".
      return [usageEvent(base, payload.data, false)];
    default:
      return [];
  }
}

/** The order's number and our reference; the gateway reads the order (and its eSIMs) again. */
function orderEvent(base: Base, data: unknown): WebhookEvent {
  const order = record(data, 'order');
  if (!nonEmpty(order.order_number)) throw unreadable('order.order_number');
  return {
    ...base,
    kind: 'ORDER',
    providerOrderId: order.order_number,
    reference: nonEmpty(order.reference) ? order.reference : null,
  };
}

/** The new status word through the same exhaustive table as `getProfiles`; unknown → null. */
function profileEvent(base: Base, data: unknown): WebhookEvent {
  const esim = esimOf(data);
  const rawStatus = typeof esim.raw.status === 'string' ? esim.raw.status : null;
  return { ...base, kind: 'PROFILE', ...esim.ids, rawStatus, status: mapStatusWord(ESIMTRADE_STATUS_TABLE, rawStatus) };
}

/** Usage in bytes as `/reseller/esims` reports it; an unreadable reading is left out (read upstream). */
function usageEvent(base: Base, data: unknown, withReading: boolean): WebhookEvent {
  const esim = esimOf(data);
  const reading = withReading ? mapUsage(esim.raw) : null;
  return {
    ...base,
    kind: 'USAGE',
    ...esim.ids,
    usage: reading ? { usedBytes: reading.usedBytes, totalBytes: reading.totalBytes } : null,
  };
}

/** The ICCID is eSIMTrade's only handle, so it is also the provider profile id. */
function esimOf(data: unknown): {
  raw: Raw;
  ids: Pick<WebhookEvent, 'iccid' | 'providerProfileId' | 'providerOrderId'>;
} {
  const raw = record(data, 'esim');
  if (typeof raw.iccid !== 'string' || !ICCID_RE.test(raw.iccid)) throw unreadable('data.iccid');
  return {
    raw,
    ids: {
      iccid: raw.iccid,
      providerProfileId: raw.iccid,
      providerOrderId: nonEmpty(raw.order_number) ? raw.order_number : null,
    },
  };
}

function readPayload(rawBody: string): { id: string; type: string; created_at: unknown; data: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new BadUserInputError('The eSIMTrade webhook body is not JSON.');
  }
  if (!isRecord(json)) throw unreadable('body');
  if (!nonEmpty(json.id)) throw unreadable('id');
  if (!nonEmpty(json.type)) throw unreadable('type');
  return { id: json.id, type: json.type, created_at: json.created_at, data: json.data };
}

function eventIdOf(id: string): string {
  return id.length <= MAX_EVENT_ID ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

function record(value: unknown, what: string): Raw {
  if (!isRecord(value)) throw unreadable(`data (${what})`);
  return value;
}

function unreadable(field: string): BadUserInputError {
  return new BadUserInputError(`The eSIMTrade webhook has no readable ${field}.`, field);
}
