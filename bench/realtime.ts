import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApp } from '../src/app/create-app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/infra/logger';

/** Comium and the eSIM platform e-mail the eSIM to the customer: their orders need one. */
const CUSTOMER = { email: 'bench@example.com', name: 'Bench Customer' };

/**
 * `npm run bench:realtime`: the delay from a usage change at a provider (sandbox control API) to
 * the `usageUpdated` event at a graphql-ws subscriber, per provider: webhook providers call back;
 * Comium is polled every USAGE_POLL_INTERVAL_MS (BENCH_POLL_MS, default 1000 here).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POLL_MS = process.env.BENCH_POLL_MS ?? '1000';
const PROVIDERS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'];
const ADMIN = `bench-admin-${randomBytes(8).toString('hex')}`;

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-bench-rt-'));
  const app = await createApp(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN,
      RATE_LIMIT_PER_SECOND: '1000000',
      SANDBOX_ORDER_DELAY_MS: '0',
      USAGE_POLL_INTERVAL_MS: POLL_MS,
      RECONCILE_INTERVAL_MS: '100',
    }),
    { logger: createLogger('silent'), host: '127.0.0.1' },
  );
  const gql = async (query: string, variables: object, key = ADMIN) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  };
  const client = createClient({
    url: `${app.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${ADMIN}` },
  });
  try {
    await gql('mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }', {
      i: {
        accountId: (await gql('{ viewer { id } }', {})).data.viewer.id,
        amount: '1000',
        idempotencyKey: randomUUID(),
      },
    });
    const waiting = new Map<string, (at: number) => void>();
    client.subscribe(
      { query: 'subscription { usageUpdated { iccid usage { usedBytes } } }' },
      {
        next: (m: any) =>
          waiting.get(`${m.data.usageUpdated.iccid}:${m.data.usageUpdated.usage.usedBytes}`)?.(performance.now()),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    const rows: string[] = [];
    for (const providerId of PROVIDERS) {
      const plan = (
        await gql(
          'query($p: [ID!]) { plans(filter: { providerIds: $p, minDataGb: 1 }, sort: PRICE_ASC, first: 1) { nodes { id } } }',
          { p: [providerId] },
        )
      ).data.plans.nodes[0];
      const id = (
        await gql('mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }', {
          i: { planId: plan.id, idempotencyKey: randomUUID(), customer: CUSTOMER },
        })
      ).data.placeOrder.id;
      let iccid: string | undefined;
      while (!iccid) {
        iccid = (await gql('query($id: ID!) { order(id: $id) { profiles { iccid } } }', { id })).data.order.profiles[0]
          ?.iccid;
        await new Promise((r) => setTimeout(r, 50));
      }
      const delays: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const usedBytes = round * 1_048_576;
        const seen = new Promise<number>((resolve) => waiting.set(`${iccid}:${usedBytes}`, resolve));
        const started = performance.now();
        await fetch(`${app.url}/sandbox/${providerId}/_control/usage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ iccid, usedBytes }),
        });
        delays.push(
          (await Promise.race([seen, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 15_000))])) - started,
        );
      }
      delays.sort((a, b) => a - b);
      rows.push(
        `| ${providerId} | ${providerId === 'comium' ? `poll every ${POLL_MS} ms` : 'webhook'} | ${ROUNDS} | ${delays[Math.floor(delays.length / 2)].toFixed(0)} | ${delays[delays.length - 1].toFixed(0)} |`,
      );
    }
    process.stdout.write(
      `\n| provider | path | changes | p50 ms | max ms |\n|---|---|---|---|---|\n${rows.join('\n')}\n\n`,
    );
  } finally {
    await client.dispose();
    await app.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
