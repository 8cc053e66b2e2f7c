import type { Client } from 'graphql-ws';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { closeCode, init, openSocket, waitFor, wsClient } from '../helpers/ws-client';

/**
 * What one key may hold over graphql-ws (finding 6: one reseller held 4,170 subscriptions on 100
 * sockets, and its own events slowed every other reseller).
 */
const SUBSCRIPTIONS = 5;
const SOCKETS = 3;
let t: TestApp;
let resellerKey: string;
let otherKey: string;
beforeAll(async () => {
  t = await startTestApp({ SUBSCRIPTIONS_PER_KEY: String(SUBSCRIPTIONS), SOCKETS_PER_KEY: String(SOCKETS) });
  const create = async (name: string) =>
    (await t.gql(`mutation { createAccount(input: { name: "${name}" }) { apiKey } }`)).body.data.createAccount
      .apiKey as string;
  resellerKey = await create('caps-a');
  otherKey = await create('caps-b');
});
afterAll(() => t.close());

const WALLET = 'subscription { walletUpdated { id } }';

/** Subscribes and resolves once the server has either admitted it (after `settleMs`) or refused it. */
function subscribe(client: Client): { refused: Promise<unknown>; stop: () => void } {
  let stop!: () => void;
  const refused = new Promise<unknown>((resolve) => {
    stop = client.subscribe(
      { query: WALLET },
      { next: () => undefined, error: (e) => resolve(e), complete: () => undefined },
    );
  });
  return { refused, stop };
}
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'admitted'>((r) => setTimeout(() => r('admitted'), ms))]);

describe('live subscriptions per key', () => {
  it('refuses the subscription past SUBSCRIPTIONS_PER_KEY across sockets with RATE_LIMITED, and admits again after one completes', async () => {
    const clients = Array.from({ length: SOCKETS }, () => wsClient(t, resellerKey));
    const held = Array.from({ length: SUBSCRIPTIONS }, (_, i) => subscribe(clients[i % SOCKETS]));
    expect(await Promise.all(held.map((h) => within(h.refused, 500)))).toEqual(Array(SUBSCRIPTIONS).fill('admitted'));

    const over = subscribe(clients[0]);
    expect(await within(over.refused, 2000)).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
    ]);

    // Another key is not affected.
    const other = wsClient(t, otherKey);
    expect(await within(subscribe(other).refused, 500)).toBe('admitted');

    held[0].stop();
    await waitFor(async () => (await within(subscribe(clients[1]).refused, 300)) === 'admitted');
    await Promise.all([...clients, other].map((c) => c.dispose()));
  });

  it('releases every subscription of a socket when it closes', async () => {
    const first = wsClient(t, resellerKey);
    const held = Array.from({ length: SUBSCRIPTIONS }, () => subscribe(first));
    expect(await Promise.all(held.map((h) => within(h.refused, 500)))).toEqual(Array(SUBSCRIPTIONS).fill('admitted'));
    await first.dispose();
    const second = wsClient(t, resellerKey);
    await waitFor(async () => (await within(subscribe(second).refused, 300)) === 'admitted');
    const more = Array.from({ length: SUBSCRIPTIONS - 1 }, () => subscribe(second));
    expect(await Promise.all(more.map((h) => within(h.refused, 500)))).toEqual(
      Array(SUBSCRIPTIONS - 1).fill('admitted'),
    );
    await second.dispose();
  });

  it('does not count queries against the cap', async () => {
    const client = wsClient(t, resellerKey);
    const held = Array.from({ length: SUBSCRIPTIONS }, () => subscribe(client));
    await Promise.all(held.map((h) => within(h.refused, 500)));
    const result = await new Promise<any>((resolve) =>
      client.subscribe({ query: '{ viewer { id } }' }, { next: resolve, error: resolve, complete: () => undefined }),
    );
    expect(result.data.viewer.id).toBeTruthy();
    await client.dispose();
  });
});

describe('sockets per key', () => {
  it('closes the socket past SOCKETS_PER_KEY with 4429, whichever way it authenticates, and frees the slot on close', async () => {
    const sockets = [];
    for (let i = 0; i < SOCKETS; i++) {
      const { socket } = await openSocket(t);
      expect(await init(socket!, { authorization: `Bearer ${resellerKey}` })).toBe('connection_ack');
      sockets.push(socket!);
    }
    const overParams = (await openSocket(t)).socket!;
    expect(await init(overParams, { authorization: `Bearer ${resellerKey}` })).toBe(4429);
    const overHeader = (await openSocket(t, { authorization: `Bearer ${resellerKey}` })).socket!;
    expect(await closeCode(overHeader)).toBe(4429);
    // The admin key has sockets of its own.
    const admin = (await openSocket(t)).socket!;
    expect(await init(admin, { authorization: `Bearer ${ADMIN_KEY}` })).toBe('connection_ack');

    sockets[0].close();
    await closeCode(sockets[0]);
    await waitFor(async () => {
      const { socket } = await openSocket(t);
      const answer = await init(socket!, { authorization: `Bearer ${resellerKey}` });
      if (answer === 'connection_ack') sockets[0] = socket!;
      return answer === 'connection_ack';
    });
    await Promise.all([...sockets, admin].map((s) => (s.close(), closeCode(s))));
  });
});
