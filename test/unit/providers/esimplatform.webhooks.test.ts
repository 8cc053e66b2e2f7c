import { createHmac } from 'node:crypto';
import { BadUserInputError } from '../../../src/domain/errors';
import { ESIM_STATUS_TABLE, mapProfile } from '../../../src/providers/esimplatform/esimplatform.order-mapper';
import { eventIdOf, parseWebhookEvent } from '../../../src/providers/esimplatform/esimplatform.webhook-mapper';
import { sameEndpoint, verifyDelivery } from '../../../src/providers/esimplatform/esimplatform.webhooks';
import type { WebhookDelivery } from '../../../src/providers/provider-adapter';
import webhooksRaw from '../../fixtures/providers/esimplatform/webhooks.raw.json';
import webhooksExpected from '../../fixtures/providers/esimplatform/webhooks.expected.json';

const body = (event: unknown) => JSON.stringify(event);
const [testEvent, orderEvent, statusEvent, usageEvent] = webhooksRaw;

describe('esimplatform webhook mapper', () => {
  it('normalizes each delivery of the fixture to its expected events (TEST → none, top-up → usage hint)', () => {
    expect(webhooksRaw).toHaveLength(webhooksExpected.length);
    webhooksRaw.forEach((raw, i) => expect(parseWebhookEvent(body(raw))).toEqual(webhooksExpected[i]));
  });

  it('maps every eSIM status word exactly as getProfiles does, and an unknown word to null', () => {
    for (const word of [...Object.keys(ESIM_STATUS_TABLE).map((w) => w.toLowerCase()), 'ON_HOLD', '']) {
      const profile = { iccid: '8901260000000000000', status: word || 'x' };
      const [event] = parseWebhookEvent(
        body({ id: 'evt-1', event_type: 'ESIM_STATUS', created_at: null, data: { profile } }),
      );
      expect(event.status).toBe(mapProfile(profile).status);
      expect(event.providerProfileId).toBe(profile.iccid);
    }
    expect(parseWebhookEvent(body(webhooksRaw[6]))[0]).toMatchObject({ rawStatus: 'ON_HOLD', status: null });
  });

  it('reads usage in MB as getUsage does, and leaves a malformed reading out so the gateway reads usage upstream', () => {
    expect(parseWebhookEvent(body(usageEvent))[0].usage).toEqual({ usedBytes: 2_097_152, totalBytes: 5_368_709_120 });
    const broken = { ...usageEvent, data: { usage: { ...usageEvent.data.usage, data_used: '2MB' } } };
    const [event] = parseWebhookEvent(body(broken));
    expect(event.kind).toBe('USAGE');
    expect(event).not.toHaveProperty('usage');
  });

  it('uses the platform event id, the same for every repeated delivery', () => {
    const raw = body(orderEvent);
    expect(parseWebhookEvent(raw)[0].eventId).toBe('evt-11aa22bb33cc44dd55ee66ff');
    expect(parseWebhookEvent(raw).map((e) => e.eventId)).toEqual(parseWebhookEvent(raw).map((e) => e.eventId));
  });

  it('derives a stable id (≤ 120 chars) from the content when the event has none', () => {
    const { id: _omitted, ...anonymous } = statusEvent;
    const first = eventIdOf(anonymous);
    expect(first).toMatch(/^derived-[0-9a-f]{64}$/);
    expect(first.length).toBeLessThanOrEqual(120);
    expect(parseWebhookEvent(body(anonymous))[0].eventId).toBe(first);
    expect(eventIdOf({ ...anonymous, created_at: '2025-01-16T08:31:00.000Z' })).not.toBe(first);
    expect(eventIdOf({ ...statusEvent, id: 'x'.repeat(121) })).toMatch(/^derived-/);
  });

  it('derives no EXPIRY, DEVICE or usage-threshold signal: the document shows none', () => {
    const events = webhooksRaw.flatMap((raw) => parseWebhookEvent(body(raw)));
    expect(events.map((e) => e.kind).sort()).toEqual(['ORDER', 'PROFILE', 'PROFILE', 'USAGE', 'USAGE', 'USAGE']);
    for (const e of events) expect(e).not.toHaveProperty('remainingThreshold');
  });

  it('answers no events for the test webhook and for event types it never subscribed to', () => {
    expect(parseWebhookEvent(body(testEvent))).toEqual([]);
    expect(
      parseWebhookEvent(body({ id: 'evt-9', event_type: 'CREDIT_LOW', created_at: '2025-01-15T10:00:00Z', data: {} })),
    ).toEqual([]);
  });

  it.each([
    ['not JSON', '{"id":'],
    ['an array', '[]'],
    ['no event type', body({ id: 'evt-1', data: {} })],
    [
      'an order without its id',
      body({ id: 'evt-1', event_type: 'ORDER_STATUS', data: { order: { status: 'active' } } }),
    ],
    ['an eSIM event without the profile', body({ id: 'evt-1', event_type: 'ESIM_STATUS', data: {} })],
    [
      'a profile without its ICCID',
      body({ id: 'evt-1', event_type: 'ESIM_STATUS', data: { profile: { status: 'active' } } }),
    ],
    [
      'usage without the ICCID',
      body({ id: 'evt-1', event_type: 'ESIM_USAGE', data: { usage: { data_used: 1, data_limit: 5 } } }),
    ],
    [
      'a top-up without the ICCID',
      body({ id: 'evt-1', event_type: 'TOPUP_STATUS', data: { topup: { package_code: 'PKG_1' } } }),
    ],
  ])('throws BadUserInputError for %s', (_what, raw) => {
    expect(() => parseWebhookEvent(raw)).toThrow(BadUserInputError);
  });
});

describe('esimplatform webhook signature', () => {
  const secret = 'our-webhook-secret-0123456789';
  const rawBody = body(orderEvent);
  const sign = (text: string, key = secret) => `sha256=${createHmac('sha256', key).update(text, 'utf8').digest('hex')}`;
  const delivery = (headers: Record<string, string | undefined>, raw = rawBody): WebhookDelivery => ({
    headers,
    query: {},
    rawBody: raw,
  });
  const secrets = { secret, signingSecret: null };

  it('accepts the HMAC-SHA256 of the exact body under our secret', () => {
    expect(verifyDelivery(delivery({ 'x-webhook-signature': sign(rawBody) }), secrets)).toBe(true);
    expect(
      verifyDelivery(
        delivery({ 'x-webhook-signature': sign(rawBody).toUpperCase().replace('SHA256=', 'sha256=') }),
        secrets,
      ),
    ).toBe(true);
  });

  it('refuses a tampered body, a wrong or empty secret, and a missing or malformed signature', () => {
    const signature = sign(rawBody);
    expect(
      verifyDelivery(
        delivery({ 'x-webhook-signature': signature }, rawBody.replace('op-7f3a9c2e', 'op-00000000')),
        secrets,
      ),
    ).toBe(false);
    expect(verifyDelivery(delivery({ 'x-webhook-signature': signature }, `${rawBody} `), secrets)).toBe(false);
    expect(
      verifyDelivery(delivery({ 'x-webhook-signature': signature }), { secret: 'not-the-secret', signingSecret: null }),
    ).toBe(false);
    expect(
      verifyDelivery(delivery({ 'x-webhook-signature': sign(rawBody, '') }), { secret: '', signingSecret: null }),
    ).toBe(false);
    expect(verifyDelivery(delivery({}), secrets)).toBe(false);
    expect(verifyDelivery(delivery({ 'x-webhook-signature': signature.slice('sha256='.length) }), secrets)).toBe(false);
    expect(verifyDelivery(delivery({ 'x-webhook-signature': signature.slice(0, -2) }), secrets)).toBe(false);
    expect(verifyDelivery(delivery({ 'x-webhook-signature': `sha1=${signature.slice(7)}` }), secrets)).toBe(false);
  });

  it('uses a signing secret the platform generated, when there is one', () => {
    const generated = 'whsec_generated';
    expect(
      verifyDelivery(delivery({ 'x-webhook-signature': sign(rawBody, generated) }), {
        secret,
        signingSecret: generated,
      }),
    ).toBe(true);
    expect(
      verifyDelivery(delivery({ 'x-webhook-signature': sign(rawBody) }), { secret, signingSecret: generated }),
    ).toBe(false);
  });

  it('recognizes our endpoint whatever its token, for idempotent registration', () => {
    expect(
      sameEndpoint(
        'https://gw.example/webhooks/esimplatform?token=a',
        'https://gw.example/webhooks/esimplatform/?token=b',
      ),
    ).toBe(true);
    expect(sameEndpoint('https://gw.example/webhooks/esimplatform', 'https://gw.example/webhooks/esimaccess')).toBe(
      false,
    );
    expect(
      sameEndpoint('https://other.example/webhooks/esimplatform', 'https://gw.example/webhooks/esimplatform'),
    ).toBe(false);
    expect(sameEndpoint('not a url', 'https://gw.example/webhooks/esimplatform')).toBe(false);
  });
});
