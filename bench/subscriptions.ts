import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import { keyedWebSocket } from './keyed-websocket';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2000);
const ACCOUNTS = 100;
const EVENT_EVERY_MS = 10;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);

export interface SubscriptionFigures {
  readonly subscribers: number;
  readonly events: number;
  readonly delivered: number;
  readonly p50: number;
  readonly p99: number;
  readonly peakRssMb: number;
  /** The gateway's RSS after the accounts were created, before any subscriber connected. */
  readonly idleRssMb: number;
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

/**
 * 2,000 graphql-ws subscribers to `walletUpdated`, spread over 100 accounts (a reseller's
 * frontends watch its own wallet), and a wallet credit every 10 ms, round robin over the
 * accounts: each event is filtered for every subscriber and resolved for its account's 20.
 * Delay = receipt time − the wallet's `updatedAt` (the commit, just before publishing; same
 * machine clock). Peak RSS is the gateway process's high-water mark (VmHWM).
 */
export async function runSubscriptionBench(url: string, adminKey: string, pid: number): Promise<SubscriptionFigures> {
  const post = async (query: string, variables: object, key = adminKey) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  };
  const accounts: { id: string; key: string }[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const created = (
      await post('mutation($n: String!) { createAccount(input: { name: $n }) { apiKey account { id } } }', {
        n: `bench-${i}`,
      })
    ).data.createAccount;
    accounts.push({ id: created.account.id, key: created.apiKey });
  }
  const idleRssMb = rssMb(pid, 'VmRSS');
  const delays: number[] = [];
  const clients: Client[] = [];
  let connected = 0;
  await Promise.all(
    Array.from(
      { length: SUBSCRIBERS },
      (_, i) =>
        new Promise<void>((resolve) => {
          const client = createClient({
            url: `${url.replace('http', 'ws')}/graphql`,
            // The key on the upgrade: 2,000 sockets opened at once from one IP would pass the cap on
            // sockets not yet authenticated (WS_MAX_UNAUTHENTICATED_PER_IP) while waiting for connection_init.
            webSocketImpl: keyedWebSocket(accounts[i % ACCOUNTS].key),
            lazy: false,
            retryAttempts: 0,
            on: {
              connected: () => {
                connected++;
                resolve();
              },
            },
          });
          clients.push(client);
          client.subscribe(
            { query: 'subscription { walletUpdated { updatedAt } }' },
            {
              next: (m: any) => delays.push(Date.now() - Date.parse(m.data.walletUpdated.updatedAt)),
              error: () => undefined,
              complete: () => undefined,
            },
          );
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 1000)); // every subscribe message reaches the server
  try {
    let sent = 0;
    const inFlight: Promise<unknown>[] = [];
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const account = accounts[sent % ACCOUNTS];
        inFlight.push(
          post('mutation($i: CreditWalletInput!) { creditWallet(input: $i) { id } }', {
            i: { accountId: account.id, amount: '1.00', idempotencyKey: randomUUID() },
          }),
        );
        if (++sent >= EVENTS) {
          clearInterval(timer);
          resolve();
        }
      }, EVENT_EVERY_MS);
    });
    await Promise.all(inFlight);
    await new Promise((r) => setTimeout(r, 2000)); // late deliveries
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
  delays.sort((a, b) => a - b);
  const pct = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? Number.NaN;
  return {
    subscribers: connected,
    events: EVENTS,
    delivered: delays.length,
    p50: pct(0.5),
    p99: pct(0.99),
    peakRssMb: rssMb(pid, 'VmHWM'),
    idleRssMb,
  };
}
