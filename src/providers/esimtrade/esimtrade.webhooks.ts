import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookDelivery, WebhookSecrets, WebhookSupport, WebhookTarget } from '../provider-adapter';
import type { EsimTradeClient } from './esimtrade.client';
import { unreadable } from './esimtrade.envelope';
import { isRecord } from './esimtrade.mapper';
import { ESIMTRADE_WEBHOOK_EVENTS } from './esimtrade.types';
import { parseEsimTradeWebhook } from './esimtrade.webhook-mapper';

/** Lower-cased, as `WebhookDelivery.headers` holds it: `t=<unix seconds>,v1=<hex>` (ASSUMED). */
export const SIGNATURE_HEADER = 'x-esimtrade-signature';
/** Deliveries signed longer ago (or further ahead) than this are refused as replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * eSIMTrade's callbacks: registered with `PATCH /reseller/webhook`, signed with HMAC-SHA256 under
 * the secret we set there (`target.secret`, which is also the URL's `token`). `now` is the clock
 * of the timestamp tolerance, injectable for tests.
 */
export function createEsimTradeWebhooks(client: EsimTradeClient, now: () => number = Date.now): WebhookSupport {
  return {
    register: (target, signal) => registerWebhook(client, target, signal),
    verify: (delivery, secrets) => verifyEsimTradeDelivery(delivery, secrets, now()),
    parse: (delivery) => parseEsimTradeWebhook(delivery.rawBody),
  };
}

/**
 * Sets our URL, every event type and our secret. eSIMTrade answers `secret` only when it made one
 * up (none was ever set); we always send ours, so that branch only guards a provider that ignores it.
 */
async function registerWebhook(
  client: EsimTradeClient,
  target: WebhookTarget,
  signal?: AbortSignal,
): Promise<{ signingSecret?: string }> {
  const data = await client.updateWebhook(
    { url: target.url, events: ESIMTRADE_WEBHOOK_EVENTS, secret: target.secret },
    signal,
  );
  // The answer shows the URL with its token masked: origin and path say it is ours.
  if (!isRecord(data) || typeof data.url !== 'string' || !sameEndpoint(data.url, target.url))
    throw unreadable('webhook/update');
  return typeof data.secret === 'string' && data.secret.length > 0 ? { signingSecret: data.secret } : {};
}

/**
 * True only when the URL's `token` is ours AND the signature header holds a fresh timestamp and a
 * `v1` HMAC-SHA256 of `<t>.<raw body>` under the signing secret (eSIMTrade's, else ours). Several
 * `v1` entries are accepted, as during a secret rotation. Constant-time comparisons, no I/O.
 */
export function verifyEsimTradeDelivery(delivery: WebhookDelivery, secrets: WebhookSecrets, nowMs: number): boolean {
  const token = delivery.query.token;
  const header = delivery.headers[SIGNATURE_HEADER];
  if (!token || !header || !secrets.secret || !sameSecret(token, secrets.secret)) return false;
  const signature = parseSignatureHeader(header);
  if (!signature || Math.abs(nowMs / 1000 - signature.t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const key = secrets.signingSecret ?? secrets.secret;
  const expected = createHmac('sha256', key).update(`${signature.t}.${delivery.rawBody}`).digest();
  // A reduce rather than `some`: every candidate is compared, wherever the match is.
  return signature.v1.reduce((ok, hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected) || ok, false);
}

/** `t=<digits>` once and at least one well-formed `v1=<64 hex>`; unknown schemes (v0, v2) are ignored. */
export function parseSignatureHeader(header: string): { readonly t: number; readonly v1: readonly string[] } | null {
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't') {
      if (t !== null || !/^\d{1,12}$/.test(value)) return null;
      t = Number(value);
    } else if (name === 'v1' && HEX_SHA256.test(value)) {
      v1.push(value);
    }
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/** Digests first, so the two buffers have equal lengths whatever was sent. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Same origin and path; the query (our token) is masked in answers and changes on rotation. */
function sameEndpoint(a: string, b: string): boolean {
  if (!URL.canParse(a) || !URL.canParse(b)) return false;
  const [x, y] = [new URL(a), new URL(b)];
  return x.origin === y.origin && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
}
