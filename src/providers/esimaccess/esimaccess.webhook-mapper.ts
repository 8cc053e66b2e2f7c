import { createHash } from 'node:crypto';
import { BadUserInputError } from '../../domain/errors';
import type { WebhookEvent } from '../../domain/webhook-event';
import { mapDevice, mapProfileStatus, parseProviderTime } from './esimaccess.lifecycle-mapper';

/**
 * eSIM Access notifications (research §1.7) → WebhookEvent[]. Pure: no I/O, no clock.
 *
 * Envelope `{ notifyType, notifyId, eventGenerateTime, content }`; older deliveries lack
 * `notifyId` and `eventGenerateTime`, so both are optional. One notification gives at most one
 * event:
 * - CHECK_HEALTH (the test `webhook/save` fires) → [];
 * - ORDER_STATUS → ORDER (orderNo, our transactionId; no ICCID, the gateway reads the order);
 * - ESIM_STATUS → PROFILE, the (esimStatus, smdpStatus) pair through the same table as
 *   `getProfiles`, plus the SM-DP+ word as `device`;
 * - SMDP_EVENT → DEVICE: the SM-DP+ server's step (`smdpStatus`, `eid`) only. Its `esimStatus`
 *   is a copy of the plan state at that moment, not a change of it, so it never becomes a status;
 * - DATA_USAGE → USAGE with bytes (`orderUsage`, `totalVolume`; 0 total = unlimited) and the
 *   alert level `remainThreshold` (fraction left) as `remainingThreshold`;
 * - VALIDITY_USAGE (about a day of validity left) → EXPIRY with `expiresAt` = `expiredTime`;
 * - any unknown type → [] (answered 200, so the provider does not retry).
 */

/** Longest id the inbox takes. */
const MAX_EVENT_ID = 120;

type Fields = Record<string, unknown>;

export function mapEsimAccessWebhook(rawBody: string): WebhookEvent[] {
  const body = readBody(rawBody);
  const notifyType = text(body.notifyType)?.toUpperCase();
  if (!notifyType) throw unreadable('notifyType is missing');
  if (notifyType === 'CHECK_HEALTH') return [];
  const content = body.content;
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    throw unreadable('content is not an object');
  const c = content as Fields;
  const eventId = eventIdOf(notifyType, body, c);
  const generatedAt = parseProviderTime(body.eventGenerateTime);
  const order = { reference: text(c.transactionId), providerOrderId: text(c.orderNo) };
  switch (notifyType) {
    case 'ORDER_STATUS':
      if (!order.reference && !order.providerOrderId) throw unreadable('ORDER_STATUS names no order');
      return [{ eventId, kind: 'ORDER', occurredAt: generatedAt, ...order, rawStatus: text(c.orderStatus) }];
    case 'ESIM_STATUS': {
      // ESIM_STATUS documents no eid: the device report keeps the stored one.
      const device = mapDevice(c.smdpStatus, 'eid' in c ? c.eid : undefined);
      return [
        {
          eventId,
          kind: 'PROFILE',
          occurredAt: generatedAt,
          ...order,
          ...profileOf(c, notifyType),
          ...mapProfileStatus(c.esimStatus, c.smdpStatus),
          device,
        },
      ];
    }
    case 'SMDP_EVENT': {
      // The SM-DP+ server's own time orders install steps better than the envelope's.
      const occurredAt = parseProviderTime(c.timestamp) ?? generatedAt;
      const device = mapDevice(c.smdpStatus, c.eid ?? null);
      if (!device) throw unreadable('SMDP_EVENT carries no smdpStatus');
      return [{ eventId, kind: 'DEVICE', occurredAt, ...order, ...profileOf(c, notifyType), device }];
    }
    case 'DATA_USAGE':
      // lastUpdateTime is when the provider measured, which orders readings of one profile.
      return [
        {
          eventId,
          kind: 'USAGE',
          occurredAt: parseProviderTime(c.lastUpdateTime) ?? generatedAt,
          ...order,
          ...profileOf(c, notifyType),
          usage: usageOf(c),
          remainingThreshold: fraction(c.remainThreshold),
        },
      ];
    case 'VALIDITY_USAGE':
      // `remain` counts days left; the expiry itself is what the gateway stores.
      return [
        {
          eventId,
          kind: 'EXPIRY',
          occurredAt: generatedAt,
          ...order,
          ...profileOf(c, notifyType),
          expiresAt: parseProviderTime(c.expiredTime),
        },
      ];
    default:
      return [];
  }
}

/** `notifyId` when present (the documented dedupe key), else a hash of everything a repeat repeats. */
export function eventIdOf(notifyType: string, body: Fields, content: Fields): string {
  const notifyId = text(body.notifyId);
  if (notifyId && notifyId.length <= MAX_EVENT_ID) return notifyId;
  const stable = canonical({
    notifyType,
    eventGenerateTime: body.eventGenerateTime ?? null,
    notifyId: notifyId ?? null,
    content,
  });
  return `derived-${createHash('sha256').update(stable).digest('hex')}`;
}

function readBody(rawBody: string): Fields {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw unreadable('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw unreadable('the body is not a JSON object');
  return body as Fields;
}

function profileOf(c: Fields, notifyType: string): { iccid: string | null; providerProfileId: string | null } {
  const iccid = text(c.iccid);
  const providerProfileId = text(c.esimTranNo);
  if (!iccid && !providerProfileId) throw unreadable(`${notifyType} names no profile`);
  return { iccid, providerProfileId };
}

/** Bytes; a reading with an unreadable number is dropped (null: the gateway reads usage upstream). */
function usageOf(c: Fields): WebhookEvent['usage'] {
  const used = bytes(c.orderUsage);
  const total = bytes(c.totalVolume);
  if (used === null || total === null) return null;
  // totalVolume 0 is an unlimited plan, as in esim/query (ASSUMED, README).
  return { usedBytes: used, totalBytes: total === 0 ? null : total };
}

/** `remainThreshold` is already the fraction LEFT (0.5, 0.25, 0.1); anything outside 0..1 is unreadable → null. */
function fraction(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d*\.?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

function bytes(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** JSON with sorted keys, so a repeat whose keys come in another order hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value as Fields)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Fields)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function unreadable(reason: string): BadUserInputError {
  return new BadUserInputError(`Unreadable eSIM Access notification: ${reason}.`, 'body');
}
