import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createScratchDatabase } from '../../bench/scratch-database';
import { buildIfNeeded, freePort, startNode, waitForHttp, type Running } from '../../bench/processes';
import { deriveWebhookSecret } from '../../src/services/realtime/webhook-credentials';
import { TEST_CUSTOMER } from '../helpers/ordering';

const MYSQL = process.env.DATABASE_URL?.startsWith('mysql://') ? process.env.DATABASE_URL : null;
const REDIS = process.env.REDIS_URL ?? null;
const ADMIN = `scale-admin-${randomBytes(8).toString('hex')}`;
const SECRET = `scale-secret-${randomBytes(16).toString('hex')}`;
const PROVIDERS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'];

/**
 * The scale-out topology of docker-compose.yml, as processes: one `npm run sandbox`, two gateways
 * on one MySQL/MariaDB database and one Redis. Runs when DATABASE_URL and REDIS_URL are set (CI's
 * second pass); the embedded-default pass skips it.
 */
(MYSQL && REDIS ? describe : describe.skip)('two gateway instances, one sandbox, MariaDB + Redis', () => {
  const processes: Running[] = [];
  const clients: Client[] = [];
  let urls: [string, string];
  let sandboxUrl: string;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    buildIfNeeded();
    const database = await createScratchDatabase(MYSQL!, 'gw_scale');
    dropDatabase = database.drop;
    const sandboxPort = await freePort();
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    processes.push(
      startNode('src/sandbox/main.js', { SANDBOX_PORT: String(sandboxPort), SANDBOX_ORDER_DELAY_MS: '200' }),
    );
    await waitForHttp(`${sandboxUrl}/healthz`);
    const ports = [await freePort(), await freePort()];
    urls = ports.map((p) => `http://127.0.0.1:${p}`) as [string, string];
    const namespace = `gw-scale-${randomBytes(4).toString('hex')}`;
    // A first, then B: both migrate the same database; B starts once A has.
    for (const port of ports) {
      processes.push(
        startNode('src/main.js', {
          PORT: String(port),
          DATABASE_URL: database.url,
          REDIS_URL: REDIS!,
          CACHE_NAMESPACE: namespace,
          SANDBOX_URL: sandboxUrl,
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN,
          USAGE_POLL_INTERVAL_MS: '1000',
          RECONCILE_INTERVAL_MS: '500',
          WEBHOOK_SECRET: SECRET,
        }),
      );
      await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all(processes.reverse().map((p) => p.stop()));
    await dropDatabase?.();
  }, 60_000);

  const gql = async (url: string, query: string, variables: object = {}, key = ADMIN) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  };
  function subscribe(url: string, key: string, query: string): any[] {
    const client = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${key}` },
    });
    clients.push(client);
    const seen: any[] = [];
    client.subscribe(
      { query },
      { next: (m) => seen.push(m.data), error: (e) => seen.push({ error: String(e) }), complete: () => undefined },
    );
    return seen;
  }
  async function until<T>(find: () => T | undefined, what: string, ms = 20_000): Promise<T> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((res) => setTimeout(res, 50))) {
      const found = find();
      if (found !== undefined) return found;
    }
    throw new Error(
      `timed out waiting for ${what}; gateway output: ${processes.map((p) => p.output.join('').slice(-2000)).join('\n---\n')}`,
    );
  }
  const reseller = async (name: string) =>
    (
      await gql(urls[0], 'mutation($n: String!) { createAccount(input: { name: $n }) { apiKey account { id } } }', {
        n: name,
      })
    ).data.createAccount;

  it('delivers events raised on A, or by providers calling either, to subscribers on B, and to nobody else', async () => {
    const [a, b] = urls;
    const shop = await reseller('shop');
    const stranger = await reseller('stranger');
    const wallet = subscribe(b, shop.apiKey, 'subscription { walletUpdated { balance { amount } } }');
    const orders = subscribe(
      b,
      shop.apiKey,
      'subscription { orderUpdated { id status provider { id } profiles { iccid } } }',
    );
    const usage = subscribe(b, shop.apiKey, 'subscription { usageUpdated { iccid usage { usedBytes } } }');
    const strangers = [
      subscribe(b, stranger.apiKey, 'subscription { walletUpdated { balance { amount } } }'),
      subscribe(b, stranger.apiKey, 'subscription { orderUpdated { id } }'),
      subscribe(b, stranger.apiKey, 'subscription { usageUpdated { iccid } }'),
    ];
    await new Promise((res) => setTimeout(res, 500));

    await gql(a, 'mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }', {
      i: { accountId: shop.account.id, amount: '500.00', idempotencyKey: randomUUID() },
    });
    await until(() => wallet.find((e) => e?.walletUpdated?.balance.amount === '500.00'), 'walletUpdated on B');

    const completed = new Map<string, string>();
    for (const providerId of PROVIDERS) {
      const plan = (
        await gql(
          a,
          'query($p: [ID!]) { plans(filter: { providerIds: $p, minDataGb: 1 }, sort: PRICE_ASC, first: 1) { nodes { id } } }',
          { p: [providerId] },
          shop.apiKey,
        )
      ).data.plans.nodes[0];
      const placed = await gql(
        a,
        'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
        { i: { planId: plan.id, idempotencyKey: randomUUID(), customer: TEST_CUSTOMER } },
        shop.apiKey,
      );
      expect(placed.errors).toBeUndefined();
      const event = await until(
        () =>
          orders.find(
            (e) => e?.orderUpdated?.id === placed.data.placeOrder.id && e.orderUpdated.status === 'COMPLETED',
          ),
        `orderUpdated COMPLETED for ${providerId}`,
      );
      completed.set(providerId, event.orderUpdated.profiles[0].iccid);
    }

    for (const [providerId, iccid] of completed) {
      await fetch(`${sandboxUrl}/sandbox/${providerId}/_control/usage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ iccid, usedBytes: 5_242_880 }),
      });
      await until(
        () => usage.find((e) => e?.usageUpdated?.iccid === iccid && e.usageUpdated.usage.usedBytes === 5_242_880),
        `usageUpdated for ${providerId}`,
      );
    }
    expect(strangers.flat()).toEqual([]);
  }, 180_000);

  it('stores a delivery repeated to both instances once', async () => {
    const body = JSON.stringify({
      notifyType: 'DATA_USAGE',
      notifyId: `dup-${randomUUID()}`,
      eventGenerateTime: new Date().toISOString(),
      content: {
        iccid: '8900000000000000002',
        esimTranNo: 'none',
        orderNo: 'none',
        transactionId: 'none',
        totalVolume: 1024,
        orderUsage: 1,
        remain: 1023,
        lastUpdateTime: new Date().toISOString(),
      },
    });
    const post = (url: string) =>
      fetch(`${url}/webhooks/esimaccess?token=${deriveWebhookSecret(SECRET, 'esimaccess')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then((res) => res.json() as Promise<any>);
    const answers = [await post(urls[0]), await post(urls[1])];
    expect(answers.map((x) => x.accepted)).toEqual([1, 0]);
    expect(answers.map((x) => x.duplicates)).toEqual([0, 1]);
  });

  it('refuses a forged webhook on either instance', async () => {
    for (const url of urls) {
      const res = await fetch(`${url}/webhooks/esimaccess?token=forged`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"notifyType":"ORDER_STATUS","content":{}}',
      });
      expect(res.status).toBe(401);
    }
  });
});
