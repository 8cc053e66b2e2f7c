import { BadUserInputError } from '../../../src/domain/errors';
import type { WebhookDelivery } from '../../../src/providers/provider-adapter';
import { parseCyEvent } from '../../../src/providers/connectedyou/connectedyou.webhook-mapper';
import { createCyWebhooks, CySandboxPortal, sandboxRootOf, verifyCyDelivery } from '../../../src/providers/connectedyou/connectedyou.webhooks';
import expected from '../../fixtures/providers/connectedyou/webhook-events.expected.json';
import fixtures from '../../fixtures/providers/connectedyou/webhook-events.json';

type Name = keyof typeof expected;
const names = Object.keys(expected) as Name[];
const raw = (name: Name, patch: Record<string, unknown> = {}) => JSON.stringify({ ...fixtures[name], ...patch });
const idOf = (body: string) => parseCyEvent(body)[0].eventId;

describe('connectedyou webhook mapper', () => {
  it.each(names)('normalizes the %s event', (name) => {
    const events = parseCyEvent(raw(name));
    expect(events).toEqual([{ ...expected[name], eventId: expect.stringMatching(/^cy_[0-9a-f]{64}$/) }]);
  });

  it('maps every documented device word through the eSIM status table, an unknown word to null', () => {
    const statusOf = (word: string) => parseCyEvent(raw('lifecycle', { status: word }))[0];
    expect(['DOWNLOADED', 'INSTALLED', 'ENABLED', 'DISABLED', 'DELETED'].map((w) => statusOf(w).status)).toEqual(['INSTALLED', 'INSTALLED', 'INSTALLED', 'INSTALLED', 'REVOKED']);
    expect(statusOf('SWAPPED')).toMatchObject({ kind: 'PROFILE', rawStatus: 'SWAPPED', status: null });
  });

  it('keeps TERMINATED as a hint (status null): it means used up OR expired, so the eSIM is re-read', () => {
    expect(parseCyEvent(raw('productStatus', { product_status: 'TERMINATED' }))[0]).toMatchObject({ kind: 'PROFILE', rawStatus: 'TERMINATED', status: null });
  });

  it('answers [] for an event type it does not know (a portal test, a newer type)', () => {
    expect(parseCyEvent(JSON.stringify({ event_type: 'TEST', message: 'hello' }))).toEqual([]);
  });

  it.each([
    ['a body that is not JSON', '<html>'],
    ['a JSON array', JSON.stringify([fixtures.usageAlert])],
    ['no event_type', JSON.stringify({ iccid: fixtures.usageAlert.iccid })],
    ['an ICCID that is not digits', raw('usageAlert', { iccid: 'abc' })],
    ['a malformed timestamp', raw('usageAlert', { event_timestamp: 'yesterday' })],
    ['usage that is not a number of MB', raw('usageAlert', { data_consumed: '525.01' })],
    ['a negative total', raw('usageAlert', { data_total: -1 })],
    ['a lifecycle event without status', raw('lifecycle', { status: '' })],
    ['a product event without product_status', raw('productStatus', { product_status: null })],
  ])('refuses %s with BadUserInputError', (_why, body) => {
    expect(() => parseCyEvent(body)).toThrow(BadUserInputError);
  });

  it('derives the same event id for a redelivery, even re-serialized, and another id for another event', () => {
    const body = raw('lifecycle');
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(fixtures.lifecycle).reverse()), null, 2);
    expect(idOf(body)).toBe(idOf(body));
    expect(idOf(reordered)).toBe(idOf(body));
    expect(idOf(raw('lifecycle', { status: 'DISABLED' }))).not.toBe(idOf(body));
    expect(idOf(raw('lifecycle', { event_timestamp: '2025-06-01T01:02:03.456790Z' }))).not.toBe(idOf(body));
    expect(idOf(raw('usageAlert', { data_consumed: 800 }))).not.toBe(idOf(raw('usageAlert')));
    expect(idOf(body).length).toBeLessThanOrEqual(120);
  });
});

describe('connectedyou webhook authentication', () => {
  const secrets = { secret: 's3cr3t-value', signingSecret: null };
  const delivery = (headers: Record<string, string>, query: Record<string, unknown> = {}): WebhookDelivery => ({ headers, query: query as WebhookDelivery['query'], rawBody: raw('usageAlert') });

  it('accepts the configured custom header, the URL token, or both when they match', () => {
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': 's3cr3t-value' }, { token: 's3cr3t-value' }), secrets)).toBe(true);
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': 's3cr3t-value' }), secrets)).toBe(true);
    expect(verifyCyDelivery(delivery({}, { token: 's3cr3t-value' }), secrets)).toBe(true);
  });

  it('refuses a missing, wrong or half-wrong credential', () => {
    expect(verifyCyDelivery(delivery({}), secrets)).toBe(false);
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': 'guess' }), secrets)).toBe(false);
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': 's3cr3t-value' }, { token: 'guess' }), secrets)).toBe(false);
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': 'guess' }, { token: 's3cr3t-value' }), secrets)).toBe(false);
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': '' }), secrets)).toBe(false);
    expect(verifyCyDelivery(delivery({}, { token: ['s3cr3t-value', 's3cr3t-value'] }), secrets)).toBe(false);
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': '' }), { secret: '', signingSecret: null })).toBe(false);
  });

  it('registers only through the sandbox portal: without one there is no register at all', () => {
    expect(createCyWebhooks(null).register).toBeUndefined();
    expect(typeof createCyWebhooks(new CySandboxPortal('http://127.0.0.1:1/sandbox/connectedyou', 100)).register).toBe('function');
  });

  it('finds the simulator root from the API base URL', () => {
    expect(sandboxRootOf('http://127.0.0.1:4100/sandbox/connectedyou/v1')).toBe('http://127.0.0.1:4100/sandbox/connectedyou');
    expect(sandboxRootOf('http://127.0.0.1:4100/sandbox/connectedyou/v1/')).toBe('http://127.0.0.1:4100/sandbox/connectedyou');
  });
});
