import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookEvent } from '../../domain/webhook-event';
import type { ProviderNotes } from '../kit/notes';
import type { WebhookDelivery, WebhookSecrets, WebhookSupport, WebhookTarget } from '../provider-adapter';
import type { EsimAccessClient } from './esimaccess.client';
import { mapEsimAccessWebhook } from './esimaccess.webhook-mapper';

/**
 * eSIM Access callbacks (research §1.7). Registration is `webhook/save { webhook: <url> }`; the
 * provider tests the URL with a CHECK_HEALTH delivery before saving it, so the gateway's
 * `/webhooks/esimaccess` must already answer 200 (with this secret) when `register` runs.
 *
 * Deliveries are NOT signed: the only documented defence is the sender IP allow-list, which a
 * delivery does not carry here. A delivery is authentic when it carries our secret in the `token`
 * query parameter of the URL we registered. The provider hands back no secret of its own.
 */
export function esimAccessWebhooks(client: EsimAccessClient, notes: ProviderNotes): WebhookSupport {
  return {
    async register(target: WebhookTarget, signal?: AbortSignal): Promise<void> {
      // Saving the same URL again only repeats the test delivery, so retries are safe.
      await client.post('webhook/save', { webhook: target.url }, { idempotent: true, signal });
    },
    verify: verifyEsimAccessDelivery,
    parse: (delivery: WebhookDelivery) => sayUnknownWords(mapEsimAccessWebhook(delivery.rawBody), notes),
  };
}

/** The pure mapper answers null for a word its tables lack; the adapter says so once per word. */
function sayUnknownWords(events: WebhookEvent[], notes: ProviderNotes): WebhookEvent[] {
  for (const e of events) {
    if (e.kind === 'PROFILE' && e.status === null)
      notes.unknownWord('esimStatus/smdpStatus', e.rawStatus, 'status null (the stored status stays)', {
        eventId: e.eventId,
      });
    if (e.device && e.device.state === null)
      notes.unknownWord('smdpStatus', e.device.rawState, 'device state null (the raw word is kept)', {
        eventId: e.eventId,
      });
  }
  return events;
}

/** `query.token` against our secret, in constant time; false when either is missing. */
export function verifyEsimAccessDelivery(delivery: WebhookDelivery, secrets: WebhookSecrets): boolean {
  const given = delivery.query.token;
  if (typeof given !== 'string' || given === '' || !secrets.secret) return false;
  // Digests have equal lengths, so neither the comparison nor its duration reveals the secret's length.
  return timingSafeEqual(digest(given), digest(secrets.secret));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
