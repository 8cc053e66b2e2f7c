import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Viewer } from '../domain/account';
import { setFrameLimit } from './ws-frame-limit';
import { once, Tally } from './ws-tally';

export interface UpgradeOptions {
  readonly path: string;
  /** Sockets one client IP may hold before their connection_init is accepted. */
  readonly maxUnauthenticatedPerIp: number;
  /** Largest frame until connection_init is accepted. */
  readonly maxInitBytes: number;
  /** Browser origins besides our own that may open a socket (CORS_ORIGINS). */
  readonly allowedOrigins: readonly string[];
  /** Resolves an upgrade's `Authorization` header to its caller, or rejects. */
  authenticate(authorization: string): Promise<Viewer>;
}

/** What the upgrade learned about a socket it accepted. */
export interface AcceptedSocket {
  readonly ip: string;
  /** The caller of a valid `Authorization` header on the upgrade; null when connection_init must authenticate. */
  readonly viewer: Viewer | null;
  /** Gives back the IP's unauthenticated slot once connection_init is accepted (idempotent). */
  readonly authenticated: () => void;
}

/**
 * Takes over WebSocket upgrades on `httpServer` (the WebSocketServer runs with `noServer`), so
 * that what an anonymous client can cost is decided before ws accepts anything: each IP holds at
 * most `maxUnauthenticatedPerIp` sockets not yet authenticated (429 beyond, no socket made), a key
 * in the upgrade's header is checked first (401, no socket), and every accepted socket starts at
 * the small pre-auth frame limit. Returns the function that stops taking upgrades.
 */
export function acceptUpgrades(
  httpServer: Server,
  wss: WebSocketServer,
  options: UpgradeOptions,
  onAccepted: (socket: WebSocket, request: IncomingMessage, accepted: AcceptedSocket) => void,
): () => void {
  const unauthenticated = new Tally();
  let stopped = false;
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (stopped) return refuse(socket, 503);
    if ((request.url ?? '').split('?')[0] !== options.path) return refuse(socket, 400);
    // Browsers let any page open a WebSocket anywhere and send no preflight: the Origin header is
    // the only thing standing between another site and a socket on our key (cross-site WebSocket
    // hijacking). Clients other than browsers send none, and are let through to authenticate.
    if (!originAllowed(request, options.allowedOrigins)) return refuse(socket, 403);
    const ip = request.socket.remoteAddress ?? 'unknown';
    if (!unauthenticated.tryAcquire(ip, options.maxUnauthenticatedPerIp)) return refuse(socket, 429, 'Retry-After: 1');
    const authenticated = once(() => unauthenticated.release(ip));
    // The raw socket closes on every path (refused, aborted handshake, WebSocket closed).
    socket.once('close', authenticated);
    // ws adds its own error listener only in handleUpgrade; until then an error must not go unhandled.
    const onError = () => socket.destroy();
    socket.on('error', onError);
    const upgrade = (viewer: Viewer | null) => {
      socket.off('error', onError);
      if (socket.destroyed) return;
      wss.handleUpgrade(request, socket, head, (ws) => {
        if (!setFrameLimit(ws, options.maxInitBytes)) return ws.close(1011, 'Internal server error');
        onAccepted(ws, request, { ip, viewer, authenticated });
      });
    };
    const header = request.headers.authorization;
    if (!header) return upgrade(null);
    options.authenticate(header).then(
      (viewer) => {
        authenticated();
        upgrade(viewer);
      },
      // A suspended account's valid key is forbidden, as on HTTP; anything else is unauthenticated.
      (error: { extensions?: { code?: unknown } }) =>
        error?.extensions?.code === 'FORBIDDEN' ? refuse(socket, 403) : refuse(socket, 401, 'WWW-Authenticate: Bearer'),
    );
  };
  httpServer.on('upgrade', onUpgrade);
  return () => {
    stopped = true;
    httpServer.off('upgrade', onUpgrade);
  };
}

/** No Origin (not a browser), our own origin (GraphiQL), or one of CORS_ORIGINS. */
export function originAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** An HTTP answer on the raw socket, then close: no WebSocket is ever made. */
function refuse(socket: Duplex, status: number, header?: string): void {
  if (socket.destroyed) return;
  socket.on('error', () => socket.destroy());
  const body = STATUS_CODES[status] ?? '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${header ? `${header}\r\n` : ''}\r\n${body}`,
  );
}
