import { BadUserInputError } from '../../../src/domain/errors';
import { BYTES_PER_GB, BYTES_PER_MB } from '../../../src/domain/data-units';
import { createConnectedYouAdapter } from '../../../src/providers/connectedyou';
import type { ProviderAdapter, WebhookDelivery } from '../../../src/providers/provider-adapter';
import {
  DOCUMENTED_POLICY,
  fixture,
  fixtureText,
  startDocumentedStub,
  type DocumentedStub,
} from '../../helpers/documented-stub';
import { testLogger } from '../../helpers/logger';

// ConnectedYou: its documents give the outbound events only (provenance: test/fixtures/documented/connectedyou/SOURCES.md).
// No token, catalog, order, eSIM, usage or top-up body is documented, so nothing else is driven here.
const ID = 'connectedyou';
const SECRET = 'documented-webhook-secret';
/** The only published ICCID not masked with X (cy.wh.USAGE_ALERT.80). */
const UNMASKED_ICCID = '89103000000196235309';
/** The published EID with its 12 masked digits filled in (the masking is the documentation's). */
const UNMASKED_EID = '89049032007008882600123456789012';

const LIFECYCLE = ['DOWNLOADED', 'INSTALLED', 'ENABLED', 'DISABLED', 'DELETED'] as const;
const PRODUCT = ['ACTIVATED', 'TERMINATED'] as const;

/**
 * A documented delivery with our secret in the URL. `unmask` fills the X of a masked published
 * ICCID with the digits of the unmasked one: the masking is the documentation's, not the wire's.
 */
function delivery(name: string, unmask = true): WebhookDelivery {
  const body = fixture(ID, name);
  let rawBody = fixtureText(ID, name);
  if (unmask && /X/.test(body.iccid)) rawBody = rawBody.replace(body.iccid, UNMASKED_ICCID);
  if (unmask && typeof body.eid === 'string' && /X/.test(body.eid)) rawBody = rawBody.replace(body.eid, UNMASKED_EID);
  return { headers: { 'content-type': 'application/json' }, query: { token: SECRET }, rawBody };
}

/** Every documented event, in the order of its `event_timestamp`: one eSIM's life as the GitBook shows it. */
const SEQUENCE = [
  ...['USAGE_ALERT-50', 'USAGE_ALERT-80'],
  ...LIFECYCLE.map((s) => `PROFILE_LIFECYCLE-${s}`),
  ...PRODUCT.map((s) => `PRODUCT_STATUS_CHANGE-${s}`),
]
  .map((name) => `webhook-${name}`)
  .sort((a, b) => fixture(ID, a).event_timestamp.localeCompare(fixture(ID, b).event_timestamp));

describe('ConnectedYou against its documented bodies', () => {
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;
  const secrets = { secret: SECRET, signingSecret: null };

  beforeEach(async () => {
    // No route: nothing of the REST API is documented; any call would be recorded as unmatched.
    stub = await startDocumentedStub([]);
    adapter = createConnectedYouAdapter(
      {
        baseUrl: `${stub.url}/v1`,
        sandbox: false,
        clientId: 'asdjhqwo238912hasd',
        clientSecret: 'oiqwenoqwen2390asdnkj239sdjn123adawd',
        resellerAccountId: '1234567890',
      },
      { logger: testLogger, policy: DOCUMENTED_POLICY },
    );
  });

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  describe('webhooks', () => {
    it('has no registration call: outbound events are configured in the portal only', () => {
      expect(adapter.supports.WEBHOOKS?.register).toBeUndefined();
      expect(stub.calls).toEqual([]);
    });

    it('accepts a documented delivery carrying our secret and refuses one without it', () => {
      expect(adapter.supports.WEBHOOKS!.verify(delivery('webhook-USAGE_ALERT-80'), secrets)).toBe(true);
      expect(adapter.supports.WEBHOOKS!.verify({ ...delivery('webhook-USAGE_ALERT-80'), query: {} }, secrets)).toBe(
        false,
      );
      expect(
        adapter.supports.WEBHOOKS!.verify(
          { ...delivery('webhook-USAGE_ALERT-80'), query: { token: 'someone-else' } },
          secrets,
        ),
      ).toBe(false);
    });

    it('reads USAGE_ALERT (MB, 1 GB = 1024 MB) as usage in bytes, and the 80 % used alert as 0.2 left', () => {
      const body = fixture(ID, 'webhook-USAGE_ALERT-80');
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery('webhook-USAGE_ALERT-80'));
      expect(event).toMatchObject({
        kind: 'USAGE',
        iccid: UNMASKED_ICCID,
        providerProfileId: UNMASKED_ICCID,
        occurredAt: '2025-06-01T02:23:50.290Z',
        remainingThreshold: 0.2,
      });
      expect(event.usage?.totalBytes).toBe(BYTES_PER_GB);
      expect(Math.abs(event.usage!.usedBytes - body.data_consumed * BYTES_PER_MB)).toBeLessThanOrEqual(1);
      expect(event).not.toHaveProperty('status');
      expect(event).not.toHaveProperty('device');
    });

    it('reads the 50 % USAGE_ALERT (percentage_consumed 51.27 = percent used) as half left', () => {
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery('webhook-USAGE_ALERT-50'));
      expect(event).toMatchObject({ kind: 'USAGE', remainingThreshold: 0.5 });
      expect(Math.abs(event.usage!.usedBytes - 525.01 * BYTES_PER_MB)).toBeLessThanOrEqual(1);
    });

    it.each(LIFECYCLE)(
      'reads PROFILE_LIFECYCLE %s as a DEVICE event: device state and EID, no plan status',
      (status) => {
        const [event] = adapter.supports.WEBHOOKS!.parse(delivery(`webhook-PROFILE_LIFECYCLE-${status}`));
        expect(event).toMatchObject({
          kind: 'DEVICE',
          iccid: UNMASKED_ICCID,
          providerProfileId: UNMASKED_ICCID,
          device: { state: status, rawState: status, eid: UNMASKED_EID },
        });
        expect(event.status).toBeUndefined();
        expect(event.rawStatus).toBeUndefined();
      },
    );

    it.each([
      ['ACTIVATED', 'ACTIVE'],
      ['TERMINATED', 'DEPLETED'],
    ] as const)('reads PRODUCT_STATUS_CHANGE %s as the plan state %s', (word, status) => {
      const [event] = adapter.supports.WEBHOOKS!.parse(delivery(`webhook-PRODUCT_STATUS_CHANGE-${word}`));
      expect(event).toMatchObject({ kind: 'PROFILE', iccid: UNMASKED_ICCID, rawStatus: word, status });
      expect(event.device).toBeUndefined();
    });

    it('drives the whole documented sequence: verified, the plan only moves forward, the device carries its own words', () => {
      const events = SEQUENCE.map((name) => {
        const d = delivery(name);
        expect(adapter.supports.WEBHOOKS!.verify(d, secrets)).toBe(true);
        const parsed = adapter.supports.WEBHOOKS!.parse(d);
        expect(parsed).toHaveLength(1);
        return parsed[0];
      });
      // The documented life: downloaded, installed, plan activated, enabled, 50 % and 80 % used, plan terminated, disabled, deleted.
      expect(events.map((e) => e.kind)).toEqual([
        'DEVICE',
        'DEVICE',
        'PROFILE',
        'DEVICE',
        'USAGE',
        'USAGE',
        'PROFILE',
        'DEVICE',
        'DEVICE',
      ]);
      // Replaying the plan states in order never goes back: ENABLED after ACTIVATED and DISABLED after TERMINATED are device news only.
      expect(events.filter((e) => e.status !== undefined).map((e) => e.status)).toEqual(['ACTIVE', 'DEPLETED']);
      expect(events.filter((e) => e.kind === 'DEVICE').map((e) => [e.device?.state, e.device?.eid])).toEqual(
        LIFECYCLE.map((s) => [s, UNMASKED_EID]),
      );
      expect(events.filter((e) => e.kind === 'USAGE').map((e) => e.remainingThreshold)).toEqual([0.5, 0.2]);
      expect(events.map((e) => e.occurredAt)).toEqual([...events.map((e) => e.occurredAt)].sort());
    });

    it('derives one stable event id per documented event (no id is sent)', () => {
      const names = [
        'webhook-USAGE_ALERT-50',
        'webhook-USAGE_ALERT-80',
        ...LIFECYCLE.map((s) => `webhook-PROFILE_LIFECYCLE-${s}`),
        ...PRODUCT.map((s) => `webhook-PRODUCT_STATUS_CHANGE-${s}`),
      ];
      const ids = names.map((name) => adapter.supports.WEBHOOKS!.parse(delivery(name))[0].eventId);
      expect(new Set(ids).size).toBe(names.length);
      expect(adapter.supports.WEBHOOKS!.parse(delivery('webhook-USAGE_ALERT-80'))[0].eventId).toBe(ids[1]);
    });

    it('refuses a published body whose ICCID is still masked with X as unreadable (400), never stores it', () => {
      expect(() => adapter.supports.WEBHOOKS!.parse(delivery('webhook-PROFILE_LIFECYCLE-ENABLED', false))).toThrow(
        BadUserInputError,
      );
    });
  });
});
