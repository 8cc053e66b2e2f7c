import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { OutboxEventEntity } from '../../src/db/entities';
import { inTransaction } from '../../src/db/transaction';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

/** Events published by the ordering services after commit, as one instance's subscribers see them. */
describe('order, wallet and usage events over graphql-ws', () => {
  let t: TestApp;
  let r: Reseller;
  let other: Reseller;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' });
    r = await createReseller(t);
    other = await createReseller(t);
    await credit(t, r.accountId, '100');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  function collect(key: string, query: string, variables: Record<string, unknown> = {}): any[] {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${key}` },
    });
    clients.push(client);
    const seen: any[] = [];
    client.subscribe(
      { query, variables },
      { next: (m) => seen.push(m), error: (e) => seen.push({ error: e }), complete: () => undefined },
    );
    return seen;
  }
  const settle = () => new Promise((res) => setTimeout(res, 300));

  it('pushes the order through its states and the wallet after its debit, to its owner and admins only', async () => {
    const orders = collect(r.key, 'subscription { orderUpdated { id status } }');
    const admin = collect(ADMIN_KEY, 'subscription { orderUpdated { id status } }');
    const wallets = collect(r.key, 'subscription { walletUpdated { balance { amount } } }');
    const stranger = collect(other.key, 'subscription { orderUpdated { id status } }');
    await settle();
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    await waitForOrder(t, r.key, body.data.placeOrder.id);
    await settle();
    const statuses = orders
      .filter((m) => m.data?.orderUpdated.id === body.data.placeOrder.id)
      .map((m) => m.data.orderUpdated.status);
    expect(statuses.at(-1)).toBe('COMPLETED');
    expect(wallets.map((m) => m.data?.walletUpdated.balance.amount)).toContain(
      (100 - Number(plan.price.amount)).toFixed(2),
    );
    expect(stranger).toEqual([]);
    expect(
      admin.filter((m) => m.data?.orderUpdated.id === body.data.placeOrder.id).map((m) => m.data.orderUpdated.status),
    ).toEqual(statuses);
  });

  it('pushes a usage change after refreshUsage', async () => {
    const plan = await cheapestPlan(t, r.key, 'esimaccess', { minDataGb: 1 });
    const { body } = await placeOrder(t, r.key, { planId: plan.id });
    const iccid = (await waitForOrder(t, r.key, body.data.placeOrder.id)).profiles[0].iccid;
    const events = collect(
      r.key,
      'subscription($i: String) { usageUpdated(iccid: $i) { iccid usage { usedBytes } profile { status } } }',
      { i: iccid },
    );
    await settle();
    await t.control('esimaccess', 'usage', { iccid, usedBytes: 4096 });
    await t.gql('mutation($i: String!) { refreshUsage(iccid: $i) { iccid } }', { i: iccid }, r.key);
    await settle();
    expect(events.map((m) => m.data?.usageUpdated)).toEqual([
      { iccid, usage: { usedBytes: 4096 }, profile: { status: expect.any(String) } },
    ]);
  });

  describe('the outbox', () => {
    const stored = () => t.app.db.getRepository(OutboxEventEntity).find();
    const waitFor = async (check: () => boolean, ms = 5000) => {
      for (const end = Date.now() + ms; !check() && Date.now() < end;) await new Promise((res) => setTimeout(res, 25));
    };

    it('publishes what a dead writer left behind, once per subscriber however often it is delivered', async () => {
      const plan = await cheapestPlan(t, r.key, 'esimaccess');
      const { body } = await placeOrder(t, r.key, { planId: plan.id });
      const orderId = body.data.placeOrder.id;
      await waitForOrder(t, r.key, orderId);
      await settle();
      const events = collect(r.key, 'subscription($id: ID) { orderUpdated(id: $id) { status } }', { id: orderId });
      await settle();
      // As a writer killed after its commit leaves it: stored, due, never published.
      const row: OutboxEventEntity = {
        id: randomUUID(),
        topic: 'ORDER_UPDATED',
        payload: JSON.stringify({ accountId: r.accountId, orderId }),
        createdAt: new Date(),
        dueAt: new Date(Date.now() - 1),
        attempts: 0,
      };
      await t.app.db.getRepository(OutboxEventEntity).insert(row);
      expect(await t.app.outbox.sweep()).toBe(1);
      await waitFor(() => events.length > 0);
      expect(events).toEqual([{ data: { orderUpdated: { status: 'COMPLETED' } } }]);
      expect(await stored()).toEqual([]);
      // The same event again (a sweep that raced the writer's own publish): no subscriber hears it twice.
      await t.app.db.getRepository(OutboxEventEntity).insert(row);
      expect(await t.app.outbox.sweep()).toBe(1);
      await settle();
      expect(events).toHaveLength(1);
    });

    it('keeps an event with its change: a rolled-back change announces nothing, a committed one leaves no row behind', async () => {
      const wallets = collect(r.key, 'subscription { walletUpdated { balance { amount } } }');
      await settle();
      await expect(
        inTransaction(t.app.db, async (tx) => {
          await t.app.outbox.add(tx, 'WALLET_UPDATED', { accountId: r.accountId });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await settle();
      expect(wallets).toEqual([]);
      expect(await stored()).toEqual([]);
      await inTransaction(t.app.db, (tx) => t.app.outbox.add(tx, 'WALLET_UPDATED', { accountId: r.accountId }));
      await waitFor(() => wallets.length > 0);
      expect(wallets).toHaveLength(1);
      await t.app.outbox.flush();
      expect(await stored()).toEqual([]);
    });
  });
});
