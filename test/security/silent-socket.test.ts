import { createClient, type Client } from 'graphql-ws';
import net from 'node:net';
import WebSocket from 'ws';
import { createReseller, credit } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

const IDLE_MS = 500;
const HEADERS_MS = 1000;

/** Finding 9: sockets that send nothing, or headers a byte at a time, are closed by the server. */
describe('HTTP server timeouts', () => {
  let t: TestApp;
  const sockets: net.Socket[] = [];
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp({ HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS), HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS) });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  /** Connects and resolves with the milliseconds until the server closes the socket. */
  async function openSocket(
    onConnect: (socket: net.Socket) => void = () => undefined,
  ): Promise<{ closedAfter: Promise<number>; received: () => string }> {
    const { port } = new URL(t.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    sockets.push(socket);
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    const closedAfter = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
    onConnect(socket);
    return { closedAfter, received: () => data };
  }

  it('closes a connection that never sends a byte after the idle timeout', async () => {
    const silent = await Promise.all(Array.from({ length: 20 }, () => openSocket()));
    const closedAfter = await Promise.all(silent.map((s) => s.closedAfter));
    for (const ms of closedAfter) {
      expect(ms).toBeGreaterThanOrEqual(IDLE_MS - 50);
      expect(ms).toBeLessThan(IDLE_MS + 2000);
    }
  });

  it('drops slowloris headers, a byte every 100 ms, once the headers timeout passes', async () => {
    let timer: NodeJS.Timeout | undefined;
    const slow = await openSocket((socket) => {
      const bytes = Buffer.from(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(200)}`);
      let i = 0;
      timer = setInterval(() => socket.writable && i < bytes.length && socket.write(bytes.subarray(i, ++i)), 100);
    });
    const ms = await slow.closedAfter;
    clearInterval(timer);
    // More than the idle timeout (each byte re-arms it), less than the headers timeout plus one check.
    expect(ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(ms).toBeLessThan(HEADERS_MS + 2000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps an idle graphql-ws subscription open past the idle timeout, and delivers its next event', async () => {
    const reseller = await createReseller(t);
    let closed = false;
    // keepAlive 0: no pings from this client, so the socket is silent in both directions.
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      keepAlive: 0,
      connectionParams: { authorization: `Bearer ${reseller.key}` },
      on: { closed: () => (closed = true) },
    });
    clients.push(client);
    const events: any[] = [];
    const connected = new Promise((resolve) => client.on('connected', resolve));
    client.subscribe(
      { query: 'subscription { walletUpdated { balance { amount } } }' },
      { next: (m) => events.push(m), error: (e) => events.push({ error: e }), complete: () => undefined },
    );
    await connected;
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 4));
    expect(closed).toBe(false);
    await credit(t, reseller.accountId, '7');
    for (const deadline = Date.now() + 5000; !events.length && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([{ data: { walletUpdated: { balance: { amount: '7.00' } } } }]);
    expect(closed).toBe(false);
  });

  it('still answers a request that arrives in time on a kept-alive connection', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
