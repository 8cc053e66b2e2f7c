import { createHmac } from 'node:crypto';
import { BadUserInputError } from '../../../src/domain/errors';
import type { WebhookDelivery, WebhookSecrets } from '../../../src/providers/provider-adapter';
import { parseEsimTradeWebhook } from '../../../src/providers/esimtrade/esimtrade.webhook-mapper';
import {
  parseSignatureHeader,
  SIGNATURE_TOLERANCE_SECONDS,
  verifyEsimTradeDelivery,
} from '../../../src/providers/esimtrade/esimtrade.webhooks';
import expected from '../../fixtures/providers/esimtrade/webhooks.expected.json';
import raw from '../../fixtures/providers/esimtrade/webhooks.raw.json';

type Name = keyof typeof raw;
const body = (name: Name) => JSON.stringify(raw[name]);

describe('eSIMTrade webhook mapper', () => {
  it.each(Object.keys(raw) as Name[])('normalizes the %s fixture', (name) => {
    expect(parseEsimTradeWebhook(body(name))).toEqual(expected[name]);
  });

  it('maps a status word its table does not know to null, keeping the raw word', () => {
    const [event] = parseEsimTradeWebhook(body('statusUnknownWord'));
    expect(event).toMatchObject({ kind: 'PROFILE', rawStatus: 'frozen', status: null });
  });

  it('gives a repeated delivery the same event id, and another event another one', () => {
    const ids = (name: Name) => parseEsimTradeWebhook(body(name)).map((e) => e.eventId);
    expect(ids('usageUpdated')).toEqual(ids('usageUpdated'));
    expect(ids('usageUpdated')).not.toEqual(ids('usageUnlimited'));
  });

  it('hashes an event id longer than the inbox keeps, stably', () => {
    const long = JSON.stringify({ ...raw.usageUpdated, id: `evt_${'x'.repeat(200)}` });
    const [first] = parseEsimTradeWebhook(long);
    expect(first.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parseEsimTradeWebhook(long)[0].eventId).toBe(first.eventId);
  });

  it('leaves the reading out of a usage event whose usage is unreadable, so the gateway reads it upstream', () => {
    const broken = {
      ...raw.usageUpdated,
      data: { ...raw.usageUpdated.data, usage: { used_bytes: -1, total_bytes: 5, updated_at: 'now' } },
    };
    expect(parseEsimTradeWebhook(JSON.stringify(broken))[0]).toMatchObject({ kind: 'USAGE', usage: null });
  });

  it('reads an unparseable timestamp as null', () => {
    expect(
      parseEsimTradeWebhook(JSON.stringify({ ...raw.orderCompleted, created_at: 'yesterday' }))[0].occurredAt,
    ).toBeNull();
  });

  it.each([
    ['not JSON', '{"id":'],
    ['an array', '[]'],
    ['no id', JSON.stringify({ ...raw.orderCompleted, id: '' })],
    ['no type', JSON.stringify({ ...raw.orderCompleted, type: 7 })],
    ['an order without its number', JSON.stringify({ ...raw.orderCompleted, data: { reference: 'x' } })],
    ['an eSIM event without data', JSON.stringify({ ...raw.statusChanged, data: null })],
    [
      'an eSIM event with a malformed ICCID',
      JSON.stringify({ ...raw.usageUpdated, data: { ...raw.usageUpdated.data, iccid: '89-37' } }),
    ],
  ])('refuses %s with BadUserInputError', (_what, text) => {
    expect(() => parseEsimTradeWebhook(text)).toThrow(BadUserInputError);
  });
});

describe('eSIMTrade webhook signature', () => {
  const secrets: WebhookSecrets = { secret: 'our-secret-0123456789abcdef', signingSecret: null };
  const now = Date.parse('2025-06-03T08:15:30.000Z');
  const t = Math.floor(now / 1000);
  const sign = (text: string, at = t, key = secrets.secret) =>
    createHmac('sha256', key).update(`${at}.${text}`).digest('hex');
  /** `token: null` leaves the query parameter out. */
  const delivery = (
    text: string,
    header: string | undefined,
    token: string | null = secrets.secret,
  ): WebhookDelivery => ({
    headers: {
      'content-type': 'application/json',
      ...(header === undefined ? {} : { 'x-esimtrade-signature': header }),
    },
    query: token === null ? {} : { token },
    rawBody: text,
  });
  const text = body('usageUpdated');
  const verify = (d: WebhookDelivery, s: WebhookSecrets = secrets, at = now) => verifyEsimTradeDelivery(d, s, at);

  it('accepts a fresh signature over "<t>.<raw body>" with our token', () => {
    expect(verify(delivery(text, `t=${t},v1=${sign(text)}`))).toBe(true);
  });

  it('refuses a tampered body, a tampered timestamp and a signature under another key', () => {
    expect(verify(delivery(text.replace('1610612736', '1'), `t=${t},v1=${sign(text)}`))).toBe(false);
    expect(verify(delivery(text, `t=${t - 1},v1=${sign(text)}`))).toBe(false);
    expect(verify(delivery(text, `t=${t},v1=${sign(text, t, 'another-secret-0123456789')}`))).toBe(false);
  });

  it(`refuses a signature older or newer than ${SIGNATURE_TOLERANCE_SECONDS} seconds`, () => {
    const old = t - SIGNATURE_TOLERANCE_SECONDS - 1;
    expect(verify(delivery(text, `t=${old},v1=${sign(text, old)}`))).toBe(false);
    const edge = t - SIGNATURE_TOLERANCE_SECONDS + 1;
    expect(verify(delivery(text, `t=${edge},v1=${sign(text, edge)}`))).toBe(true);
    const ahead = t + SIGNATURE_TOLERANCE_SECONDS + 1;
    expect(verify(delivery(text, `t=${ahead},v1=${sign(text, ahead)}`))).toBe(false);
  });

  it('refuses a wrong or missing token, a missing header and empty secrets', () => {
    const header = `t=${t},v1=${sign(text)}`;
    expect(verify(delivery(text, header, 'not-our-secret'))).toBe(false);
    expect(verify(delivery(text, header, null))).toBe(false);
    expect(verify(delivery(text, undefined))).toBe(false);
    expect(verify(delivery(text, header), { secret: '', signingSecret: null })).toBe(false);
  });

  it('signs with the signing secret eSIMTrade handed back, when it did', () => {
    const withProviderSecret = { ...secrets, signingSecret: 'whsec_from_esimtrade' };
    expect(verify(delivery(text, `t=${t},v1=${sign(text, t, 'whsec_from_esimtrade')}`), withProviderSecret)).toBe(true);
    expect(verify(delivery(text, `t=${t},v1=${sign(text)}`), withProviderSecret)).toBe(false);
  });

  it('accepts any matching v1 among several (secret rotation) and ignores other schemes', () => {
    const header = `t=${t}, v0=abc, v1=${'0'.repeat(64)}, v1=${sign(text)}`;
    expect(verify(delivery(text, header))).toBe(true);
  });

  it.each(['', 'v1=abc', `t=${t}`, `t=${t},v1=xyz`, `t=abc,v1=${'0'.repeat(64)}`, `t=1,t=2,v1=${'0'.repeat(64)}`])(
    'reads %j as no signature',
    (header) => {
      expect(parseSignatureHeader(header)).toBeNull();
    },
  );
});
