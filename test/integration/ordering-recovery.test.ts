import { ProviderRateLimitedError } from '../../src/domain/errors';
import type { ProviderAdapter } from '../../src/providers/provider-adapter';
import { OrderPartEntity } from '../../src/db/entities';
import { cheapestPlan, createReseller, credit, placeOrder, wallet, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The order flow "killed" between its steps: the adapter call is made to die at a chosen point,
 * leaving exactly the rows a crash would leave; the reconciler, run as after a restart, must
 * finish each order with one upstream order and an intact ledger. A create whose fate is unknown
 * is sent again only where the provider documents an idempotency key (`moneyCalls.order.resend`);
 * elsewhere it is looked up, never resent, and a person settles it (`resolveOrder`).
 */
describe.each(['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'])(
  'crash recovery at %s',
  (providerId) => {
    let t: TestApp;
    let r: Reseller;
    let adapter: ProviderAdapter;
    let realPlaceOrder: ProviderAdapter['placeOrder'];

    beforeAll(async () => {
      // A long reconcile interval: only the test drives the reconciler here.
      t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
      r = await createReseller(t);
      await credit(t, r.accountId, '300');
      adapter = t.app.registry.get(providerId);
      realPlaceOrder = adapter.placeOrder.bind(adapter);
    });
    afterEach(() => {
      (adapter as { placeOrder: ProviderAdapter['placeOrder'] }).placeOrder = realPlaceOrder;
    });
    afterAll(() => t.close());

    function dieDuringPlaceOrder(afterUpstream: boolean): void {
      (adapter as { placeOrder: ProviderAdapter['placeOrder'] }).placeOrder = async (request, signal) => {
        if (afterUpstream) await realPlaceOrder(request, signal);
        throw new Error('process killed');
      };
    }

    /** Runs the reconciler as a restarted instance would, past the submit grace, until the order is final. */
    async function reconcile(orderId: string): Promise<any> {
      for (let i = 0; i < 40; i++) {
        await t.app.reconciler.tick(new Date(Date.now() + 120_000 * (i + 1)));
        const { body } = await t.gql(
          'query($id: ID!) { order(id: $id) { id status profiles { iccid } } }',
          { id: orderId },
          r.key,
        );
        if (['COMPLETED', 'FAILED'].includes(body.data.order.status)) return body.data.order;
        await new Promise((res) => setTimeout(res, 30));
      }
      throw new Error('reconciler never finished the order');
    }

    async function orderOnce(crash: (() => void) | null, rewindToNew = false): Promise<void> {
      const plan = await cheapestPlan(t, r.key, providerId);
      const before = (await t.control(providerId, 'stats')).holdings.orders;
      crash?.();
      const { body } = await placeOrder(t, r.key, { planId: plan.id });
      expect(body.errors).toBeUndefined();
      const id = body.data.placeOrder.id;
      expect(['PENDING', 'PROCESSING']).toContain(body.data.placeOrder.status);
      (adapter as { placeOrder: ProviderAdapter['placeOrder'] }).placeOrder = realPlaceOrder;
      if (rewindToNew)
        await t.app.db.getRepository(OrderPartEntity).update({ orderId: id }, { status: 'NEW', submittedAt: null });

      const order = await reconcile(id);
      expect(order.status).toBe('COMPLETED');
      expect(order.profiles).toHaveLength(1);
      expect((await t.control(providerId, 'stats')).holdings.orders - before).toBe(1);
      const rows = (await wallet(t, r.key)).transactions.filter((x) => x.orderId === id);
      expect(rows.map((x) => x.type)).toEqual(['ORDER']);
    }

    it('finishes an order interrupted after the upstream call, without a second upstream order', () =>
      orderOnce(() => dieDuringPlaceOrder(true)));
    it('finishes an order interrupted after it was marked submitted but before the call left, or leaves it to a person where resending is not documented safe', async () => {
      if (t.app.registry.get(providerId).moneyCalls.order.resend) return orderOnce(() => dieDuringPlaceOrder(false));
      const plan = await cheapestPlan(t, r.key, providerId);
      const before = (await t.control(providerId, 'stats')).holdings.orders;
      dieDuringPlaceOrder(false);
      const { body } = await placeOrder(t, r.key, { planId: plan.id });
      const id = body.data.placeOrder.id;
      (adapter as { placeOrder: ProviderAdapter['placeOrder'] }).placeOrder = realPlaceOrder;
      for (let i = 0; i < 10; i++) await t.app.reconciler.tick(new Date(Date.now() + 120_000 * (i + 1)));
      // Looked up ten times, found nowhere, never sent again: still open, the money held, no upstream order.
      const open = (await t.gql('query($id: ID!) { order(id: $id) { status } }', { id }, r.key)).body.data.order;
      expect(['PENDING', 'PROCESSING']).toContain(open.status);
      expect((await t.control(providerId, 'stats')).holdings.orders - before).toBe(0);
      const resolved = await t.gql('mutation($i: ResolveOrderInput!) { resolveOrder(input: $i) { status } }', {
        i: { orderId: id, outcome: 'REFUND', note: 'the create never left' },
      });
      expect(resolved.body.data.resolveOrder.status).toBe('FAILED');
      const rows = (await wallet(t, r.key)).transactions.filter((x) => x.orderId === id);
      expect(rows.map((x) => x.type).sort()).toEqual(['ORDER', 'REFUND']);
    });
    it('sends again, on a later pass, a create the provider refused unprocessed (rate limited): one upstream order', () =>
      orderOnce(() => {
        (adapter as { placeOrder: ProviderAdapter['placeOrder'] }).placeOrder = async () => {
          throw new ProviderRateLimitedError(providerId, 50);
        };
      }));
    it('finishes an order interrupted after the money moved, before anything was submitted', () =>
      orderOnce(() => dieDuringPlaceOrder(false), true));
  },
);
