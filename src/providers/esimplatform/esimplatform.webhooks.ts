import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { fetchAllPages } from '../http/pagination';
import type { WebhookDelivery, WebhookSecrets, WebhookSupport, WebhookTarget } from '../provider-adapter';
import { ESIMPLATFORM_ID, isRefusal, malformedResponse as malformed } from './esimplatform.errors';
import type { AuthedSend } from './esimplatform.orders';
import { parseWebhookEvent } from './esimplatform.webhook-mapper';
import {
  WEBHOOK_EVENT_TYPES,
  type RawSubscription,
  type RawSubscriptionPage,
  type RawSubscriptionRequest,
} from './esimplatform.webhook-types';

/** How our subscription is named in the platform's dashboard. */
export const SUBSCRIPTION_NAME = 'eSIM gateway';
/** The document's example values, which we keep. */
const DELIVERY_SETTINGS = { timeout_seconds: 30, retry_count: 3 } as const;
/** ASSUMED header and format: `sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export const SIGNATURE_HEADER = 'x-webhook-signature';
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The platform's webhook-subscription endpoints (documented operations; paths ASSUMED). */
export class EsimPlatformSubscriptions {
  constructor(private readonly send: AuthedSend) {}

  /** Every subscription of the account, all pages. */
  async listAll(signal?: AbortSignal): Promise<RawSubscription[]> {
    const pages = await fetchAllPages(
      (page) => this.list(page, signal),
      (first) => first.pagination.total_pages,
      () => undefined,
    );
    return pages.flatMap((p) => p.data);
  }

  /** Under an Idempotency-Key minted once per call: a retried create cannot make two subscriptions. */
  async create(body: RawSubscriptionRequest, signal?: AbortSignal): Promise<void> {
    await this.send({
      method: 'POST',
      path: '/webhooks',
      body,
      headers: { 'idempotency-key': randomUUID() },
      idempotent: true,
      operation: 'webhooks/create',
      signal,
    });
  }

  /** PUT replaces the settings with the same values on every retry, so it is safe to retry. */
  async update(id: string, body: RawSubscriptionRequest, signal?: AbortSignal): Promise<void> {
    await this.send({
      method: 'PUT',
      path: `/webhooks/${encodeURIComponent(id)}`,
      body,
      idempotent: true,
      operation: 'webhooks/update',
      signal,
    });
  }

  /** Already gone (e.g. a retry after a lost answer) counts as deleted. */
  async remove(id: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.send({
        method: 'DELETE',
        path: `/webhooks/${encodeURIComponent(id)}`,
        idempotent: true,
        operation: 'webhooks/delete',
        signal,
      });
    } catch (error) {
      if (!isRefusal(error, 'NOT_FOUND')) throw error;
    }
  }

  private async list(page: number, signal?: AbortSignal): Promise<RawSubscriptionPage> {
    const res = await this.send({
      method: 'GET',
      path: '/webhooks',
      query: { page, limit: 100 },
      idempotent: true,
      operation: 'webhooks/list',
      signal,
    });
    const body = res.json as Partial<RawSubscriptionPage> | undefined;
    if (!Array.isArray(body?.data) || !Number.isSafeInteger(body.pagination?.total_pages)) throw malformed();
    return {
      ...body,
      data: body.data.filter((s) => typeof s?.id === 'string' && typeof s.endpoint_url === 'string'),
    } as RawSubscriptionPage;
  }
}

/**
 * The platform's callbacks. The subscription takes OUR secret (documented `secret` field), so
 * `register` returns no signing secret and `verify` checks the signature with `secrets.secret`.
 */
export function createEsimPlatformWebhooks(subscriptions: EsimPlatformSubscriptions, logger: Logger): WebhookSupport {
  return {
    register: (target, signal) => register(subscriptions, logger, target, signal),
    verify: verifyDelivery,
    parse: (delivery) => parseWebhookEvent(delivery.rawBody),
  };
}

/**
 * Idempotent across restarts and instances: subscriptions already pointing at our endpoint (same
 * origin and path, whatever the token) are reused, the first updated to our URL, secret and event
 * types, any others deleted; only when none exists is one created (the platform then sends its
 * automatic TEST event, which parses to no events).
 */
async function register(
  subscriptions: EsimPlatformSubscriptions,
  logger: Logger,
  target: WebhookTarget,
  signal?: AbortSignal,
): Promise<{ signingSecret?: string }> {
  const wanted: RawSubscriptionRequest = {
    name: SUBSCRIPTION_NAME,
    endpoint_url: target.url,
    event_types: WEBHOOK_EVENT_TYPES,
    secret: target.secret,
    ...DELIVERY_SETTINGS,
  };
  const ours = (await subscriptions.listAll(signal)).filter((s) => sameEndpoint(s.endpoint_url, target.url));
  const [kept, ...extra] = ours;
  if (kept) await subscriptions.update(kept.id, { ...wanted, status: 'active' }, signal);
  else await subscriptions.create(wanted, signal);
  await Promise.all(extra.map((s) => subscriptions.remove(s.id, signal)));
  logger.info(
    { provider: ESIMPLATFORM_ID, reused: kept?.id ?? null, removed: extra.length },
    'webhook subscription registered',
  );
  return {};
}

/**
 * `X-Webhook-Signature: sha256=<hex>` over the exact body, keyed with the subscription secret:
 * ours, or the platform's if it ever generated one. Constant-time; false on anything missing.
 */
export function verifyDelivery(delivery: WebhookDelivery, secrets: WebhookSecrets): boolean {
  const secret = secrets.signingSecret ?? secrets.secret;
  const match = SIGNATURE.exec(delivery.headers[SIGNATURE_HEADER]?.trim() ?? '');
  if (!secret || !match || typeof delivery.rawBody !== 'string') return false;
  const expected = createHmac('sha256', secret).update(delivery.rawBody, 'utf8').digest();
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Same origin and path: the query (our `token`) may differ after a secret rotation. */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}
