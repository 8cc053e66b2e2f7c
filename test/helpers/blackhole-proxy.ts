import { connect, createServer, type Socket } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Forwarding stopped: bytes and closes in either direction are swallowed. */
  silent: boolean;
  /** Something was swallowed: the MySQL protocol on this pair is out of step for good. */
  lost: boolean;
}

export interface BlackholeProxy {
  readonly port: number;
  /** A URL like `target` that goes through the proxy. */
  readonly url: string;
  /** The pair whose client side uses this local port (a mysql2 connection's `stream.localPort`) goes silent. */
  silence(localPort: number): void;
  /** Every pair, and every connection accepted from now on, goes silent. */
  silenceAll(): void;
  /**
   * The path comes back. Pairs that lost nothing (idle pooled connections) forward again as if
   * nothing happened; pairs that lost bytes or a close are closed on both sides, as the server
   * eventually does (TCP keepalive, wait_timeout) with a connection whose client has gone.
   */
  heal(): void;
  /** Pairs open now (tests check that abandoned ones do not pile up). */
  openPairs(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of MySQL/MariaDB that can stop forwarding WITHOUT closing anything: no RST,
 * no FIN reaches either side, both sockets stay open, bytes simply vanish, like a dead network
 * path or a stateful firewall that forgot the connection. Unlike a killed connection, which the
 * client notices at once, only a client-side timeout can notice this.
 */
export async function startBlackholeProxy(target: string): Promise<BlackholeProxy> {
  const to = new URL(target);
  const pairs = new Set<Pair>();
  let silentForNew = false;

  const server = createServer((client) => {
    const upstream = connect(Number(to.port || 3306), to.hostname);
    const pair: Pair = { client, upstream, silent: silentForNew, lost: false };
    pairs.add(pair);
    const forward = (from: Socket, into: Socket) => {
      from.on('data', (chunk) => {
        if (pair.silent) pair.lost = true;
        else into.write(chunk);
      });
      const closed = () => {
        if (pair.silent) {
          pair.lost = true; // the other side never hears of it
          return;
        }
        client.destroy();
        upstream.destroy();
        pairs.delete(pair);
      };
      from.on('end', closed).on('close', closed).on('error', closed);
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;

  return {
    port,
    url: url.toString(),
    silence(localPort) {
      for (const pair of pairs) if (pair.client.remotePort === localPort) pair.silent = true;
    },
    silenceAll() {
      silentForNew = true;
      for (const pair of pairs) pair.silent = true;
    },
    heal() {
      silentForNew = false;
      for (const pair of [...pairs]) {
        pair.silent = false;
        if (!pair.lost && !pair.client.destroyed && !pair.upstream.destroyed) continue;
        pair.client.destroy();
        pair.upstream.destroy();
        pairs.delete(pair);
      }
    },
    openPairs: () => pairs.size,
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
