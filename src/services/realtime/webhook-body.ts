import { BadUserInputError } from '../../domain/errors';
import type { WebhookEvent } from '../../domain/webhook-event';
import type { WebhookDelivery, WebhookSupport } from '../../providers/provider-adapter';

/** Deepest JSON nesting a delivery may have; real payloads stay under 6. */
export const MAX_WEBHOOK_DEPTH = 32;
/** Largest normalized event stored: well inside a MySQL TEXT column (64 KiB). */
const MAX_EVENT_JSON = 8 * 1024;

/**
 * Turns an authenticated delivery into events, or throws `BadUserInputError` (the route answers
 * 400, nothing is stored). The nesting is bounded before any parser sees the body: mappers walk
 * it recursively, and 100 000 levels of `[` would overflow the stack (a 500) instead.
 */
export function readDelivery(webhooks: WebhookSupport, delivery: WebhookDelivery): WebhookEvent[] {
  if (jsonDepth(delivery.rawBody) > MAX_WEBHOOK_DEPTH)
    throw unreadable(`the body nests deeper than ${MAX_WEBHOOK_DEPTH} levels`);
  let events: WebhookEvent[];
  try {
    events = webhooks.parse(delivery);
  } catch (error) {
    if (error instanceof BadUserInputError) throw error;
    throw unreadable('the body could not be read');
  }
  if (events.some((event) => JSON.stringify(event).length > MAX_EVENT_JSON)) throw unreadable('an event is too large');
  return events;
}

/** Deepest `[`/`{` nesting outside strings, in one pass without recursion; stops once past the bound. */
export function jsonDepth(text: string, stopAt = MAX_WEBHOOK_DEPTH + 1): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, quotes included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest && (deepest = depth) >= stopAt) return deepest;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

function unreadable(reason: string): BadUserInputError {
  return new BadUserInputError(`Unreadable webhook delivery: ${reason}.`, 'body');
}
