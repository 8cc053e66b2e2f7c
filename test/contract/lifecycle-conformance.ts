import { randomUUID } from 'node:crypto';
import { ProviderRejectedError } from '../../src/domain/errors';
import { compareDecimal, multiplyDecimal, subtractDecimal } from '../../src/domain/money';
import { PROFILE_STATUSES } from '../../src/domain/profile-status';
import type { CatalogPlan } from '../../src/domain/plan';
import type { ProfileRef, ProviderAdapter, UpstreamOrder, UpstreamProfile } from '../../src/providers/provider-adapter';
import type { Simulator } from '../../src/sandbox/shared/simulator';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';
import type { ConformanceSubject } from './conformance';

/** Comium and the eSIM platform e-mail the eSIM to the customer: every order names one, as the order service ensures. */
const CONFORMANCE_CUSTOMER = { email: 'traveller@example.com', name: 'Test Traveller' };

const fastPolicy = { timeoutMs: 2000, retryBaseMs: 5, retryMaxMs: 20, halfOpenAfterMs: 60_000, breakerThreshold: 5 };
const ICCID = /^89\d{16,18}$/;

/**
 * Ordering and lifecycle, the same for every adapter against its simulator: idempotent orders,
 * lookup by our reference, allocation, usage, top-ups and each capability the adapter declares.
 */
export function describeLifecycleConformance(subject: ConformanceSubject): void {
  describe(`${subject.id} ordering and lifecycle against its simulator`, () => {
    let simulator: Simulator;
    let sim: RunningSimulator;
    let adapter: ProviderAdapter;

    async function start(orderDelayMs = 0): Promise<void> {
      simulator = subject.createSimulator({ orderDelayMs });
      sim = await startSimulator(simulator);
      adapter = subject.createAdapter(sim.root, { logger: testLogger, policy: fastPolicy });
    }
    afterEach(async () => {
      await adapter.dispose();
      await sim.close();
    });

    async function cheapestPlan(where: (p: CatalogPlan) => boolean = () => true): Promise<CatalogPlan> {
      const plans = (await adapter.listPlans()).filter(where);
      expect(plans.length).toBeGreaterThan(0);
      return plans.sort((a, b) => compareDecimal(a.wholesalePrice.amount, b.wholesalePrice.amount))[0];
    }

    async function order(plan: CatalogPlan, quantity = 1, reference = ref()): Promise<UpstreamOrder> {
      return adapter.placeOrder({
        reference,
        planCode: plan.code,
        quantity,
        expectedUnitPrice: plan.wholesalePrice,
        customer: CONFORMANCE_CUSTOMER,
      });
    }

    /** Reads the order back until its profiles are allocated. */
    async function completed(reference: string, placed: UpstreamOrder): Promise<UpstreamOrder> {
      for (let i = 0; i < 50; i++) {
        const found = await adapter.getOrder({
          reference,
          providerOrderId: placed.providerOrderId,
          placedAt: new Date(Date.now() - 60_000),
        });
        if (found?.status === 'COMPLETED') return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('order never completed');
    }

    async function oneProfile(where?: (p: CatalogPlan) => boolean): Promise<UpstreamProfile> {
      const plan = await cheapestPlan(where);
      const reference = ref();
      const placed = await order(plan, 1, reference);
      return (await completed(reference, placed)).profiles[0];
    }

    it('places an order exactly once per reference, debiting the upstream balance once', async () => {
      await start();
      const plan = await cheapestPlan();
      const before = simulator.control.balance;
      const reference = ref();
      const first = await order(plan, 1, reference);
      const again = await order(plan, 1, reference);
      expect(again.providerOrderId).toBe(first.providerOrderId);
      expect(['PROCESSING', 'COMPLETED']).toContain(first.status);
      expectAmount(simulator.control.balance, subtractDecimal(before, plan.wholesalePrice.amount));
    });

    it('allocates installable profiles, asynchronously, found again by our reference', async () => {
      await start(150);
      const plan = await cheapestPlan();
      const reference = ref();
      const placed = await order(plan, 1, reference);
      expect(placed.status).toBe('PROCESSING');
      expect(placed.profiles).toHaveLength(0);
      const lookup = () =>
        adapter.getOrder({ reference, providerOrderId: null, placedAt: new Date(Date.now() - 60_000) });
      // A provider that can only search allocated profiles (eSIM Access) may not see it yet;
      // the reconciler then re-sends under the same idempotency key.
      const early = await lookup();
      if (early) expect(early.providerOrderId).toBe(placed.providerOrderId);
      const done = await completed(reference, placed);
      expect((await lookup())?.providerOrderId).toBe(placed.providerOrderId);
      expect(done.profiles).toHaveLength(1);
      const [profile] = done.profiles;
      expect(profile.iccid).toMatch(ICCID);
      expect(profile.providerProfileId.length).toBeGreaterThan(0);
      expect(profile.status).toBe('NOT_INSTALLED');
      // Activation as the provider gives it: an LPA pair, or a QR code URL, or (e-mailed) nothing.
      if (profile.smdpAddress !== null) {
        expect(profile.smdpAddress).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/i);
        expect(profile.matchingId?.length).toBeGreaterThan(0);
      }
      expect(profile.rawStatus.length).toBeGreaterThan(0);
    });

    it('maps a downloaded, unused profile to INSTALLED', async () => {
      await start();
      const profile = await oneProfile();
      expect(await sim.control('install', { iccid: profile.iccid })).toMatchObject({ installed: true });
      expect((await adapter.getProfiles([profile]))[0]?.status).toBe('INSTALLED');
    });

    it('answers null for a reference it never saw', async () => {
      await start();
      expect(
        await adapter.getOrder({ reference: ref(), providerOrderId: null, placedAt: new Date(Date.now() - 60_000) }),
      ).toBeNull();
    });

    it('orders up to its batch limit in one call, one profile per unit', async () => {
      await start();
      const quantity = Math.min(3, adapter.batchLimits.orderQuantity);
      const plan = await cheapestPlan();
      const reference = ref();
      const done = await completed(reference, await order(plan, quantity, reference));
      expect(done.profiles).toHaveLength(quantity);
      expect(new Set(done.profiles.map((p) => p.iccid)).size).toBe(quantity);
    });

    it('refuses an order the upstream balance cannot pay, with the provider’s own code', async () => {
      await start();
      await sim.control('balance', { amount: '0.00' });
      const error = await order(await cheapestPlan()).catch((e) => e);
      expect(error).toBeInstanceOf(ProviderRejectedError);
      expect(error.providerCode).toBeTruthy();
    });

    it('refuses an out-of-stock plan with the provider’s own code, and sells it once restocked', async () => {
      await start();
      const plan = await cheapestPlan();
      expect(await sim.control('stock', { planCode: plan.code, available: -1 })).toHaveProperty('error');
      expect(await sim.control('stock', { planCode: plan.code, available: 0 })).toEqual({
        planCode: plan.code,
        available: 0,
      });
      const error = await order(plan).catch((e) => e);
      expect(error).toBeInstanceOf(ProviderRejectedError);
      expect(error.providerCode).toBeTruthy();
      await sim.control('stock', { planCode: plan.code, available: null });
      await expect(order(plan)).resolves.toMatchObject({ status: expect.any(String) });
    });

    it('refuses an unknown plan code', async () => {
      await start();
      const plan = await cheapestPlan();
      const error = await adapter
        .placeOrder({
          reference: ref(),
          planCode: 'NO-SUCH-PLAN-42',
          quantity: 1,
          expectedUnitPrice: plan.wholesalePrice,
          customer: CONFORMANCE_CUSTOMER,
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(ProviderRejectedError);
    });

    it('reads profiles and usage back, null for an unknown profile', async () => {
      await start();
      const profile = await oneProfile((p) => p.dataBytes !== null);
      await sim.control('usage', { iccid: profile.iccid, usedBytes: 1_048_576 });
      const unknown: ProfileRef = { iccid: '8900000000000000000', providerProfileId: '8900000000000000000' };
      const [usage, missing] = await adapter.getUsage([profile, unknown]);
      expect(missing).toBeNull();
      expect(usage?.usedBytes).toBe(1_048_576);
      expect(usage?.totalBytes).toBeGreaterThan(1_048_576);
      expect(Number.isNaN(Date.parse(usage!.updatedAt))).toBe(false);
      const [read, none] = await adapter.getProfiles([profile, unknown]);
      expect(none).toBeNull();
      expect(read?.iccid).toBe(profile.iccid);
      expect(read?.status).toBe('ACTIVE');
      expect(PROFILE_STATUSES).toContain(read?.status);
    });

    it('reads a whole usage batch in one call', async () => {
      await start();
      const size = Math.min(adapter.batchLimits.usage, 3);
      const plan = await cheapestPlan();
      const reference = ref();
      const done = await completed(
        reference,
        await order(plan, Math.min(size, adapter.batchLimits.orderQuantity), reference),
      );
      const profiles = [...done.profiles];
      while (profiles.length < size)
        profiles.push(
          (await completed(reference + 'b' + profiles.length, await order(plan, 1, reference + 'b' + profiles.length)))
            .profiles[0],
        );
      await sim.control('reset-stats');
      const usage = await adapter.getUsage(profiles);
      expect(usage.every((u) => u !== null && u.usedBytes === 0)).toBe(true);
      expect((await sim.stats()).total).toBeLessThanOrEqual(size === 1 ? 2 : 1);
    });

    it('declares each capability group it has whole, and nothing else', async () => {
      await start();
      const { TOP_UP, CANCEL, SUSPEND, RESUME, REVOKE, SMS, WEBHOOKS, ...rest } = adapter.supports;
      expect(rest).toEqual({});
      const calls: [string, unknown][] = [
        ['TOP_UP.list', TOP_UP?.list],
        ['TOP_UP.buy', TOP_UP?.buy],
        ['CANCEL', CANCEL],
        ['SUSPEND', SUSPEND],
        ['RESUME', RESUME],
        ['REVOKE', REVOKE],
        ['SMS.send', SMS?.send],
        ['WEBHOOKS.verify', WEBHOOKS?.verify],
        ['WEBHOOKS.parse', WEBHOOKS?.parse],
      ];
      const group = (name: string) => name.split('.')[0] as keyof typeof adapter.supports;
      for (const [name, call] of calls)
        expect([name, typeof call]).toEqual([
          name,
          adapter.supports[group(name)] === undefined ? 'undefined' : 'function',
        ]);
    });

    it('tops up a profile once per reference, adding data', async () => {
      await start();
      if (!adapter.supports.TOP_UP) return;
      const profile = await oneProfile((p) => p.topUpSupported && p.dataBytes !== null);
      const options = await adapter.supports.TOP_UP!.list(profile);
      expect(options.length).toBeGreaterThan(0);
      const option = options.sort((a, b) => compareDecimal(a.wholesalePrice.amount, b.wholesalePrice.amount))[0];
      expect(option.id).toBe(`${subject.id}:${option.code}`);
      const [before] = await adapter.getUsage([profile]);
      const balance = simulator.control.balance;
      const reference = ref();
      const request = { reference, profile, planCode: option.code, expectedPrice: option.wholesalePrice };
      const first = await adapter.supports.TOP_UP!.buy(request);
      const again = await adapter.supports.TOP_UP!.buy(request);
      expect(again.providerTopUpId).toBe(first.providerTopUpId);
      expect(first.status).not.toBe('FAILED');
      expectAmount(simulator.control.balance, subtractDecimal(balance, option.wholesalePrice.amount));
      const [after] = await adapter.getUsage([profile]);
      if (option.dataBytes !== null) expect(after!.totalBytes).toBe(before!.totalBytes! + option.dataBytes);
    });

    it('cancels an unused profile and refuses to cancel a used one', async () => {
      await start();
      if (!adapter.supports.CANCEL) return;
      const unused = await oneProfile();
      await adapter.supports.CANCEL!(unused);
      expect((await adapter.getProfiles([unused]))[0]?.status).toBe('CANCELLED');
      const used = await oneProfile((p) => p.dataBytes !== null);
      await sim.control('usage', { iccid: used.iccid, usedBytes: 10 });
      await expect(adapter.supports.CANCEL!(used)).rejects.toBeInstanceOf(ProviderRejectedError);
    });

    it('suspends, resumes and revokes where it can', async () => {
      await start();
      const profile = await oneProfile();
      const status = async () => (await adapter.getProfiles([profile]))[0]?.status;
      const { SUSPEND, RESUME, REVOKE, SMS } = adapter.supports;
      if (SUSPEND) {
        await SUSPEND(profile);
        expect(await status()).toBe('SUSPENDED');
      }
      if (RESUME && SUSPEND) {
        await RESUME(profile);
        expect(await status()).toBe('NOT_INSTALLED');
      }
      if (REVOKE) {
        await REVOKE(profile);
        expect(await status()).toBe('REVOKED');
        if (RESUME) await expect(RESUME(profile)).rejects.toBeInstanceOf(ProviderRejectedError);
      }
      if (SMS && !REVOKE) await expect(SMS.send(profile, 'Welcome')).resolves.toBeUndefined();
    });

    it('sends an SMS to a live profile where it can', async () => {
      await start();
      const sms = adapter.supports.SMS;
      if (!sms) return;
      const profile = await oneProfile();
      await expect(sms.send(profile, 'Welcome aboard')).resolves.toBeUndefined();
    });

    it('charges the quantity times the unit price for a multi-profile order', async () => {
      await start();
      const quantity = Math.min(2, adapter.batchLimits.orderQuantity);
      const plan = await cheapestPlan();
      const before = simulator.control.balance;
      await order(plan, quantity);
      expectAmount(
        simulator.control.balance,
        subtractDecimal(before, multiplyDecimal(plan.wholesalePrice.amount, quantity)),
      );
    });
  });
}

function ref(): string {
  return `o-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

function expectAmount(actual: string, expected: string): void {
  expect([actual, compareDecimal(actual, expected)]).toEqual([actual, 0]);
}
