import { randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import { maskUrl } from '../shared/webhook-mask';
import { sendError } from './errors';

/** Every event type eSIMTrade delivers (assumed list; the docs name only the settings route). */
export const WEBHOOK_EVENT_TYPES = [
  'order.completed',
  'order.failed',
  'esim.status_changed',
  'esim.usage_updated',
  'topup.completed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The reseller's one webhook: where to call, which events, and the HMAC secret it signs with. */
export interface WebhookSettings {
  url: string | null;
  events: WebhookEventType[];
  secret: string | null;
  updatedAt: Date | null;
}

const SECRET_RE = /^[\x21-\x7e]{16,256}$/;
const MAX_URL = 2048;

export function initialWebhookSettings(): WebhookSettings {
  return { url: null, events: [...WEBHOOK_EVENT_TYPES], secret: null, updatedAt: null };
}

/** What GET and PATCH answer: never the secret itself, only whether one is set; the URL's token masked. */
export function renderSettings(settings: WebhookSettings) {
  return {
    url: settings.url === null ? null : maskUrl(settings.url),
    events: settings.events,
    secret_set: settings.secret !== null,
    updated_at: settings.updatedAt?.toISOString() ?? null,
  };
}

/**
 * `GET|PATCH /reseller/webhook` (seed 004: "read or update the configured reseller webhook URL",
 * meant for portal sessions; here the API credentials are accepted too, ASSUMED). PATCH takes
 * `{ url: string | null, events?: [...], secret? }`: `null` switches deliveries off, omitted
 * `events`/`secret` keep their values. When no secret was ever set, eSIMTrade generates one and
 * answers it once as `secret` (assumed). `onChange` runs after every accepted PATCH.
 */
export function webhookSettingsRoutes(
  settings: WebhookSettings,
  onChange: (settings: WebhookSettings) => void,
): Router {
  const router = express.Router();
  router.get('/reseller/webhook', (_req, res) => {
    res.json({ data: renderSettings(settings) });
  });
  router.patch('/reseller/webhook', (req, res) => {
    const input = parsePatch(req.body);
    if (typeof input === 'string') {
      sendError(res, 400, 'INVALID_PARAMETER', input);
      return;
    }
    const generated =
      input.secret === undefined && settings.secret === null ? `whsec_${randomBytes(24).toString('hex')}` : null;
    settings.url = input.url;
    if (input.events) settings.events = input.events;
    settings.secret = input.secret ?? generated ?? settings.secret;
    settings.updatedAt = new Date();
    onChange(settings);
    res.json({ data: { ...renderSettings(settings), ...(generated ? { secret: generated } : {}) } });
  });
  return router;
}

interface PatchInput {
  readonly url: string | null;
  readonly events?: WebhookEventType[];
  readonly secret?: string;
}

/** Validates the PATCH body; a string is the message of a 400 INVALID_PARAMETER. */
function parsePatch(body: unknown): PatchInput | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const { url, events, secret } = body as Record<string, unknown>;
  if (url !== null && (typeof url !== 'string' || url.length > MAX_URL || !isHttpUrl(url)))
    return 'url must be an http(s) URL or null.';
  if (events !== undefined && !isEventList(events))
    return `events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}.`;
  if (secret !== undefined && (typeof secret !== 'string' || !SECRET_RE.test(secret)))
    return 'secret must be 16 to 256 printable characters.';
  return { url, ...(events ? { events: [...new Set(events)] } : {}), ...(secret !== undefined ? { secret } : {}) };
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

function isEventList(value: unknown): value is WebhookEventType[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((e) => (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(e))
  );
}
