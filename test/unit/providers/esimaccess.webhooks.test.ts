import { BadUserInputError } from '../../../src/domain/errors';
import { mapEsimAccessWebhook } from '../../../src/providers/esimaccess/esimaccess.webhook-mapper';
import { verifyEsimAccessDelivery } from '../../../src/providers/esimaccess/esimaccess.webhooks';
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
    expect(mapEsimAccessWebhook('{"notifyType":"CHECK_HEALTH","eventGenerateTime":"2025-01-22 12:00:00 UTC","content":{}}')).toEqual([]);
  });

  it('maps an unknown esimStatus word to a null status, keeping the raw pair', () => {
    expect(parse('esimStatusUnknownWord')[0]).toMatchObject({ status: null, rawStatus: 'HIBERNATING/ENABLED' });
  });

  it('maps the (esimStatus, smdpStatus) pair with the getProfiles table, both REVOKE spellings', () => {
    const pair = (esimStatus: string, smdpStatus: string) =>
      mapEsimAccessWebhook(JSON.stringify({ ...deliveries.esimStatus, content: { ...deliveries.esimStatus.content, esimStatus, smdpStatus } }))[0].status;
    expect(pair('GOT_RESOURCE', 'RELEASED')).toBe('NOT_INSTALLED');
    expect(pair('GOT_RESOURCE', 'ENABLED')).toBe('INSTALLED');
    expect(pair('USED_UP', 'ENABLED')).toBe('DEPLETED');
    expect(pair('REVOKE', 'DELETED')).toBe('REVOKED');
    expect(pair('CANCEL', 'RELEASED')).toBe('CANCELLED');
    expect(pair('GOT_RESOURCE', 'TELEPORTED')).toBeNull();
  });

  it('uses notifyId as the event id, the same for a repeated delivery', () => {
    expect(parse('dataUsage')[0].eventId).toBe('7cb37a1e9ed2468e9243e6ccae682125');
    expect(parse('dataUsage')).toEqual(parse('dataUsage'));
  });

  it('derives a stable id without notifyId: same content in any key order, another content another id', () => {
    const [first] = parse('orderStatusLegacy');
    const { content } = deliveries.orderStatusLegacy;
    const reordered = mapEsimAccessWebhook(JSON.stringify({ content: { transactionId: content.transactionId, orderStatus: content.orderStatus, orderNo: content.orderNo }, notifyType: 'ORDER_STATUS' }))[0];
    const other = mapEsimAccessWebhook(JSON.stringify({ ...deliveries.orderStatusLegacy, content: { ...content, orderNo: 'B23051616050538' } }))[0];
    expect(first).toMatchObject({ kind: 'ORDER', occurredAt: null, reference: 'part-0001', providerOrderId: 'B23051616050537' });
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
  const delivery = (query: Record<string, string | undefined>) => ({ headers: { 'content-type': 'application/json' }, query, rawBody: body('orderStatus') });

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
    const forged = { ...delivery({}), headers: { 'rt-signature': 'ab'.repeat(32), authorization: `Bearer ${secrets.secret}` } };
    expect(verifyEsimAccessDelivery(forged, secrets)).toBe(false);
  });
});
