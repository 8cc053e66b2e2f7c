import { Writable } from 'node:stream';
import pino from 'pino';
import { BadUserInputError } from '../../../src/domain/errors';
import { ProviderNotes } from '../../../src/providers/kit/notes';
import type { EsimAccessClient } from '../../../src/providers/esimaccess/esimaccess.client';
import { mapEsimAccessWebhook } from '../../../src/providers/esimaccess/esimaccess.webhook-mapper';
import { esimAccessWebhooks, verifyEsimAccessDelivery } from '../../../src/providers/esimaccess/esimaccess.webhooks';
import deliveries from '../../fixtures/providers/esimaccess/webhooks.json';
import expected from '../../fixtures/providers/esimaccess/webhooks.expected.json';

type Name = Exclude<keyof typeof deliveries, '_source'>;
const body = (name: Name): string => JSON.stringify(deliveries[name]);
const parse = (name: Name) => mapEsimAccessWebhook(body(name));

describe('eSIM Access webhook mapper', () => {
  it.each(Object.keys(expected) as Name[])('maps the %s fixture to its expected events', (name) => {
    expect(parse(name)).toEqual(expected[name as keyof typeof expected]);
  });

  it('answers no event for the CHECK_HEALTH test, with or without content', () => {
    expect(parse('checkHealth')).toEqual([]);
    expect(
      mapEsimAccessWebhook('{"notifyType":"CHECK_HEALTH","eventGenerateTime":"2025-01-22 12:00:00 UTC","content":{}}'),
    ).toEqual([]);
  });

  it('maps an unknown esimStatus word to a null status, keeping the raw pair', () => {
    expect(parse('esimStatusUnknownWord')[0]).toMatchObject({ status: null, rawStatus: 'HIBERNATING/ENABLED' });
  });

  it('maps the (esimStatus, smdpStatus) pair with the getProfiles table, both REVOKE spellings', () => {
    const pair = (esimStatus: string, smdpStatus: string) =>
      mapEsimAccessWebhook(
        JSON.stringify({
          ...deliveries.esimStatus,
          content: { ...deliveries.esimStatus.content, esimStatus, smdpStatus },
        }),
      )[0].status;
    expect(pair('GOT_RESOURCE', 'RELEASED')).toBe('NOT_INSTALLED');
    expect(pair('GOT_RESOURCE', 'ENABLED')).toBe('INSTALLED');
    expect(pair('USED_UP', 'ENABLED')).toBe('DEPLETED');
    expect(pair('REVOKE', 'DELETED')).toBe('REVOKED');
    expect(pair('CANCEL', 'RELEASED')).toBe('CANCELLED');
    expect(pair('GOT_RESOURCE', 'TELEPORTED')).toBeNull();
  });

  it('reads SMDP_EVENT as a DEVICE event only: the SM-DP+ word and EID, never a plan status', () => {
    const [event] = parse('smdpEvent');
    expect(event).toMatchObject({
      kind: 'DEVICE',
      device: { state: 'INSTALLED', rawState: 'INSTALLATION', eid: '89049032005008882600050326403713' },
    });
    // Its esimStatus (GOT_RESOURCE here) is the plan as it was, not a change of it.
    expect(event).not.toHaveProperty('status');
    expect(event).not.toHaveProperty('rawStatus');
    const word = (smdpStatus: string) =>
      mapEsimAccessWebhook(
        JSON.stringify({ ...deliveries.smdpEvent, content: { ...deliveries.smdpEvent.content, smdpStatus } }),
      )[0].device?.state;
    expect(['RELEASED', 'DOWNLOAD', 'INSTALLATION', 'ENABLED', 'DISABLED', 'DELETED'].map(word)).toEqual([
      'RELEASED',
      'DOWNLOADED',
      'INSTALLED',
      'ENABLED',
      'DISABLED',
      'DELETED',
    ]);
    expect(word('LOCKED')).toBeNull();
  });

  it('keeps the device side of ESIM_STATUS next to the plan status, without an EID it does not carry', () => {
    expect(parse('esimStatus')[0]).toMatchObject({
      kind: 'PROFILE',
      status: 'ACTIVE',
      device: { state: 'ENABLED', rawState: 'ENABLED' },
    });
    expect(parse('esimStatus')[0].device).not.toHaveProperty('eid');
  });

  it('reads remainThreshold as the fraction of the allowance left, null when absent or out of 0..1', () => {
    const threshold = (remainThreshold: unknown) =>
      mapEsimAccessWebhook(
        JSON.stringify({ ...deliveries.dataUsage, content: { ...deliveries.dataUsage.content, remainThreshold } }),
      )[0].remainingThreshold;
    expect(parse('dataUsage')[0]).toMatchObject({
      kind: 'USAGE',
      remainingThreshold: 0.5,
      usage: { usedBytes: 10_741_066_164 },
    });
    expect(threshold(0.1)).toBe(0.1);
    expect(threshold('0.25')).toBe(0.25);
    expect(threshold(50)).toBeNull();
    expect(threshold(undefined)).toBeNull();
  });

  it('reads VALIDITY_USAGE as EXPIRY with expiredTime in ISO-8601 UTC, null when unreadable', () => {
    expect(parse('validityUsage')).toEqual([
      expect.objectContaining({ kind: 'EXPIRY', expiresAt: '2026-04-23T17:13:19.000Z', iccid: '8981440039980773689' }),
    ]);
    expect(parse('validityUsageUnreadableTime')[0]).toMatchObject({ kind: 'EXPIRY', expiresAt: null });
    expect(() => mapEsimAccessWebhook('{"notifyType":"VALIDITY_USAGE","content":{"remain":1}}')).toThrow(
      BadUserInputError,
    );
  });

  it('says an unknown SM-DP+ word once per word, at warn level, through the adapter', () => {
    const chunks: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({ write: (chunk, _enc, done) => (chunks.push(String(chunk)), done()) }),
    );
    const support = esimAccessWebhooks({} as EsimAccessClient, new ProviderNotes(logger, 'esimaccess'));
    const delivery = { headers: {}, query: {}, rawBody: body('smdpEventUnknownWord') };
    expect(support.parse(delivery)[0].device).toEqual({
      state: null,
      rawState: 'LOCKED',
      eid: '89049032005008882600050326403713',
    });
    support.parse(delivery);
    const lines = chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ level: 40, kind: 'smdpStatus', word: 'LOCKED' })]);
  });

  it('uses notifyId as the event id, the same for a repeated delivery', () => {
    expect(parse('dataUsage')[0].eventId).toBe('7cb37a1e9ed2468e9243e6ccae682125');
    expect(parse('dataUsage')).toEqual(parse('dataUsage'));
  });

  it('derives a stable id without notifyId: same content in any key order, another content another id', () => {
    const [first] = parse('orderStatusLegacy');
    const { content } = deliveries.orderStatusLegacy;
    const reordered = mapEsimAccessWebhook(
      JSON.stringify({
        content: { transactionId: content.transactionId, orderStatus: content.orderStatus, orderNo: content.orderNo },
        notifyType: 'ORDER_STATUS',
      }),
    )[0];
    const other = mapEsimAccessWebhook(
      JSON.stringify({ ...deliveries.orderStatusLegacy, content: { ...content, orderNo: 'B23051616050538' } }),
    )[0];
    expect(first).toMatchObject({
      kind: 'ORDER',
      occurredAt: null,
      reference: 'part-0001',
      providerOrderId: 'B23051616050537',
    });
    expect(first.eventId).toMatch(/^derived-[0-9a-f]{64}$/);
    expect(first.eventId.length).toBeLessThanOrEqual(120);
    expect(reordered.eventId).toBe(first.eventId);
    expect(other.eventId).not.toBe(first.eventId);
  });

  it('keeps data in bytes and reads totalVolume 0 as unlimited', () => {
    expect(parse('dataUsage')[0].usage).toEqual({ usedBytes: 10_741_066_164, totalBytes: 21_474_836_480 });
    expect(parse('dataUsageUnlimited')[0].usage).toEqual({ usedBytes: 734_003_200, totalBytes: null });
  });

  it('orders SM-DP+ steps by the server timestamp and usage by lastUpdateTime, in ISO-8601 UTC', () => {
    expect(parse('smdpEvent')[0].occurredAt).toBe('2026-04-22T17:29:38.000Z');
    expect(parse('dataUsage')[0].occurredAt).toBe('2026-04-22T15:53:03.000Z');
  });

  it.each([
    ['not JSON', 'notifyType=ORDER_STATUS'],
    ['a JSON array', '[]'],
    ['no notifyType', '{"content":{}}'],
    ['no content object', '{"notifyType":"ORDER_STATUS","content":"B1"}'],
    ['an order without ids', '{"notifyType":"ORDER_STATUS","content":{"orderStatus":"GOT_RESOURCE"}}'],
    ['a status without a profile', '{"notifyType":"ESIM_STATUS","content":{"orderNo":"B1","esimStatus":"IN_USE"}}'],
    ['usage without a profile', '{"notifyType":"DATA_USAGE","content":{"orderUsage":1,"totalVolume":2}}'],
  ])('throws BadUserInputError for %s', (_what, raw) => {
    expect(() => mapEsimAccessWebhook(raw)).toThrow(BadUserInputError);
  });
});

describe('eSIM Access webhook authentication (secret in the registered URL)', () => {
  const secrets = { secret: 's3cr3t-token-value', signingSecret: null };
  const delivery = (query: Record<string, string | undefined>) => ({
    headers: { 'content-type': 'application/json' },
    query,
    rawBody: body('orderStatus'),
  });

  it('accepts the delivery carrying our token', () => {
    expect(verifyEsimAccessDelivery(delivery({ token: secrets.secret }), secrets)).toBe(true);
  });

  it('refuses a wrong, shorter, longer, empty or missing token, and an empty configured secret', () => {
    expect(verifyEsimAccessDelivery(delivery({ token: 's3cr3t-token-valuf' }), secrets)).toBe(false);
    expect(verifyEsimAccessDelivery(delivery({ token: 's3cr3t' }), secrets)).toBe(false);
    expect(verifyEsimAccessDelivery(delivery({ token: `${secrets.secret}x` }), secrets)).toBe(false);
    expect(verifyEsimAccessDelivery(delivery({ token: '' }), secrets)).toBe(false);
    expect(verifyEsimAccessDelivery(delivery({}), secrets)).toBe(false);
    expect(verifyEsimAccessDelivery(delivery({ token: '' }), { secret: '', signingSecret: null })).toBe(false);
  });

  it('ignores headers: the provider signs nothing, so a signature-looking header proves nothing', () => {
    const forged = {
      ...delivery({}),
      headers: { 'rt-signature': 'ab'.repeat(32), authorization: `Bearer ${secrets.secret}` },
    };
    expect(verifyEsimAccessDelivery(forged, secrets)).toBe(false);
  });
});
