import { randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import type { IdempotencyStore } from '../shared/idempotency-store';
import { maskUrl } from '../shared/webhook-mask';
import { failure, sendError } from './errors';
import { idempotent } from './idempotency';
import { positive } from './orders';
import {
  EVENT_TYPES,
  type EventType,
  type Subscription,
  type SubscriptionSettings,
  type SubscriptionStatus,
  type WebhookHub,
} from './webhook-hub';

/**
 * "Webhooks" of seed 003 under /webhooks (paths ASSUMED; the document names the operations only):
 * GET /webhooks, POST /webhooks, GET|PUT|DELETE /webhooks/:id, POST /webhooks/:id/test,
 * GET /webhooks/:id/logs.
 */

const STATUSES: readonly SubscriptionStatus[] = ['active', 'inactive', 'failed'];
/** ASSUMED bounds of the documented settings (examples: 30 s, 3 retries). */
const TIMEOUT_RANGE = [1, 60] as const;
const RETRY_RANGE = [0, 10] as const;
const SECRET_LENGTH = [8, 256] as const;
const DEFAULTS = { timeoutSeconds: 30, retryCount: 3 } as const;

export function webhooksRouter(hub: WebhookHub, idempotency: IdempotencyStore): Router {
  const router = express.Router();
  const notFound = () => failure(404, 'NOT_FOUND', 'Webhook subscription not found');

  router.get('/webhooks', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const page = positive(q.page, 1);
    const limit = positive(q.limit, 20);
    if (page === null || limit === null)
      return sendError(res, 400, 'VALIDATION_ERROR', 'page and limit must be positive integers');
    const size = Math.min(limit, 100);
    const matching = hub.list().filter((s) => typeof q.status !== 'string' || s.status === q.status);
    res.json({
      success: true,
      data: matching.slice((page - 1) * size, page * size).map(view),
      pagination: { page, limit: size, total: matching.length, total_pages: Math.ceil(matching.length / size) },
      // Documented: the list comes "with available event types".
      available_event_types: EVENT_TYPES,
    });
  });

  // "Create a new webhook subscription with automatic test": the TEST event is queued at once.
  router.post(
    '/webhooks',
    idempotent(idempotency, (req) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const generated = body.secret === undefined ? `whsec_${randomBytes(24).toString('hex')}` : null;
      const settings = settingsOf({ ...body, secret: body.secret ?? generated }, null);
      if (typeof settings === 'string') return failure(400, 'VALIDATION_ERROR', settings);
      const sub = hub.create(settings);
      const testId = hub.publish('TEST', testData(sub), sub);
      // A secret the platform generated is shown once, on creation (ASSUMED).
      const shown = generated === null ? {} : { secret: generated };
      return {
        status: 201,
        body: {
          success: true,
          message: 'Webhook subscription created',
          subscription: { ...view(sub), ...shown },
          test_webhook: { event_id: testId, status: 'queued' },
        },
      };
    }),
  );

  router.get('/webhooks/:id', (req, res) => {
    const sub = hub.get(String(req.params.id));
    if (!sub) return sendError(res, 404, 'NOT_FOUND', 'Webhook subscription not found');
    res.json({ success: true, subscription: view(sub) });
  });

  router.put(
    '/webhooks/:id',
    idempotent(idempotency, (req) => {
      const old = hub.get(String(req.params.id));
      if (!old) return notFound();
      const settings = settingsOf((req.body ?? {}) as Record<string, unknown>, old);
      if (typeof settings === 'string') return failure(400, 'VALIDATION_ERROR', settings);
      return {
        status: 200,
        body: {
          success: true,
          message: 'Webhook subscription updated',
          subscription: view(hub.update(old.id, settings)!),
        },
      };
    }),
  );

  router.delete('/webhooks/:id', (req, res) => {
    if (!hub.remove(String(req.params.id))) return sendError(res, 404, 'NOT_FOUND', 'Webhook subscription not found');
    res.json({ success: true, message: 'Webhook subscription deleted' });
  });

  router.post(
    '/webhooks/:id/test',
    idempotent(idempotency, (req) => {
      const sub = hub.get(String(req.params.id));
      if (!sub) return notFound();
      return {
        status: 200,
        body: { success: true, message: 'Test webhook sent', event_id: hub.publish('TEST', testData(sub), sub) },
      };
    }),
  );

  // The sandbox lists what it queued and the sender's counts; it does not track each delivery's outcome.
  router.get('/webhooks/:id/logs', (req, res) => {
    const sub = hub.get(String(req.params.id));
    if (!sub) return sendError(res, 404, 'NOT_FOUND', 'Webhook subscription not found');
    const q = req.query as Record<string, unknown>;
    const page = positive(q.page, 1) ?? 1;
    const limit = Math.min(positive(q.limit, 20) ?? 20, 100);
    const newest = [...sub.log].reverse();
    res.json({
      success: true,
      data: newest.slice((page - 1) * limit, page * limit),
      pagination: { page, limit, total: newest.length, total_pages: Math.ceil(newest.length / limit) },
      summary: sub.sender.stats(),
    });
  });
  return router;
}

/** The subscription as the API shows it: never the secret itself, the URL's token masked (ASSUMED). */
function view(s: Subscription) {
  return {
    id: s.id,
    name: s.name,
    endpoint_url: maskUrl(s.endpointUrl),
    event_types: s.eventTypes,
    status: s.status,
    timeout_seconds: s.timeoutSeconds,
    retry_count: s.retryCount,
    has_secret: true,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

function testData(s: Subscription) {
  return { subscription_id: s.id, message: 'This is a test webhook from the eSIM platform' };
}

/** Create (`old` null: every field but the optional ones required) or update (missing fields kept). */
function settingsOf(body: Record<string, unknown>, old: SubscriptionSettings | null): SubscriptionSettings | string {
  const pick = <T>(key: string, fallback: T | undefined): unknown => (body[key] === undefined ? fallback : body[key]);
  const name = pick('name', old?.name ?? 'Webhook');
  const url = pick('endpoint_url', old?.endpointUrl);
  const types = pick('event_types', old?.eventTypes);
  const secret = pick('secret', old?.secret);
  const timeout = pick('timeout_seconds', old?.timeoutSeconds ?? DEFAULTS.timeoutSeconds);
  const retries = pick('retry_count', old?.retryCount ?? DEFAULTS.retryCount);
  const status = pick('status', old?.status ?? 'active');
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) return 'name must be 1 to 100 characters';
  if (typeof url !== 'string' || !isHttpUrl(url)) return 'endpoint_url must be an http(s) URL';
  if (
    !Array.isArray(types) ||
    types.length === 0 ||
    !types.every((t) => (EVENT_TYPES as readonly unknown[]).includes(t))
  ) {
    return `event_types must list some of ${EVENT_TYPES.join(', ')}`;
  }
  if (typeof secret !== 'string' || secret.length < SECRET_LENGTH[0] || secret.length > SECRET_LENGTH[1])
    return `secret must be ${SECRET_LENGTH[0]} to ${SECRET_LENGTH[1]} characters`;
  if (!inRange(timeout, TIMEOUT_RANGE))
    return `timeout_seconds must be an integer from ${TIMEOUT_RANGE[0]} to ${TIMEOUT_RANGE[1]}`;
  if (!inRange(retries, RETRY_RANGE))
    return `retry_count must be an integer from ${RETRY_RANGE[0]} to ${RETRY_RANGE[1]}`;
  if (!STATUSES.includes(status as SubscriptionStatus)) return `status must be one of ${STATUSES.join(', ')}`;
  return {
    name: name.trim(),
    endpointUrl: url,
    eventTypes: [...new Set(types as EventType[])],
    secret,
    timeoutSeconds: timeout as number,
    retryCount: retries as number,
    status: status as SubscriptionStatus,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function inRange(value: unknown, [min, max]: readonly [number, number]): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}
