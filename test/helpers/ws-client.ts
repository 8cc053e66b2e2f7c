import { createClient, type Client } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import type { TestApp } from './test-app';

export const GRAPHQL_WS = 'graphql-transport-ws';
export const wsUrl = (t: TestApp) => `${t.url.replace('http', 'ws')}/graphql`;

export interface Outcome {
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** A `WebSocket` class that sends `Authorization: Bearer <key>` on the upgrade request. */
export function withAuthorizationHeader(key: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { authorization: `Bearer ${key}` } });
    }
  } as typeof WebSocket;
}

/** graphql-ws client; the key goes in connection_init unless `header` puts it on the upgrade. */
export function wsClient(
  t: TestApp,
  key: string | null,
  options: { header?: boolean; onClosed?: (code: number) => void } = {},
): Client {
  return createClient({
    url: wsUrl(t),
    webSocketImpl: options.header && key ? withAuthorizationHeader(key) : WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: key && !options.header ? { authorization: `Bearer ${key}` } : undefined,
    on: { closed: (event) => options.onClosed?.((event as { code: number }).code) },
  });
}

/** One operation: its first result, or the errors graphql-ws refused it with, or the close code. */
export function firstResult(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Outcome & { closeCode?: number }> {
  return new Promise((resolve) => {
    const stop = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          resolve(result as Outcome);
          stop();
        },
        error: (error) =>
          resolve(Array.isArray(error) ? { errors: error } : { closeCode: (error as { code?: number }).code }),
        complete: () => undefined,
      },
    );
  });
}

/** Opens a raw socket: the open WebSocket, or the HTTP status its upgrade was refused with. */
export function openSocket(
  t: TestApp,
  headers: Record<string, string> = {},
): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(t), GRAPHQL_WS, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
    });
    socket.once('error', () => undefined);
  });
}

export function closeCode(socket: WebSocket): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

/** Sends connection_init and resolves with the server's first answer (a message type, or a close code). */
export function init(socket: WebSocket, payload?: Record<string, unknown>): Promise<string | number> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data)).type));
    socket.once('close', (code) => resolve(code));
    socket.send(JSON.stringify({ type: 'connection_init', payload }));
  });
}

/**
 * Upgrades a raw TCP socket, then announces one masked frame of `bytes` and streams it in 64 KiB
 * chunks until the server closes. The client never holds the frame: only a chunk at a time.
 * Resolves with the close code the server sent and how many payload bytes it took.
 */
export async function streamHugeFrame(port: number, bytes: number): Promise<{ code: number | null; written: number }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let received = Buffer.alloc(0);
  let upgraded: () => void;
  const upgradedP = new Promise<void>((resolve) => (upgraded = resolve));
  let ended = false;
  const endedP = new Promise<void>((resolve) => socket.once('close', () => ((ended = true), resolve())));
  socket.on('data', (chunk) => {
    received = Buffer.concat([received, chunk]);
    if (received.includes('\r\n\r\n')) upgraded();
  });
  socket.write(
    `GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${GRAPHQL_WS}\r\n\r\n`,
  );
  await Promise.race([upgradedP, endedP]);
  const header = Buffer.alloc(14);
  header[0] = 0x81; // FIN, text
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(bytes), 2);
  randomBytes(4).copy(header, 10);
  socket.write(header);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  while (!ended && written < bytes && !closeFrameIn(received)) {
    written += chunk.length;
    if (!socket.write(chunk)) await Promise.race([new Promise((r) => socket.once('drain', r)), endedP]);
  }
  socket.destroy();
  return { code: closeFrameIn(received), written };
}

/** The close code of a server close frame after the 101 response, if one arrived. */
function closeFrameIn(received: Buffer): number | null {
  const start = received.indexOf('\r\n\r\n') + 4;
  if (start < 4 || received.length < start + 4 || received[start] !== 0x88) return null;
  return received.readUInt16BE(start + 2);
}

/** Polls `condition` until it holds, failing after `expireMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, expireMs = 5000): Promise<void> {
  const deadline = Date.now() + expireMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${expireMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
