import express from 'express';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_API_PREFIX, type ProvidersConfig } from '../../src/config/provider-config';
import { PROVIDER_IDS, type ProviderId } from '../../src/domain/provider';
import { SANDBOX_CREDENTIALS } from '../../src/domain/sandbox-credentials';
import type { ProfileRef, UpstreamOrder } from '../../src/providers/provider-adapter';
import { createRegistry, type ProviderRegistry } from '../../src/providers/registry';
import { createSandbox, type Sandbox } from '../../src/sandbox/server';
import { testLogger } from '../helpers/logger';
import { waitFor } from '../helpers/ws-client';

/**
 * The sandbox on a state dir, restarted: every simulator must still answer for the eSIMs it sold
 * before (through its own API, as the gateway's adapters read it, and through the control API),
 * and never hand out an order number or ICCID again.
 */

const CUSTOMER = { email: 'traveller@example.com', name: 'Test Traveller' };
const policy = { timeoutMs: 3000, retryBaseMs: 5, retryMaxMs: 20, halfOpenAfterMs: 60_000, breakerThreshold: 5 };

interface RunningSandbox {
  readonly sandbox: Sandbox;
  readonly registry: ProviderRegistry;
  /** http://127.0.0.1:<port>/sandbox */
  readonly root: string;
  control(id: ProviderId, route: string, body: unknown): Promise<Response>;
  close(): Promise<void>;
}

async function startSandbox(stateDir: string, orderDelayMs = 0): Promise<RunningSandbox> {
  const sandbox = createSandbox({ orderDelayMs, stateDir, webhookChaos: 0 });
  const app = express();
  app.use('/sandbox', sandbox.router);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox`;
  const providers = Object.fromEntries(
    PROVIDER_IDS.map((id) => [
      id,
      { ...SANDBOX_CREDENTIALS[id], baseUrl: `${root}/${id}${SANDBOX_API_PREFIX[id]}`, sandbox: true },
    ]),
  ) as unknown as ProvidersConfig;
  const registry = createRegistry(providers, { logger: testLogger, policy });
  return {
    sandbox,
    registry,
    root,
    control: (id, route, body) =>
      fetch(`${root}/${id}/_control/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    close: async () => {
      await registry.dispose();
      sandbox.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the sandbox restarted on the same state dir', () => {
  let stateDir: string;
  let running: RunningSandbox | null = null;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-persist-'));
  });
  afterEach(async () => {
    await running?.close();
    running = null;
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  /** A plan with a data allowance, so usage has a total to count against. */
  async function dataPlan(id: ProviderId) {
    const plans = await running!.registry.get(id).listPlans();
    return plans.find((p) => p.dataBytes !== null && p.dataBytes > 10_000_000)!;
  }

  async function order(id: ProviderId, reference: string): Promise<UpstreamOrder> {
    const adapter = running!.registry.get(id);
    const plan = await dataPlan(id);
    const placed = await adapter.placeOrder({
      reference,
      planCode: plan.code,
      quantity: 1,
      expectedUnitPrice: plan.wholesalePrice,
      customer: CUSTOMER,
    });
    if (placed.profiles.length > 0) return placed;
    const ref = { reference, providerOrderId: placed.providerOrderId, placedAt: new Date() };
    let found: UpstreamOrder | null = null;
    await waitFor(async () => ((found = await adapter.getOrder(ref))?.profiles.length ?? 0) > 0, 5000);
    return found!;
  }

  it('answers every provider’s earlier eSIMs with their usage and state, and numbers new ones afresh', async () => {
    running = await startSandbox(stateDir);
    const before = new Map<ProviderId, { order: UpstreamOrder; ref: ProfileRef; status: string | null }>();
    for (const id of PROVIDER_IDS) {
      const placed = await order(id, `persist-${id}-1`);
      const { iccid, providerProfileId } = placed.profiles[0];
      expect((await running.control(id, 'usage', { iccid, usedBytes: 5_242_880 })).status).toBe(200);
      const [profile] = await running.registry.get(id).getProfiles([{ iccid, providerProfileId }]);
      before.set(id, { order: placed, ref: { iccid, providerProfileId }, status: profile!.rawStatus });
    }
    expect((await running.control('esimtrade', 'balance', { amount: '777.00' })).status).toBe(200);
    await running.close();
    running = null;
    const files = fs.readdirSync(path.join(stateDir, 'sandbox')).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(PROVIDER_IDS.map((id) => `${id}.json`).sort());

    running = await startSandbox(stateDir);
    expect(running.sandbox.simulators.find((s) => s.id === 'esimtrade')!.control.balance).toBe('777.00');
    for (const id of PROVIDER_IDS) {
      const adapter = running.registry.get(id);
      const { order: earlier, ref, status } = before.get(id)!;
      const [usage] = await adapter.getUsage([ref]);
      expect({ id, used: usage?.usedBytes }).toEqual({ id, used: 5_242_880 });
      const [profile] = await adapter.getProfiles([ref]);
      expect({ id, status: profile?.rawStatus }).toEqual({ id, status });
      const again = await adapter.getOrder({
        reference: `persist-${id}-1`,
        providerOrderId: earlier.providerOrderId,
        placedAt: new Date(Date.now() - 60_000),
      });
      expect({ id, iccids: again?.profiles.map((p) => p.iccid) }).toEqual({ id, iccids: [ref.iccid] });
      // The control API drives it still.
      expect((await running.control(id, 'usage', { iccid: ref.iccid, usedBytes: 2_097_152 })).status).toBe(200);
      expect((await adapter.getUsage([ref]))[0]?.usedBytes).toBe(2_097_152);

      const next = await order(id, `persist-${id}-2`);
      expect(next.providerOrderId).not.toBe(earlier.providerOrderId);
      expect(next.profiles[0].iccid).not.toBe(ref.iccid);
    }
  });

  it('replays an idempotency key and keeps a reference taken before the restart (eSIMTrade’s own API)', async () => {
    running = await startSandbox(stateDir);
    const { accessCode, secretKey } = SANDBOX_CREDENTIALS.esimtrade;
    const headers = { 'X-Access-Code': accessCode, 'X-Secret-Key': secretKey, 'content-type': 'application/json' };
    const slug = (await dataPlan('esimtrade')).code;
    const place = (key: string, reference: string) =>
      fetch(`${running!.root}/esimtrade/portal/order`, {
        method: 'POST',
        headers: { ...headers, 'Idempotency-Key': key },
        body: JSON.stringify({ slug, reference }),
      });
    const first = await place('key-1', 'ref-1');
    expect(first.status).toBe(201);
    const { data: placed } = await first.json();
    await running.close();

    running = await startSandbox(stateDir);
    const replay = await place('key-1', 'ref-1');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await replay.json()).data.order_number).toBe(placed.order_number);
    expect((await place('key-2', 'ref-1')).status).toBe(409);
    const search = await fetch(`${running.root}/esimtrade/reseller/orders?q=ref-1`, { headers });
    expect((await search.json()).data.map((o: { order_number: string }) => o.order_number)).toEqual([
      placed.order_number,
    ]);
  });

  it('allocates an order the earlier run left PROCESSING', async () => {
    running = await startSandbox(stateDir, 60_000);
    const placed = await running.registry.get('comium').placeOrder({
      reference: 'persist-pending',
      planCode: (await dataPlan('comium')).code,
      quantity: 1,
      expectedUnitPrice: (await dataPlan('comium')).wholesalePrice,
      customer: CUSTOMER,
    });
    expect(placed.profiles).toHaveLength(0);
    await running.close();

    running = await startSandbox(stateDir, 50);
    const ref = { reference: 'persist-pending', providerOrderId: placed.providerOrderId, placedAt: new Date() };
    const adapter = running.registry.get('comium');
    await waitFor(async () => (await adapter.getOrder(ref))?.status === 'COMPLETED', 5000);
    const [profile] = (await adapter.getOrder(ref))!.profiles;
    expect((await running.control('comium', 'usage', { iccid: profile.iccid, usedBytes: 1 })).status).toBe(200);
  });
});
