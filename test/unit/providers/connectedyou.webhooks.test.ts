import { BadUserInputError } from '../../../src/domain/errors';
import type { WebhookDelivery } from '../../../src/providers/provider-adapter';
import { parseCyEvent } from '../../../src/providers/connectedyou/connectedyou.webhook-mapper';
import {
  createCyWebhooks,
  CySandboxPortal,
  sandboxRootOf,
  verifyCyDelivery,
} from '../../../src/providers/connectedyou/connectedyou.webhooks';
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

  it('reads every documented device word as a DEVICE event without a plan status, an unknown word as state null', () => {
    const eventOf = (word: string) => parseCyEvent(raw('lifecycle', { status: word }))[0];
    for (const word of ['DOWNLOADED', 'INSTALLED', 'ENABLED', 'DISABLED', 'DELETED']) {
      expect(eventOf(word)).toMatchObject({ kind: 'DEVICE', device: { state: word, rawState: word } });
      expect(eventOf(word).status).toBeUndefined();
    }
    expect(eventOf('SWAPPED')).toMatchObject({ kind: 'DEVICE', device: { state: null, rawState: 'SWAPPED' } });
  });

  it('keeps a lifecycle event without an EID, with eid null, and says so once', () => {
    const said: string[] = [];
    const notes = { missingField: (field: string) => said.push(field), unknownWord: () => undefined };
    const { eid: _eid, ...withoutEid } = fixtures.lifecycle;
    expect(parseCyEvent(JSON.stringify(withoutEid), notes)[0]).toMatchObject({
      kind: 'DEVICE',
      device: { state: 'ENABLED', eid: null },
    });
    expect(said).toEqual(['PROFILE_LIFECYCLE.eid']);
  });

  it('reads the plan words: ACTIVATED as ACTIVE, TERMINATED (used up or expired) as the non-terminal DEPLETED, an unknown word as null', () => {
    const statusOf = (word: string) => parseCyEvent(raw('productStatus', { product_status: word }))[0];
    expect(statusOf('ACTIVATED')).toMatchObject({ kind: 'PROFILE', rawStatus: 'ACTIVATED', status: 'ACTIVE' });
    expect(statusOf('TERMINATED')).toMatchObject({ kind: 'PROFILE', rawStatus: 'TERMINATED', status: 'DEPLETED' });
    expect(statusOf('PAUSED')).toMatchObject({ kind: 'PROFILE', rawStatus: 'PAUSED', status: null });
  });

  it('gives the level crossed as the fraction left: percentage_consumed is the percent used', () => {
    const levelOf = (patch: Record<string, unknown>) => parseCyEvent(raw('usageAlert', patch))[0].remainingThreshold;
    expect(levelOf({ percentage_consumed: 50 })).toBe(0.5);
    expect(levelOf({ percentage_consumed: 79.99 })).toBe(0.5);
    expect(levelOf({ percentage_consumed: 80.57 })).toBe(0.2);
    expect(levelOf({ percentage_consumed: 100 })).toBe(0.2);
    expect(levelOf({ percentage_consumed: 12 })).toBeNull();
    // Without the percentage, derived from the MB figures (825.02 of 1024 = 80.6 %).
    expect(levelOf({ percentage_consumed: undefined, data_consumed: 825.02 })).toBe(0.2);
  });

  it('keeps an alert whose MB figures are missing, without a reading (usage is read upstream)', () => {
    expect(parseCyEvent(raw('usageAlert', { data_consumed: undefined }))[0]).toMatchObject({
      kind: 'USAGE',
      usage: null,
      remainingThreshold: 0.5,
    });
    expect(parseCyEvent(raw('usageAlert', { data_total: undefined }))[0]).toMatchObject({
      usage: { usedBytes: 550512886, totalBytes: null },
    });
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
  const delivery = (headers: Record<string, string>, query: Record<string, unknown> = {}): WebhookDelivery => ({
    headers,
    query: query as WebhookDelivery['query'],
    rawBody: raw('usageAlert'),
  });

  it('accepts the configured custom header, the URL token, or both when they match', () => {
    expect(verifyCyDelivery(delivery({ 'x-gateway-token': 's3cr3t-value' }, { token: 's3cr3t-value' }), secrets)).toBe(
      true,
    );
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
    expect(typeof createCyWebhooks(new CySandboxPortal('http://127.0.0.1:1/sandbox/connectedyou', 100)).register).toBe(
      'function',
    );
  });

  it('finds the simulator root from the API base URL', () => {
    expect(sandboxRootOf('http://127.0.0.1:4100/sandbox/connectedyou/v1')).toBe(
      'http://127.0.0.1:4100/sandbox/connectedyou',
    );
    expect(sandboxRootOf('http://127.0.0.1:4100/sandbox/connectedyou/v1/')).toBe(
      'http://127.0.0.1:4100/sandbox/connectedyou',
    );
  });
});
