import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { cheapestPlan, credit, errorCode, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { firstResult, GRAPHQL_WS, init, waitFor, wsClient, wsUrl } from '../helpers/ws-client';

const KEY_FIELDS = 'id prefix createdAt lastUsedAt revokedAt';

/**
 * The back office (issue 18): listing and searching accounts, markups that price the next request,
 * key rotation and revocation that bite at once, and suspension on HTTP and graphql-ws.
 */
describe('back office: accounts and keys', () => {
  let t: TestApp;
  let alpha: Reseller & { name: string };
  let beta: Reseller & { name: string };
  const clients: Client[] = [];
  const sockets: WebSocket[] = [];

  async function create(name: string, markupPercent = '0'): Promise<Reseller & { name: string }> {
    const { body } = await t.gql(
      'mutation($i: CreateAccountInput!) { createAccount(input: $i) { apiKey account { id } } }',
      { i: { name, markupPercent } },
    );
    return { name, accountId: body.data.createAccount.account.id, key: body.data.createAccount.apiKey };
  }
  const viewerId = async (key: string) => (await t.gql('{ viewer { id } }', {}, key)).body.data?.viewer?.id;
  const keysOf = async (accountId: string, key = ADMIN_KEY) =>
    (await t.gql(`query($id: ID!) { account(id: $id) { apiKeys { ${KEY_FIELDS} } } }`, { id: accountId }, key)).body
      .data.account.apiKeys as any[];
  const createKey = (accountId: string, key = ADMIN_KEY) =>
    t.gql(
      `mutation($id: ID!) { createApiKey(accountId: $id) { apiKey key { ${KEY_FIELDS} } } }`,
      { id: accountId },
      key,
    );
  const revokeKey = (id: string, key = ADMIN_KEY) =>
    t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`, { id }, key);
  const update = (input: Record<string, unknown>, key = ADMIN_KEY) =>
    t.gql(
      'mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { id name markupPercent suspended } }',
      {
        i: input,
      },
      key,
    );

  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
    const tag = randomUUID().slice(0, 6);
    alpha = await create(`Alpha Travel ${tag}`);
    beta = await create(`beta_TRAVEL% ${tag}`);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    sockets.forEach((s) => s.terminate());
    await t.close();
  });

  describe('accounts and account', () => {
    const LIST = `query($first: Int, $after: String, $search: String) {
      accounts(first: $first, after: $after, search: $search) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id name role markupPercent suspended createdAt }
      }
    }`;
    const list = async (variables: Record<string, unknown>, key = ADMIN_KEY) => t.gql(LIST, variables, key);

    it('pages through every account, newest first, each once', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let total: number;
      do {
        const { body } = await list({ first: 1, after });
        expect(body.errors).toBeUndefined();
        const page = body.data.accounts;
        total = page.totalCount;
        expect(page.nodes).toHaveLength(1);
        seen.push(page.nodes[0].id);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(total).toBeGreaterThanOrEqual(3); // the admin and the two resellers
      expect(new Set(seen).size).toBe(total);
      expect(seen.slice(0, 2)).toEqual([beta.accountId, alpha.accountId]);
    });

    it('searches names case-insensitively, wildcards taken literally', async () => {
      const names = async (search: string) =>
        ((await list({ search, first: 50 })).body.data.accounts.nodes as any[]).map((n) => n.id).sort();
      expect(await names('travel')).toEqual([alpha.accountId, beta.accountId].sort());
      expect(await names('ALPHA TRAV')).toEqual([alpha.accountId]);
      expect(await names('_')).toEqual([beta.accountId]);
      expect(await names('%')).toEqual([beta.accountId]);
      expect(await names('no such account anywhere')).toEqual([]);
      const { body } = await list({ search: 'x'.repeat(201) });
      expect(errorCode(body)).toBe('BAD_USER_INPUT');
    });

    it('is admin only; a reseller reads its own account and no other', async () => {
      expect(errorCode((await list({}, alpha.key)).body)).toBe('FORBIDDEN');
      const q = 'query($id: ID!) { account(id: $id) { id name } }';
      expect((await t.gql(q, { id: alpha.accountId }, alpha.key)).body.data.account.id).toBe(alpha.accountId);
      const other = await t.gql(q, { id: beta.accountId }, alpha.key);
      const nobody = await t.gql(q, { id: randomUUID() }, alpha.key);
      expect(errorCode(other.body)).toBe('NOT_FOUND');
      expect(other.body.errors[0].message).toBe(nobody.body.errors[0].message);
      expect((await t.gql(q, { id: beta.accountId })).body.data.account.name).toBe(beta.name);
    });
  });

  describe('updateAccount', () => {
    it('prices the very next request with a new markup', async () => {
      const wholesale = await cheapestPlan(t, ADMIN_KEY, 'esimaccess');
      const before = await cheapestPlan(t, alpha.key, 'esimaccess'); // memoizes alpha's viewer
      expect(before).toEqual(wholesale);
      const { body } = await update({ id: alpha.accountId, markupPercent: '50' });
      expect(body.data.updateAccount.markupPercent).toBe('50');
      const after = await cheapestPlan(t, alpha.key, 'esimaccess');
      expect(after.id).toBe(wholesale.id);
      // +50 %, rounded half-up to the cent.
      expect(Math.abs(Number(after.price.amount) - Number(wholesale.price.amount) * 1.5)).toBeLessThanOrEqual(0.005001);
      expect(after.price.amount).not.toBe(wholesale.price.amount);
      await update({ id: alpha.accountId, markupPercent: '0' });
      expect(await cheapestPlan(t, alpha.key, 'esimaccess')).toEqual(wholesale);
    });

    it('validates like createAccount, keeps absent fields, and is admin only', async () => {
      expect(errorCode((await update({ id: alpha.accountId, markupPercent: '1000.00001' })).body)).toBe(
        'BAD_USER_INPUT',
      );
      expect(errorCode((await update({ id: alpha.accountId, markupPercent: 'abc' })).body)).toBe('BAD_USER_INPUT');
      expect(errorCode((await update({ id: alpha.accountId, name: '' })).body)).toBe('BAD_USER_INPUT');
      expect(errorCode((await update({ id: randomUUID(), name: 'x' })).body)).toBe('NOT_FOUND');
      const renamed = `${alpha.name} (renamed)`;
      const { body } = await update({ id: alpha.accountId, name: renamed });
      expect(body.data.updateAccount).toEqual({
        id: alpha.accountId,
        name: renamed,
        markupPercent: '0',
        suspended: false,
      });
      const refused = await t.gql(
        'mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { id } }',
        { i: { id: alpha.accountId, markupPercent: '0' } },
        alpha.key,
      );
      expect(errorCode(refused.body)).toBe('FORBIDDEN');
    });
  });

  describe('API keys', () => {
    it('creates a key shown once and revokes the old one at once', async () => {
      const fresh = await createKey(alpha.accountId);
      const { apiKey, key } = fresh.body.data.createApiKey;
      expect(apiKey).toMatch(/^esg_/);
      expect(key.prefix).toBe(apiKey.slice(0, 12));
      expect(await viewerId(apiKey)).toBe(alpha.accountId);
      const old = (await keysOf(alpha.accountId)).find((k) => k.id !== key.id)!;
      expect(await viewerId(alpha.key)).toBe(alpha.accountId); // memoized just before the revocation
      const revoked = await revokeKey(old.id);
      expect(revoked.body.data.revokeApiKey.revokedAt).not.toBeNull();
      const refused = await t.gql('{ viewer { id } }', {}, alpha.key);
      expect(refused.status).toBe(401);
      expect(errorCode(refused.body)).toBe('UNAUTHENTICATED');
      expect(await viewerId(apiKey)).toBe(alpha.accountId);
      alpha = { ...alpha, key: apiKey };
    });

    it('lists keys without ever exposing a key or its hash, with a throttled lastUsedAt', async () => {
      const keys = await keysOf(alpha.accountId);
      expect(keys).toHaveLength(2);
      for (const key of keys) expect(Object.keys(key).sort()).toEqual(KEY_FIELDS.split(' ').sort());
      const { body } = await t.gql(`query($id: ID!) { account(id: $id) { apiKeys { id keyHash } } }`, {
        id: alpha.accountId,
      });
      expect(errorCode(body)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(keys)).not.toContain(alpha.key);
      await waitFor(async () => (await keysOf(alpha.accountId)).some((k) => k.revokedAt === null && k.lastUsedAt));
    });

    it('lets a reseller rotate its own key, never its last one, and never touch another account', async () => {
      const created = await createKey(alpha.accountId, alpha.key);
      const next = created.body.data.createApiKey.apiKey as string;
      const current = (await keysOf(alpha.accountId)).find(
        (k) => k.revokedAt === null && k.prefix !== next.slice(0, 12),
      );
      expect((await revokeKey(current.id, alpha.key)).body.data.revokeApiKey.id).toBe(current.id);
      expect(errorCode((await t.gql('{ viewer { id } }', {}, alpha.key)).body)).toBe('UNAUTHENTICATED');
      alpha = { ...alpha, key: next };
      expect(await viewerId(next)).toBe(alpha.accountId);

      const [last] = (await keysOf(alpha.accountId, next)).filter((k) => k.revokedAt === null);
      const lastRefused = await revokeKey(last.id, next);
      expect(errorCode(lastRefused.body)).toBe('BAD_USER_INPUT');
      expect(await viewerId(next)).toBe(alpha.accountId);

      const betaKey = (await keysOf(beta.accountId))[0];
      expect(errorCode((await createKey(beta.accountId, next)).body)).toBe('NOT_FOUND');
      expect(errorCode((await revokeKey(betaKey.id, next)).body)).toBe('NOT_FOUND');
      expect(errorCode((await revokeKey(randomUUID(), next)).body)).toBe('NOT_FOUND');
      expect(await viewerId(beta.key)).toBe(beta.accountId);
    });
  });

  describe('suspension and Order.account', () => {
    let orderId: string;
    beforeAll(async () => {
      await credit(t, beta.accountId, '100');
      const plan = await cheapestPlan(t, beta.key, 'esimaccess');
      const { body } = await placeOrder(t, beta.key, { planId: plan.id, reference: 'beta-order' });
      orderId = (await waitForOrder(t, beta.key, body.data.placeOrder.id)).id;
    });

    it('shows admins whose order an order is, batched; a reseller meets only its own account', async () => {
      const { body } = await t.gql('{ orders(first: 50) { nodes { id account { id name } } } }');
      const order = body.data.orders.nodes.find((o: any) => o.id === orderId);
      expect(order.account).toEqual({ id: beta.accountId, name: beta.name });
      const own = await t.gql('query($id: ID!) { order(id: $id) { account { id } } }', { id: orderId }, beta.key);
      expect(own.body.data.order.account.id).toBe(beta.accountId);
    });

    it('refuses a suspended account on HTTP and graphql-ws, keeps what it owns, and restores it', async () => {
      const before = await t.gql('query($id: ID!) { account(id: $id) { wallet { balance { amount } } } }', {
        id: beta.accountId,
      });
      const open = wsClient(t, beta.key);
      clients.push(open);
      expect((await firstResult(open, '{ viewer { id } }')).data.viewer.id).toBe(beta.accountId);

      const suspended = await update({ id: beta.accountId, suspended: true });
      expect(suspended.body.data.updateAccount.suspended).toBe(true);

      const http = await t.gql('{ viewer { id } }', {}, beta.key);
      expect(http.status).toBe(403);
      expect(errorCode(http.body)).toBe('FORBIDDEN');
      expect(http.body.errors[0].message).toMatch(/suspended/);
      expect(http.body.data).toBeUndefined();

      // The connection opened before the suspension: its next operation is refused.
      const onOpen = await firstResult(open, '{ viewer { id } }');
      expect(onOpen.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      // A new connection is refused at connection_init.
      const socket = new WebSocket(wsUrl(t), GRAPHQL_WS);
      sockets.push(socket);
      await new Promise((resolve) => socket.once('open', resolve));
      expect(await init(socket, { authorization: `Bearer ${beta.key}` })).toBe(4403);
      // The key on the upgrade itself: 403 before any socket exists, as on HTTP.
      const upgraded = new WebSocket(wsUrl(t), GRAPHQL_WS, { headers: { authorization: `Bearer ${beta.key}` } });
      upgraded.on('error', () => undefined);
      const status = await new Promise<number>((resolve) =>
        upgraded.once('unexpected-response', (_request, response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }),
      );
      upgraded.terminate();
      expect(status).toBe(403);

      const orders = await t.gql('{ orders(first: 50) { nodes { id } } }');
      expect(orders.body.data.orders.nodes.map((o: any) => o.id)).toContain(orderId);
      const during = await t.gql('query($id: ID!) { account(id: $id) { wallet { balance { amount } } } }', {
        id: beta.accountId,
      });
      expect(during.body.data).toEqual(before.body.data);

      expect((await update({ id: beta.accountId, suspended: false })).body.data.updateAccount.suspended).toBe(false);
      expect(await viewerId(beta.key)).toBe(beta.accountId);
      const again = wsClient(t, beta.key);
      clients.push(again);
      expect((await firstResult(again, '{ viewer { id } }')).data.viewer.id).toBe(beta.accountId);
      const own = await t.gql('{ orders(first: 5) { nodes { id } } }', {}, beta.key);
      expect(own.body.data.orders.nodes.map((o: any) => o.id)).toContain(orderId);
    });

    it('never lets an admin lock itself out', async () => {
      const adminId = await viewerId(ADMIN_KEY);
      const { body } = await update({ id: adminId, suspended: true });
      expect(errorCode(body)).toBe('BAD_USER_INPUT');
      expect(await viewerId(ADMIN_KEY)).toBe(adminId);
      const [adminKey] = (await keysOf(adminId)).filter((k) => k.revokedAt === null);
      expect(adminKey.prefix).toBeNull(); // the operator chose this key: none of it is shown
      expect(errorCode((await revokeKey(adminKey.id)).body)).toBe('BAD_USER_INPUT');
      expect(await viewerId(ADMIN_KEY)).toBe(adminId);
    });
  });
});
