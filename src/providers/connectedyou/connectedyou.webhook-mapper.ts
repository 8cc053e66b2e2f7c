import { createHash } from 'node:crypto';
import { mbToBytes } from '../../domain/data-units';
import { BadUserInputError } from '../../domain/errors';
import type { WebhookEvent } from '../../domain/webhook-event';
import { includes, isObject } from './connectedyou.mapper';
import { isoOf, megabytes, type CyNotes } from './connectedyou.order-mapper';
import { CY_DEVICE_TABLE, CY_PRODUCT_STATUS_TABLE, lookUp } from './connectedyou.status';
import type { CyEventType } from './connectedyou.types';

/**
 * ConnectedYou's outbound events (GitBook, published examples `CONNECTEDYOU_WEBHOOKS`) to the
 * gateway's `WebhookEvent`s. Pure: the adapter's `parse` is this function over the delivery's raw
 * body. Three documented types, three kinds:
 * - PROFILE_LIFECYCLE (`status` DOWNLOADED…DELETED, `eid`): what the DEVICE did → DEVICE, with no
 *   plan status (a phone enabling or disabling the profile never moves the plan);
 * - PRODUCT_STATUS_CHANGE (`product_status` ACTIVATED / TERMINATED): the PLAN → PROFILE;
 * - USAGE_ALERT (`data_consumed`/`data_total` MB, `percentage_consumed` = percent USED) → USAGE.
 */

const EVENT_TYPES: readonly CyEventType[] = ['USAGE_ALERT', 'PROFILE_LIFECYCLE', 'PRODUCT_STATUS_CHANGE'];
const ICCID = /^\d{18,22}$/;
/** The documented alert levels, percent of the package USED ("at 50 % and 80 %"), highest first. */
export const CY_ALERT_LEVELS = [80, 50] as const;

type Raw = Record<string, unknown>;
/** What every event of one delivery shares. */
interface Common {
  readonly eventId: string;
  readonly occurredAt: string | null;
  readonly iccid: string;
  readonly providerProfileId: string;
}
const SILENT: CyNotes = { missingField: () => undefined, unknownWord: () => undefined };

/**
 * One delivery is one flat event. An `event_type` we do not know (a portal test, a type added
 * later) needs no action and gives [], so the provider does not retry it. A body without the
 * fields that name the event (JSON object, `event_type`, an all-digit `iccid`, a timestamp, the
 * lifecycle or product word) throws `BadUserInputError`; a documented figure that is missing
 * only leaves that figure out (said once through `notes`).
 */
export function parseCyEvent(rawBody: string, notes: CyNotes = SILENT): WebhookEvent[] {
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
  if (occurredAt === null)
    notes.missingField('event.event_timestamp', 'occurredAt null (the gateway re-reads instead of ordering by time)');
  const common = (stable: readonly unknown[]): Common => ({
    eventId: eventIdOf(type, iccid, raw.event_timestamp, stable),
    occurredAt,
    iccid,
    providerProfileId: iccid,
  });
  switch (type) {
    case 'USAGE_ALERT':
      return [usageEvent(raw, common([raw.data_consumed, raw.data_total]), notes)];
    case 'PROFILE_LIFECYCLE':
      return [deviceEvent(raw, common([raw.status, raw.eid ?? null]), notes)];
    case 'PRODUCT_STATUS_CHANGE':
      return [productStatusEvent(raw, common([raw.product_status, raw.product_id ?? null]), notes)];
  }
}

/**
 * ConnectedYou sends no event id, so it is derived from the fields that name the event
 * (research §2.2: iccid, event_type, event_timestamp, status): a redelivery gives the same id.
 */
export function eventIdOf(type: CyEventType, iccid: string, timestamp: unknown, stable: readonly unknown[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([type, iccid, timestamp ?? null, ...stable]))
    .digest('hex');
  return `cy_${digest}`;
}

/**
 * The reading in MB → bytes, and the level crossed as the fraction LEFT: `percentage_consumed`
 * is the percent used when the alert fired (51.27 at the 50 % alert, 80.57 at the 80 % one), so
 * the level is the highest documented one it reached, and 80 % used is 0.2 left. Without
 * `percentage_consumed` the percent is derived from the two MB figures.
 */
function usageEvent(raw: Raw, common: Common, notes: CyNotes): WebhookEvent {
  const used = megabytes(raw.data_consumed);
  const total = megabytes(raw.data_total);
  if (used === null) notes.missingField('USAGE_ALERT.data_consumed', 'no reading in the event: usage is read upstream');
  if (total === null)
    notes.missingField('USAGE_ALERT.data_total', used === null ? 'no reading in the event' : 'total left null');
  const usage =
    used === null ? null : { usedBytes: mbToBytes(used), totalBytes: total === null ? null : mbToBytes(total) };
  let percent = megabytes(raw.percentage_consumed);
  if (percent === null && used !== null && total !== null && total > 0) {
    notes.missingField('USAGE_ALERT.percentage_consumed', 'derived from data_consumed / data_total');
    percent = (used / total) * 100;
  }
  return { ...common, kind: 'USAGE', usage, remainingThreshold: remainingThresholdOf(percent) };
}

/** The documented level a percent-used figure reached, as the fraction left (80 → 0.2); null below 50 % or unknown. */
export function remainingThresholdOf(percentUsed: number | null): number | null {
  if (percentUsed === null) return null;
  const level = CY_ALERT_LEVELS.find((l) => percentUsed >= l);
  return level === undefined ? null : (100 - level) / 100;
}

/** The device word through the device table (unknown → state null, word kept) and the EID where sent. */
function deviceEvent(raw: Raw, common: Common, notes: CyNotes): WebhookEvent {
  const word = typeof raw.status === 'string' ? raw.status.trim() : '';
  if (!word) throw unreadable('status is missing');
  const state = lookUp(CY_DEVICE_TABLE, word);
  if (state === null) notes.unknownWord('PROFILE_LIFECYCLE status', word, 'device state null (raw word kept)');
  const eid = typeof raw.eid === 'string' && raw.eid.trim() ? raw.eid.trim() : null;
  if (eid === null) notes.missingField('PROFILE_LIFECYCLE.eid', 'eid left null');
  return { ...common, kind: 'DEVICE', device: { state, rawState: word, eid } };
}

/** The plan started (ACTIVATED → ACTIVE) or ended (TERMINATED → DEPLETED, see CY_PRODUCT_STATUS_TABLE). */
function productStatusEvent(raw: Raw, common: Common, notes: CyNotes): WebhookEvent {
  const word = typeof raw.product_status === 'string' ? raw.product_status.trim() : '';
  if (!word) throw unreadable('product_status is missing');
  const status = lookUp(CY_PRODUCT_STATUS_TABLE, word);
  if (status === null)
    notes.unknownWord('PRODUCT_STATUS_CHANGE product_status', word, 'null (the gateway re-reads the eSIM)');
  return { ...common, kind: 'PROFILE', rawStatus: word, status };
}

function unreadable(why: string): BadUserInputError {
  return new BadUserInputError(`Unreadable ConnectedYou event: ${why}.`);
}
