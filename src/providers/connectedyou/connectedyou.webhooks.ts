import { createHash, timingSafeEqual } from 'node:crypto';
import { SANDBOX_API_PREFIX } from '../../domain/sandbox-api-prefix';
import { ProviderRejectedError, ProviderUnavailableError } from '../../domain/errors';
import type { WebhookDelivery, WebhookSecrets, WebhookSupport, WebhookTarget } from '../provider-adapter';
import { CONNECTEDYOU_ID } from './connectedyou.client';
import { isObject } from './connectedyou.mapper';
import type { CyPortalWebhookSettings } from './connectedyou.types';
import type { CyNotes } from './connectedyou.order-mapper';
import { parseCyEvent } from './connectedyou.webhook-mapper';

/**
 * ConnectedYou's outbound events are configured in the reseller portal only (Account › Settings ›
 * Outbound Events), with an optional custom header name + value as their only authentication
 * (research §2.2). The header NAME is ours to choose: ASSUMED `X-Gateway-Token`, valued with
 * ConnectedYou's own webhook credential (never another provider's), which the URL also carries as
 * `?token=`. The operator enters both in the portal, and again after each rotation.
 */
export const CY_WEBHOOK_HEADER = 'X-Gateway-Token';

/**
 * `webhooks` of the adapter. `register` exists only against the sandbox, whose `PUT
 * /_portal/webhook` stands in for the portal form; with real credentials the operator fills in
 * the portal (README), so there is no `register` at all.
 */
export function createCyWebhooks(portal: CySandboxPortal | null, notes?: CyNotes): WebhookSupport {
  return {
    ...(portal ? { register: (target: WebhookTarget, signal?: AbortSignal) => portal.register(target, signal) } : {}),
    verify: verifyCyDelivery,
    parse: (delivery) => parseCyEvent(delivery.rawBody, notes),
  };
}

/**
 * Every credential the delivery carries (the custom header, the URL's `token`) must equal our
 * secret, and it must carry at least one. No I/O; constant-time comparisons.
 */
export function verifyCyDelivery(delivery: WebhookDelivery, secrets: WebhookSecrets): boolean {
  const header = delivery.headers[CY_WEBHOOK_HEADER.toLowerCase()];
  const token = delivery.query.token;
  if (header === undefined && token === undefined) return false;
  return (
    (header === undefined || sameSecret(header, secrets.secret)) &&
    (token === undefined || sameSecret(token, secrets.secret))
  );
}

/** Compares digests, so the buffers have equal length and the secret's length does not leak. */
function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || !given || !expected) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The simulator's root (`…/sandbox/connectedyou`): the API's base URL without its `/v1`. */
export function sandboxRootOf(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  const prefix = SANDBOX_API_PREFIX.connectedyou;
  return trimmed.endsWith(prefix) ? trimmed.slice(0, -prefix.length) : trimmed;
}

/** The sandbox's emulation of the portal's Outbound Events form (not part of ConnectedYou's API). */
export class CySandboxPortal {
  constructor(
    private readonly root: string,
    private readonly timeoutMs: number,
  ) {}

  /** Points every event type at `target.url` with our header; ConnectedYou hands back no secret. */
  async register(target: WebhookTarget, signal?: AbortSignal): Promise<void> {
    const settings: CyPortalWebhookSettings = {
      url: target.url,
      header_name: CY_WEBHOOK_HEADER,
      header_value: target.secret,
    };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.root}/_portal/webhook`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(settings),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch {
      throw new ProviderUnavailableError(CONNECTEDYOU_ID, timeout.aborted ? 'TIMEOUT' : 'NETWORK');
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return;
    if (response.status >= 500) throw new ProviderUnavailableError(CONNECTEDYOU_ID, 'SERVER_ERROR');
    const error = isObject(body) && isObject(body.error) ? body.error : {};
    // Our own settings were refused (a bad URL): not retryable, and the portal's message is ours to show.
    throw new ProviderRejectedError(
      CONNECTEDYOU_ID,
      typeof error.code === 'string' ? error.code : `http_${response.status}`,
      'the sandbox portal refused the webhook settings',
    );
  }
}
