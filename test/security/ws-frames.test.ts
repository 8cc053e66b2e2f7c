import WebSocket from 'ws';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { closeCode, firstResult, init, openSocket, streamHugeFrame, waitFor, wsClient } from '../helpers/ws-client';

/**
 * What a WebSocket costs before it is authenticated (finding 2: eight anonymous sockets sending
 * one 64 MB connection_init each took the process from 276 MB to 1 GB and stalled every client).
 */
let t: TestApp;
const PER_IP = 8;
beforeAll(async () => {
  t = await startTestApp({ WS_MAX_UNAUTHENTICATED_PER_IP: String(PER_IP) });
});
afterAll(() => t.close());

const closeAll = (sockets: WebSocket[]) => Promise.all(sockets.map((s) => (s.close(), closeCode(s))));
const port = () => Number(new URL(t.url).port);

describe('frames before connection_init is accepted', () => {
  it('closes a connection_init over WS_MAX_INIT_BYTES with 1009', async () => {
    const { socket } = await openSocket(t);
    const answer = await init(socket!, { authorization: `Bearer ${ADMIN_KEY}`, pad: 'x'.repeat(20 * 1024) });
    expect(answer).toBe(1009);
  });

  it('accepts a connection_init under the limit', async () => {
    const { socket } = await openSocket(t);
    expect(await init(socket!, { authorization: `Bearer ${ADMIN_KEY}`, pad: 'x'.repeat(8 * 1024) })).toBe(
      'connection_ack',
    );
    socket!.close();
  });

  it('cuts eight anonymous 64 MB frames off at their header: memory stays flat and /healthz keeps answering', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    let answered = 0;
    let streaming = true;
    const probe = (async () => {
      while (streaming) {
        const res = await fetch(`${t.url}/healthz`);
        await res.arrayBuffer();
        if (res.ok) answered += 1;
        peak = Math.max(peak, process.memoryUsage().rss);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const streams = await Promise.all(Array.from({ length: 8 }, () => streamHugeFrame(port(), 64 * 1024 * 1024)));
    streaming = false;
    await probe;
    for (const stream of streams) {
      expect(stream.code).toBe(1009);
      // The server refused at the header: the client got nowhere near sending 64 MB.
      expect(stream.written).toBeLessThan(8 * 1024 * 1024);
    }
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    // The stall it guards against (1.6–3.5 s) came from parsing those frames; the byte counts
    // above prove they are refused at the header. A latency bound failed on loaded CI machines
    // (276 ms, then 1,033 ms beside other suites), so /healthz is only required to answer.
    expect(answered).toBeGreaterThan(0);
  });
});

describe('frames after connection_init is accepted', () => {
  it('takes frames up to WS_MAX_PAYLOAD_BYTES and closes with 1009 beyond', async () => {
    const { socket } = await openSocket(t);
    expect(await init(socket!, { authorization: `Bearer ${ADMIN_KEY}` })).toBe('connection_ack');
    const answers: string[] = [];
    socket!.on('message', (m) => answers.push(JSON.parse(String(m)).type));
    const subscribe = (id: string, padBytes: number) =>
      socket!.send(
        JSON.stringify({
          id,
          type: 'subscribe',
          payload: { query: '{ viewer { id } }', variables: { pad: 'x'.repeat(padBytes) } },
        }),
      );
    subscribe('big', 200 * 1024);
    await waitFor(() => answers.includes('complete'));
    expect(answers).toEqual(['next', 'complete']);
    const closed = closeCode(socket!);
    subscribe('too-big', 1024 * 1024 + 1);
    expect(await closed).toBe(1009);
  });
});

describe('sockets not yet authenticated, per client IP', () => {
  it(`refuses the upgrade with 429 beyond WS_MAX_UNAUTHENTICATED_PER_IP, and frees the slot on close or authentication`, async () => {
    const anonymous = await Promise.all(Array.from({ length: PER_IP }, () => openSocket(t)));
    expect(anonymous.every((a) => a.socket)).toBe(true);
    expect(await openSocket(t)).toEqual({ status: 429 });

    // One closes: its slot is free again.
    const first = anonymous[0].socket!;
    first.close();
    await closeCode(first);
    const replacement = await openSocket(t);
    expect(replacement.socket).toBeDefined();

    // Authenticated sockets no longer count: after their connection_ack there is room again.
    const sockets = [replacement.socket!, ...anonymous.slice(1).map((a) => a.socket!)];
    for (const socket of sockets)
      expect(await init(socket, { authorization: `Bearer ${ADMIN_KEY}` })).toBe('connection_ack');
    const more = await Promise.all(Array.from({ length: PER_IP }, () => openSocket(t)));
    expect(more.every((a) => a.socket)).toBe(true);
    await closeAll([...sockets, ...more.map((a) => a.socket!)]);
  });

  it('frees the slot of a socket refused for a wrong key', async () => {
    const refused = [];
    for (let i = 0; i < PER_IP; i++) {
      const { socket } = await openSocket(t);
      refused.push(await init(socket!, { authorization: 'Bearer not-a-real-key-123456' }));
    }
    expect(refused).toEqual(Array(PER_IP).fill(4403));
    // The server frees a slot when its side of the socket closes, a moment after the client sees 4403.
    let opened: WebSocket | undefined;
    await waitFor(async () => (opened = (await openSocket(t)).socket) !== undefined);
    await closeAll([opened!]);
  });
});

describe('a key on the upgrade request', () => {
  it('refuses a wrong key with 401 before any socket exists', async () => {
    expect(await openSocket(t, { authorization: 'Bearer not-a-real-key-123456' })).toEqual({ status: 401 });
    expect(await openSocket(t, { authorization: 'Basic Zm9vOmJhcg==' })).toEqual({ status: 401 });
  });

  it('authenticates the socket with a right key: connection_init needs no params', async () => {
    const client = wsClient(t, ADMIN_KEY, { header: true });
    const outcome = await firstResult(client, '{ viewer { role } }');
    expect(outcome.errors).toBeUndefined();
    expect(outcome.data.viewer.role).toBe('ADMIN');
    await client.dispose();
  });

  it('does not count a header-authenticated socket as anonymous', async () => {
    const sockets = await Promise.all(
      Array.from({ length: PER_IP + 2 }, () => openSocket(t, { authorization: `Bearer ${ADMIN_KEY}` })),
    );
    expect(sockets.every((s) => s.socket instanceof WebSocket)).toBe(true);
    expect(await init(sockets[0].socket!)).toBe('connection_ack');
    await closeAll(sockets.map((s) => s.socket!));
  });
});
