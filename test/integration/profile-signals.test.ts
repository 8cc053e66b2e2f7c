import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { deriveWebhookSecret } from '../../src/services/realtime/webhook-credentials';
import { fixture } from '../helpers/documented-stub';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const SECRET = 'test-webhook-secret-signals-0123456789';
const PROFILE_FIELDS =
  'iccid status providerStatus expiresAt device { state providerState eid updatedAt } usage { usedBytes totalBytes alertRemainingPercent }';

/**
 * The signals providers send that we used to drop or squeeze into one status, delivered as their
 * documents show them (test/fixtures/documented), to a running gateway over HTTP.
 */
describe('profile signals from provider webhooks', () => {
  let t: TestApp;
  let r: Reseller;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20', WEBHOOK_SECRET: SECRET });
    r = await createReseller(t);
    await credit(t, r.accountId, '200');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  async function orderedProfile(providerId: string): Promise<{ iccid: string; orderId: string }> {
    const plan = await cheapestPlan(t, r.key, providerId, { minDataGb: 1 });
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
    return { iccid: order.profiles[0].iccid, orderId: order.id };
  }
  async function deliver(providerId: string, body: unknown): Promise<void> {
    const res = await fetch(`${t.url}/webhooks/${providerId}?token=${deriveWebhookSecret(SECRET, providerId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect([providerId, res.status]).toEqual([providerId, 200]);
  }
  async function profileUntil(iccid: string, done: (p: any) => boolean, what: string): Promise<any> {
    let last: any;
    for (const end = Date.now() + 8000; Date.now() < end; await new Promise((res) => setTimeout(res, 25))) {
      last = (await t.gql(`query($i: String!) { profile(iccid: $i) { ${PROFILE_FIELDS} } }`, { i: iccid }, r.key)).body
        .data.profile;
      if (done(last)) return last;
    }
    throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(last)}`);
  }
  const at = (base: number, seconds: number) => new Date(base + seconds * 1000).toISOString().replace('Z', '000Z');

  it('ConnectedYou: device events land on the device, plan events on the status, and neither moves the other back', async () => {
    const { iccid } = await orderedProfile('connectedyou');
    const base = Date.now() + 1000;
    const event = (name: string, seconds: number) => ({
      ...fixture('connectedyou', name),
      iccid,
      event_timestamp: at(base, seconds),
    });

    await deliver('connectedyou', event('webhook-PROFILE_LIFECYCLE-DOWNLOADED', 0));
    await deliver('connectedyou', event('webhook-PROFILE_LIFECYCLE-INSTALLED', 1));
    await deliver('connectedyou', event('webhook-PRODUCT_STATUS_CHANGE-ACTIVATED', 2));
    await deliver('connectedyou', event('webhook-PROFILE_LIFECYCLE-ENABLED', 3));
    const active = await profileUntil(
      iccid,
      (p) => p.device?.state === 'ENABLED' && p.status === 'ACTIVE',
      'ENABLED device on an ACTIVE plan',
    );
    // The documented ENABLED after activation used to turn ACTIVE back into INSTALLED.
    expect(active.status).toBe('ACTIVE');
    expect(active.device.eid).toBe(fixture('connectedyou', 'webhook-PROFILE_LIFECYCLE-ENABLED').eid);

    await deliver('connectedyou', event('webhook-PRODUCT_STATUS_CHANGE-TERMINATED', 4));
    await deliver('connectedyou', event('webhook-PROFILE_LIFECYCLE-DISABLED', 5));
    const ended = await profileUntil(iccid, (p) => p.device?.state === 'DISABLED', 'DISABLED device');
    // The documented DISABLED after termination used to turn the ended plan back into INSTALLED.
    expect(ended.status).not.toMatch(/^(INSTALLED|NOT_INSTALLED|ACTIVE)$/);

    // A device event older than the stored one changes nothing.
    await deliver('connectedyou', event('webhook-PROFILE_LIFECYCLE-ENABLED', -60));
    await new Promise((res) => setTimeout(res, 300));
    expect((await profileUntil(iccid, () => true, 'profile')).device.state).toBe('DISABLED');
  });

  it('ConnectedYou: a usage alert is kept as the share of the allowance left', async () => {
    const { iccid } = await orderedProfile('connectedyou');
    await deliver('connectedyou', {
      ...fixture<Record<string, unknown>>('connectedyou', 'webhook-USAGE_ALERT-80'),
      iccid,
      event_timestamp: new Date().toISOString(),
    });
    const alerted = await profileUntil(iccid, (p) => p.usage?.alertRemainingPercent != null, 'usage alert');
    expect(alerted.usage.alertRemainingPercent).toBeGreaterThanOrEqual(19);
    expect(alerted.usage.alertRemainingPercent).toBeLessThanOrEqual(20);
  });

  it('eSIM Access: an expiry warning moves expiresAt and reaches orderUpdated subscribers; a usage threshold is kept', async () => {
    const { iccid, orderId } = await orderedProfile('esimaccess');
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${r.key}` },
    });
    clients.push(client);
    const seen: any[] = [];
    client.subscribe(
      {
        query: 'subscription($id: ID) { orderUpdated(id: $id) { profiles { iccid expiresAt } } }',
        variables: { id: orderId },
      },
      { next: (m) => seen.push(m.data), error: () => undefined, complete: () => undefined },
    );
    await new Promise((res) => setTimeout(res, 200));

    const expiredTime = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const validity = fixture('esimaccess', 'webhook-VALIDITY_USAGE');
    await deliver('esimaccess', {
      ...validity,
      notifyId: `v-${Date.now()}`,
      eventGenerateTime: new Date().toISOString(),
      content: { ...validity.content, iccid, expiredTime },
    });
    const expiring = await profileUntil(
      iccid,
      (p) => p.expiresAt !== null && Date.parse(p.expiresAt) === Date.parse(expiredTime),
      'expiresAt from VALIDITY_USAGE',
    );
    expect(Date.parse(expiring.expiresAt)).toBe(Date.parse(expiredTime));
    for (
      const end = Date.now() + 5000;
      Date.now() < end &&
      !seen.some((e) => Date.parse(e?.orderUpdated?.profiles?.[0]?.expiresAt) === Date.parse(expiredTime));
    )
      await new Promise((res) => setTimeout(res, 25));
    expect(seen.some((e) => Date.parse(e?.orderUpdated?.profiles?.[0]?.expiresAt) === Date.parse(expiredTime))).toBe(
      true,
    );

    const usage = fixture('esimaccess', 'webhook-DATA_USAGE');
    await deliver('esimaccess', {
      ...usage,
      notifyId: `u-${Date.now()}`,
      eventGenerateTime: new Date().toISOString(),
      content: {
        ...usage.content,
        iccid,
        totalVolume: 2 * 1024 ** 3,
        orderUsage: 1024 ** 3,
        remain: 1024 ** 3,
        lastUpdateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    });
    const half = await profileUntil(
      iccid,
      (p) => p.usage?.alertRemainingPercent === 50 && p.usage.usedBytes > 0,
      'remainThreshold 0.5 with its reading',
    );
    expect(half.usage.usedBytes).toBe(1024 ** 3);
  });
});
