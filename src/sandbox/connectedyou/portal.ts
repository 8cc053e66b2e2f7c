import express, { type Router } from 'express';
import { maskSecret, maskUrl } from '../shared/webhook-mask';
import { methodNotAllowed, sendError } from './errors';
import { jsonOnly } from './orders';
import { CY_EVENT_TYPES, type CyEventType, type OutboundEvents, type PortalSettings } from './outbound';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/**
 * SANDBOX ONLY, ASSUMED: ConnectedYou configures outbound events in its reseller portal (Account ›
 * Settings › Outbound Events), never by API. `PUT /_portal/webhook { url, header_name,
 * header_value, events? }` stands in for that form so a sandbox gateway can register itself; it
 * sits beside `/_control`, outside the metered provider API, and needs no key: so `GET` (and the
 * `PUT` answer) show the URL's token and the header value masked, as the portal does, never the
 * credential itself. `DELETE` removes them.
 */
export function portalRouter(outbound: OutboundEvents): Router {
  const router = express.Router();
  router.put('/webhook', jsonOnly, express.json(), (req, res) => {
    const settings = readSettings(req.body);
    if (typeof settings === 'string') return sendError(res, 'validation_error', settings);
    outbound.configure(settings);
    res.json(render(settings));
  });
  router.get('/webhook', (_req, res) => {
    const settings = outbound.settings();
    if (settings) res.json(render(settings));
    else sendError(res, 'not_found', 'No outbound events are configured.');
  });
  router.delete('/webhook', (_req, res) => {
    outbound.configure(null);
    res.status(204).end();
  });
  router.all('/webhook', methodNotAllowed);
  return router;
}

/** The URL must start with http(s) (CY-GB); the custom header is optional, name and value together. */
function readSettings(body: unknown): PortalSettings | string {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { url, header_name: name, header_value: value, events } = raw;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url) || !URL.canParse(url)) return 'url must be an http(s) URL.';
  const noHeader = (name === undefined || name === null) && (value === undefined || value === null);
  if (!noHeader && (typeof name !== 'string' || !HEADER_NAME.test(name)))
    return 'header_name must be an HTTP header name.';
  if (!noHeader && (typeof value !== 'string' || !value || /[\r\n]/.test(value)))
    return 'header_value must be a non-empty single-line string.';
  const chosen = events === undefined ? CY_EVENT_TYPES : events;
  if (
    !Array.isArray(chosen) ||
    chosen.length === 0 ||
    !chosen.every((e) => (CY_EVENT_TYPES as readonly unknown[]).includes(e))
  ) {
    return `events must list some of ${CY_EVENT_TYPES.join(', ')}.`;
  }
  return {
    url,
    header: noHeader ? null : { name: name as string, value: value as string },
    events: new Set(chosen as CyEventType[]),
  };
}

function render(settings: PortalSettings) {
  const { url, header } = settings;
  return {
    url: maskUrl(url),
    header_name: header?.name ?? null,
    header_value: header ? maskSecret(header.value) : null,
    events: [...settings.events],
  };
}
