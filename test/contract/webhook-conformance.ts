import { randomBytes, randomUUID } from 'node:crypto';
import type { CatalogPlan } from '../../src/domain/plan';
import type { ProviderAdapter, WebhookSecrets } from '../../src/providers/provider-adapter';
import { capabilitiesOf } from '../../src/providers/capabilities';
import type { WebhookEvent } from '../../src/domain/webhook-event';
import type { Simulator } from '../../src/sandbox/shared/simulator';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import type { ConformanceSubject } from './conformance';

/** Comium and the eSIM platform e-mail the eSIM to the customer: every order names one, as the order service ensures. */
const CONFORMANCE_CUSTOMER = { email: 'traveller@example.com', name: 'Test Traveller' };

const fastPolicy = { timeoutMs: 2000, retryBaseMs: 5, retryMaxMs: 20, halfOpenAfterMs: 60_000, breakerThreshold: 5 };

/**
 * Webhooks, the same for every adapter that declares WEBHOOKS: registration with the simulator,
 * deliveries the adapter verifies and normalizes, forgeries refused.
 */
export function describeWebhookConformance(subject: ConformanceSubject): void {
  describe(`${subject.id} webhooks against its simulator`, () => {
    let simulator: Simulator;
    let sim: RunningSimulator;
    let adapter: ProviderAdapter;
    let receiver: WebhookReceiver;
    let secrets: WebhookSecrets;

    beforeEach(async () => {
      simulator = subject.createSimulator({ orderDelayMs: 0, webhookChaos: 0 });
      sim = await startSimulator(simulator);
      adapter = subject.createAdapter(sim.root, { logger: testLogger, policy: fastPolicy });
      receiver = await startWebhookReceiver();
      const secret = randomBytes(24).toString('base64url');
      const registered = adapter.supports.WEBHOOKS?.register
        ? await adapter.supports.WEBHOOKS.register({
            url: `${receiver.url}/webhooks/${subject.id}?token=${secret}`,
            secret,
          })
        : undefined;
      secrets = { secret, signingSecret: registered?.signingSecret ?? null };
    });
    afterEach(async () => {
      await adapter.dispose();
      await sim.close();
      await receiver.close();
    });

    async function until<T>(find: () => T | undefined, what: string): Promise<T> {
      for (let i = 0; i < 100; i++) {
        const found = find();
        if (found !== undefined) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no ${what} delivered`);
    }
    const events = (): WebhookEvent[] =>
      receiver.deliveries
        .filter((d) => adapter.supports.WEBHOOKS!.verify(d, secrets))
        .flatMap((d) => adapter.supports.WEBHOOKS!.parse(d));

    async function orderOne(): Promise<{ reference: string; providerOrderId: string }> {
      const plans: CatalogPlan[] = (await adapter.listPlans()).filter((p) => p.dataBytes !== null);
      const plan = plans.sort((a, b) => Number(a.wholesalePrice.amount) - Number(b.wholesalePrice.amount))[0];
      const reference = `w-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
      const placed = await adapter.placeOrder({
        reference,
        planCode: plan.code,
        quantity: 1,
        expectedUnitPrice: plan.wholesalePrice,
        customer: CONFORMANCE_CUSTOMER,
      });
      return { reference, providerOrderId: placed.providerOrderId };
    }

    it('declares WEBHOOKS and can be registered', () => {
      expect(capabilitiesOf(adapter)).toContain('WEBHOOKS');
      expect(typeof adapter.supports.WEBHOOKS?.register).toBe('function');
    });

    it('is called back when an order is allocated, with a delivery it verifies and normalizes', async () => {
      const { reference, providerOrderId } = await orderOne();
      const event = await until(
        () =>
          events().find(
            (e) => e.kind === 'ORDER' && (e.reference === reference || e.providerOrderId === providerOrderId),
          ),
        'ORDER event',
      );
      expect(event.eventId.length).toBeGreaterThan(0);
      expect(event.eventId.length).toBeLessThanOrEqual(120);
    });

    it('is called back when usage changes, naming the profile', async () => {
      const { reference, providerOrderId } = await orderOne();
      const order = await adapter.getOrder({ reference, providerOrderId, placedAt: new Date(Date.now() - 60_000) });
      const [profile] = order!.profiles;
      await sim.control('usage', { iccid: profile.iccid, usedBytes: 2_097_152 });
      const event = await until(
        () =>
          events().find(
            (e) =>
              (e.kind === 'USAGE' || e.kind === 'PROFILE') &&
              (e.iccid === profile.iccid || e.providerProfileId === profile.providerProfileId),
          ),
        'usage event',
      );
      if (event.kind === 'USAGE' && event.usage) expect(event.usage.usedBytes).toBe(2_097_152);
    });

    it('refuses forged deliveries: wrong secret, no credentials (signed bodies: see each provider’s own tests)', async () => {
      await orderOne();
      const real = await until(
        () => receiver.deliveries.find((d) => adapter.supports.WEBHOOKS!.verify(d, secrets)),
        'delivery',
      );
      expect(
        adapter.supports.WEBHOOKS!.verify(real, {
          secret: 'not-the-secret',
          signingSecret: secrets.signingSecret ? 'not-the-signing-secret' : null,
        }),
      ).toBe(false);
      expect(
        adapter.supports.WEBHOOKS!.verify(
          { headers: { 'content-type': 'application/json' }, query: {}, rawBody: real.rawBody },
          secrets,
        ),
      ).toBe(false);
    });

    it('derives the same event id for a repeated delivery', async () => {
      await orderOne();
      const real = await until(
        () => receiver.deliveries.find((d) => adapter.supports.WEBHOOKS!.verify(d, secrets)),
        'delivery',
      );
      expect(adapter.supports.WEBHOOKS!.parse(real).map((e) => e.eventId)).toEqual(
        adapter.supports.WEBHOOKS!.parse({ ...real }).map((e) => e.eventId),
      );
    });
  });
}
