import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { WebhookInboxEntity } from '../../src/db/entities';
import { deriveWebhookSecret } from '../../src/services/realtime/webhook-credentials';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const SECRET = 'test-webhook-secret-0123456789abcdef';
const WEBHOOK_PROVIDERS = ['esimaccess', 'connectedyou', 'esimplatform', 'esimtrade'];
/** Those whose documents show an order callback; ConnectedYou's documented webhooks are profile, product and usage events only. */
const ORDER_CALLBACK_PROVIDERS = ['esimaccess', 'esimplatform', 'esimtrade'];

/**
 * Callbacks end to end on one instance: the embedded simulators call the gateway back at the URL
 * it registered at start-up. The reconciler is slowed to an hour, so only webhooks (or, for
 * Comium, the poller) can move orders and usage here.
 */
describe('provider webhooks and polling', () => {
  let t: TestApp;
  let r: Reseller;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp({
      RECONCILE_INTERVAL_MS: '3600000',
      USAGE_POLL_INTERVAL_MS: '1000',
      WEBHOOK_SECRET: SECRET,
    });
    r = await createReseller(t);
    await credit(t, r.accountId, '500');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  function subscribe(query: string, variables: Record<string, unknown> = {}): any[] {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${r.key}` },
    });
    clients.push(client);
    const seen: any[] = [];
    client.subscribe(
      { query, variables },
      { next: (m) => seen.push(m.data), error: (e) => seen.push({ error: e }), complete: () => undefined },
    );
    return seen;
  }
  async function until<T>(find: () => T | undefined, what: string, ms = 8000): Promise<T> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((res) => setTimeout(res, 25))) {
      const found = find();
      if (found !== undefined) return found;
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** Moves an order on by hand with the reconciler (slowed to an hour here) until it completes. */
  async function reconcileUntilCompleted(id: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      await t.app.reconciler.tick(new Date(Date.now() + 3_600_000));
      const order = (await t.gql('query($id: ID!) { order(id: $id) { status profiles { iccid } } }', { id }, r.key))
        .body.data.order;
      if (order.status === 'COMPLETED') return order.profiles[0].iccid;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`order ${id} never completed`);
  }

  it.each(ORDER_CALLBACK_PROVIDERS)(
    'completes an order at %s through its callback alone, and pushes usage changes',
    async (providerId) => {
      const plan = await cheapestPlan(t, r.key, providerId, { minDataGb: 1 });
      const { body } = await placeOrder(t, r.key, { planId: plan.id });
      const order = await waitForOrder(t, r.key, body.data.placeOrder.id);
      const iccid = order.profiles[0].iccid;
      const usage = subscribe('subscription($i: String) { usageUpdated(iccid: $i) { iccid usage { usedBytes } } }', {
        i: iccid,
      });
      await new Promise((res) => setTimeout(res, 200));
      await t.control(providerId, 'usage', { iccid, usedBytes: 3_145_728 });
      await until(
        () => usage.find((e) => e?.usageUpdated?.usage.usedBytes === 3_145_728),
        `usageUpdated from ${providerId}`,
      );
    },
  );

  it("pushes ConnectedYou's documented usage alert (50% used) with its reading and threshold", async () => {
    const plan = await cheapestPlan(t, r.key, 'connectedyou', { minDataGb: 1 });
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    const iccid = await reconcileUntilCompleted(body.data.placeOrder.id);
    const usage = subscribe(
      'subscription($i: String) { usageUpdated(iccid: $i) { usage { usedBytes totalBytes alertRemainingPercent } } }',
      { i: iccid },
    );
    await new Promise((res) => setTimeout(res, 200));
    const { totalBytes } = (
      await t.gql('query($i: String!) { profile(iccid: $i) { usage { totalBytes } } }', { i: iccid }, r.key)
    ).body.data.profile.usage;
    await t.control('connectedyou', 'usage', { iccid, usedBytes: Math.ceil(totalBytes * 0.6) });
    const alert = await until(
      () => usage.find((e) => e?.usageUpdated?.usage.alertRemainingPercent === 50),
      'usage alert from connectedyou',
    );
    // The alert carries MB figures: the reading is the provider's, to the megabyte.
    expect(Math.abs(alert.usageUpdated.usage.usedBytes - Math.ceil(totalBytes * 0.6))).toBeLessThan(1024 * 1024);
  });

  it('polls a provider without webhooks (Comium) for usage', async () => {
    const plan = await cheapestPlan(t, r.key, 'comium');
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    // Comium never calls back: with the reconciler slowed down, drive it by hand until allocation.
    const iccid = await reconcileUntilCompleted(body.data.placeOrder.id);
    const usage = subscribe('subscription($i: String) { usageUpdated(iccid: $i) { usage { usedBytes } } }', {
      i: iccid,
    });
    await new Promise((res) => setTimeout(res, 200));
    await t.control('comium', 'usage', { iccid, usedBytes: 1_048_576 });
    await until(() => usage.find((e) => e?.usageUpdated?.usage.usedBytes === 1_048_576), 'polled usage', 10_000);
  });

  it('refuses a forged delivery with 401 and stores nothing', async () => {
    const before = await t.app.db.getRepository(WebhookInboxEntity).count();
    for (const providerId of WEBHOOK_PROVIDERS) {
      const res = await fetch(`${t.url}/webhooks/${providerId}?token=not-the-secret`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ notifyType: 'ORDER_STATUS', content: { orderNo: 'B1', transactionId: 'x' } }),
      });
      expect([providerId, res.status]).toEqual([providerId, 401]);
      // The master secret is never a credential itself: each provider has its own, derived from it.
      const master = await fetch(`${t.url}/webhooks/${providerId}?token=${SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gateway-token': SECRET },
        body: '{}',
      });
      expect([providerId, master.status]).toEqual([providerId, 401]);
    }
    expect(await t.app.db.getRepository(WebhookInboxEntity).count()).toBe(before);
    expect((await fetch(`${t.url}/webhooks/comium`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${t.url}/webhooks/nobody`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('processes a repeated delivery once', async () => {
    const body = JSON.stringify({
      notifyType: 'DATA_USAGE',
      notifyId: `dup-${Date.now()}`,
      eventGenerateTime: new Date().toISOString(),
      content: {
        iccid: '8900000000000000001',
        esimTranNo: 'T-none',
        orderNo: 'B-none',
        transactionId: 'none',
        totalVolume: 1024,
        orderUsage: 10,
        remain: 1014,
        lastUpdateTime: new Date().toISOString(),
      },
    });
    const post = () =>
      fetch(`${t.url}/webhooks/esimaccess?token=${deriveWebhookSecret(SECRET, 'esimaccess')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then((res) => res.json() as Promise<any>);
    const first = await post();
    const second = await post();
    expect(first).toMatchObject({ ok: true, accepted: 1, duplicates: 0 });
    expect(second).toMatchObject({ ok: true, accepted: 0, duplicates: 1 });
  });
});
