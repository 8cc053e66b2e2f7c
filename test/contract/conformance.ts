import { findCountry } from '../../src/domain/countries';
import { ProviderError, ProviderUnavailableError } from '../../src/domain/errors';
import { isDecimalString } from '../../src/domain/money';
import type { ProviderId } from '../../src/domain/provider';
import type { AdapterDeps } from '../../src/providers/adapter-deps';
import type { ProviderAdapter } from '../../src/providers/provider-adapter';
import type { Simulator } from '../../src/sandbox/shared/simulator';
import { describeLifecycleConformance } from './lifecycle-conformance';
import { describeWebhookConformance } from './webhook-conformance';
import { testLogger } from '../helpers/logger';
import { startSimulator, type RunningSimulator } from '../helpers/simulator-server';

/** What one provider contributes to the conformance suite. */
export interface ConformanceSubject {
  readonly id: ProviderId;
  /** A fresh simulator; `orderDelayMs` defaults to 0 (allocation at once). */
  readonly createSimulator: (options?: { orderDelayMs?: number; webhookChaos?: number }) => Simulator;
  /** The provider calls back (WEBHOOKS): run the webhook suite too. */
  readonly webhooks?: boolean;
  /**
   * Builds the adapter against the running simulator. `root` is http://127.0.0.1:<port>/sandbox/<id>
   * (append the provider's API prefix). `wrongCredentials` builds it with a bad secret.
   */
  readonly createAdapter: (root: string, deps: AdapterDeps, wrongCredentials?: boolean) => ProviderAdapter;
}

const fastPolicy = { timeoutMs: 1500, retryBaseMs: 5, retryMaxMs: 20, halfOpenAfterMs: 60_000, breakerThreshold: 3 };

/**
 * The one ProviderAdapter conformance suite: every adapter against its own simulator over real
 * HTTP, including the fault modes of the control API.
 */
export function describeConformance(subject: ConformanceSubject): void {
  describeLifecycleConformance(subject);
  if (subject.webhooks) describeWebhookConformance(subject);
  describe(`${subject.id} adapter against its simulator`, () => {
    let sim: RunningSimulator;
    let adapter: ProviderAdapter;
    const make = (policy = {}, wrong = false) =>
      subject.createAdapter(sim.root, { logger: testLogger, policy: { ...fastPolicy, ...policy } }, wrong);

    beforeEach(async () => {
      sim = await startSimulator(subject.createSimulator());
      adapter = make();
    });
    afterEach(async () => {
      await adapter.dispose();
      await sim.close();
    });

    it('lists a realistic catalog: ≥150 plans over ≥40 countries, regional and global', async () => {
      const plans = await adapter.listPlans();
      expect(plans.length).toBeGreaterThanOrEqual(150);
      const countries = new Set(plans.filter((p) => p.coverage === 'COUNTRY').flatMap((p) => p.countries));
      expect(countries.size).toBeGreaterThanOrEqual(40);
      expect(plans.some((p) => p.coverage === 'REGION')).toBe(true);
      expect(plans.some((p) => p.coverage === 'GLOBAL')).toBe(true);
      expect(new Set(plans.map((p) => p.id)).size).toBe(plans.length);
    });

    it('normalizes every plan to the gateway units', async () => {
      for (const plan of await adapter.listPlans()) {
        expect(plan.id).toBe(`${subject.id}:${plan.code}`);
        expect(plan.providerId).toBe(subject.id);
        for (const code of plan.countries) expect(findCountry(code)?.code).toBe(code);
        expect(plan.dataBytes === null || (Number.isSafeInteger(plan.dataBytes) && plan.dataBytes > 0)).toBe(true);
        expect(Number.isInteger(plan.validityDays) && plan.validityDays >= 1).toBe(true);
        expect(isDecimalString(plan.wholesalePrice.amount)).toBe(true);
        expect(Number(plan.wholesalePrice.amount)).toBeGreaterThan(0);
        expect(plan.wholesalePrice.currency).toMatch(/^[A-Z]{3}$/);
        expect(plan.name.length).toBeGreaterThan(0);
        for (const n of plan.networks ?? []) expect(findCountry(n.country)?.code).toBe(n.country);
      }
    });

    it('looks plans up by code, in order, with null for an unknown code', async () => {
      const plans = await adapter.listPlans();
      const picked = [plans[3], plans[0], plans[plans.length - 1]];
      const found = await adapter.getPlans([picked[0].code, 'NO-SUCH-PLAN', picked[1].code, picked[2].code]);
      expect(found.map((p) => p?.id ?? null)).toEqual([picked[0].id, null, picked[1].id, picked[2].id]);
      expect(found[0]?.wholesalePrice).toEqual(picked[0].wholesalePrice);
    });

    it('gives networks for every plan, from the catalog or from getNetworks', async () => {
      const plans = (await adapter.listPlans()).filter((p) => p.coverage === 'COUNTRY').slice(0, 5);
      for (const plan of plans) {
        const networks = plan.networks ?? (await adapter.getNetworks!([plan.code]))[0];
        expect(networks.length).toBeGreaterThan(0);
        expect(networks.every((n) => plan.countries.includes(n.country))).toBe(true);
      }
    });

    it('reads the upstream balance the simulator holds', async () => {
      await sim.control('balance', { amount: '1234.50' });
      const balance = await adapter.getBalance();
      if (balance !== null) expect(Number(balance.amount)).toBe(1234.5);
    });

    it('answers the readiness probe while up', async () => {
      await expect(adapter.probe()).resolves.toBeUndefined();
      expect(adapter.health().status).toBe('UP');
    });

    it('reports PROVIDER_UNAVAILABLE when the provider is down, then opens its circuit', async () => {
      await sim.control('fault', { mode: 'down' });
      for (let i = 0; i < 3; i++) await expect(adapter.listPlans()).rejects.toBeInstanceOf(ProviderUnavailableError);
      expect(adapter.health()).toMatchObject({ status: 'DOWN', circuitOpen: true });
      expect(adapter.health().lastError).toBeTruthy();
      const before = (await sim.stats()).total;
      await expect(adapter.listPlans()).rejects.toMatchObject({ reason: 'CIRCUIT_OPEN' });
      expect((await sim.stats()).total).toBe(before);
    });

    it('times out a slow provider instead of waiting', async () => {
      adapter = make({ timeoutMs: 150, maxAttempts: 1 });
      await sim.control('fault', { mode: 'slow', latencyMs: 600 });
      await expect(adapter.probe()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'TIMEOUT' });
    });

    it('retries reads through a flaky provider and classifies its failures', async () => {
      await sim.control('fault', { mode: 'flaky', errorRate: 1 });
      const error = await adapter.probe().catch((e) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(['PROVIDER_UNAVAILABLE', 'RATE_LIMITED']).toContain(error.code);
      expect((await sim.stats()).total).toBeGreaterThan(1);
    });

    it('treats rejected credentials as a provider failure, never as the caller being unauthenticated', async () => {
      const wrong = make({ maxAttempts: 1 }, true);
      const error = await wrong.probe().catch((e) => e);
      await wrong.dispose();
      expect(error).toBeInstanceOf(ProviderError);
      expect(['PROVIDER_ERROR', 'PROVIDER_UNAVAILABLE']).toContain(error.code);
      expect(error.message).not.toMatch(/secret|password|127\.0\.0\.1/i);
    });

    it('counts its calls: one catalog read costs the pages it needs and nothing more', async () => {
      await sim.control('reset-stats');
      await adapter.listPlans();
      const { total } = await sim.stats();
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(12);
    });
  });
}
