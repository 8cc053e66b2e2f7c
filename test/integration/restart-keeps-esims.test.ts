import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Live usage is read upstream on every request, so what the profile shows is what the simulator keeps. */
const ENV = { USAGE_CACHE_TTL_MS: '0', USAGE_POLL_INTERVAL_MS: '1000', RECONCILE_INTERVAL_MS: '50' };
const PROVIDERS = ['esimtrade', 'comium'] as const;
const MB = 1024 * 1024;

async function usageUntil(t: TestApp, key: string, iccid: string, usedBytes: number): Promise<number | null> {
  let seen: number | null = null;
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const { body } = await t.gql(
      'query($i: String!) { profile(iccid: $i) { usage { usedBytes } } }',
      { i: iccid },
      key,
    );
    seen = body.data?.profile?.usage?.usedBytes ?? null;
    if (seen === usedBytes) return seen;
  }
  return seen;
}

/**
 * The gateway restarted on its DATA_DIR (and database) with the embedded sandbox: every eSIM sold
 * before the restart is still known upstream, with its usage, and the control API still drives it.
 * Before the simulators saved their state, the second start's sandbox answered "unknown iccid".
 */
describe('a restart keeps the sandbox’s eSIMs usable', () => {
  let reseller: Reseller;
  const iccids = new Map<string, string>();

  it('keeps each profile’s usage, and lets it move on, across npm start restarts', async () => {
    const first = await startTestApp(ENV, { keepData: true });
    try {
      reseller = await createReseller(first);
      await credit(first, reseller.accountId, '200');
      for (const provider of PROVIDERS) {
        const plan = await cheapestPlan(first, reseller.key, provider, { minDataGb: 1 });
        const placed = await placeOrder(first, reseller.key, { planId: plan.id });
        const order = await waitForOrder(first, reseller.key, placed.body.data.placeOrder.id);
        expect(order.status).toBe('COMPLETED');
        iccids.set(provider, order.profiles[0].iccid);
        expect(
          await first.control(provider, 'usage', { iccid: order.profiles[0].iccid, usedBytes: 300 * MB }),
        ).not.toHaveProperty('error');
        expect([provider, await usageUntil(first, reseller.key, order.profiles[0].iccid, 300 * MB)]).toEqual([
          provider,
          300 * MB,
        ]);
      }
    } finally {
      await first.close();
    }

    const second = await startTestApp(ENV, { data: first.data });
    try {
      for (const provider of PROVIDERS) {
        const iccid = iccids.get(provider)!;
        expect([provider, await usageUntil(second, reseller.key, iccid, 300 * MB)]).toEqual([provider, 300 * MB]);
        const moved = await second.control(provider, 'usage', { iccid, usedBytes: 450 * MB });
        expect([provider, moved]).not.toEqual([provider, expect.objectContaining({ error: expect.anything() })]);
        expect([provider, await usageUntil(second, reseller.key, iccid, 450 * MB)]).toEqual([provider, 450 * MB]);
      }
    } finally {
      await second.close();
    }
  }, 60_000);
});
