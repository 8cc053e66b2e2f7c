import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config';

/**
 * The HTTP server with every timeout set, so no client holds a socket for free:
 * - `headersTimeout` / `requestTimeout`: node checks them only every `connectionsCheckingInterval`
 *   (30 s by default, which is how slowloris headers lasted 90 s), so the check runs at a quarter
 *   of the shorter one.
 * - `timeout` (idle): node's headers timer never starts for a socket that sends nothing at all, so
 *   those are closed by the socket's own inactivity timer. Node destroys the socket when nobody
 *   listens to 'timeout', and re-arms it with `keepAliveTimeout` between requests.
 * A WebSocket is out of reach of all of these once upgraded: node drops its 'timeout' handler
 * and ws clears the socket timer; graphql-ws's pings keep it honest.
 */
export function createHttpServer(listener: RequestListener, timeouts: Config['http']): Server {
  const requestTimeout = timeouts.requestTimeoutMs;
  // Node refuses a headers timeout longer than the whole request's.
  const headersTimeout = Math.min(timeouts.headersTimeoutMs, requestTimeout);
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeout / 4))),
    },
    listener,
  );
  server.timeout = timeouts.idleTimeoutMs;
  return server;
}
