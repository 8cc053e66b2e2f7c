import { GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import type { Viewer } from '../domain/account';
import { limitKey } from '../services/accounts/request-limits';
import { Tally } from './ws-tally';

/** One socket's part in its key's holdings. */
export interface SocketHolding {
  viewer: Viewer | null;
  /** Subscriptions this socket holds against its key's cap, released when the socket closes. */
  subscriptions: number;
  closed: boolean;
}

/** RATE_LIMITED close code for a socket over its key's cap (4400–4499 mirror HTTP statuses in graphql-ws). */
export const TOO_MANY_SOCKETS = 4429;

/**
 * What one API key holds over graphql-ws on this instance: sockets, and live subscriptions across
 * all of them. Every live subscription costs one listener and one resolution per event of its
 * account, so this cap is what bounds the fan-out one reseller can make its own events cost.
 */
export class KeyHoldings {
  private readonly sockets = new Tally();
  private readonly subscriptions = new Tally();
  /**
   * Subscriptions counted, by their subscribe message's payload object: graphql-ws hands the same
   * object to onComplete, whereas an id may be reused by the client before the old one completes.
   */
  private readonly counted = new WeakSet<object>();

  constructor(private readonly caps: { readonly socketsPerKey: number; readonly subscriptionsPerKey: number }) {}

  /** Counts an authenticated socket against its key until it closes; over the cap, closes it with 4429 and returns false. */
  holdSocket(socket: WebSocket, holding: SocketHolding): boolean {
    // Closed while authenticating: its 'close' has fired already and would never release the slot.
    if (socket.readyState !== socket.OPEN || !holding.viewer) return false;
    const key = limitKey(holding.viewer);
    if (!this.sockets.tryAcquire(key, this.caps.socketsPerKey)) {
      socket.close(TOO_MANY_SOCKETS, `At most ${this.caps.socketsPerKey} sockets per API key`);
      return false;
    }
    socket.once('close', () => {
      holding.closed = true;
      this.sockets.release(key);
      this.subscriptions.release(key, holding.subscriptions);
      holding.subscriptions = 0;
    });
    return true;
  }

  /** Admits one subscription, or returns the RATE_LIMITED refusal once its key holds the cap. */
  admitSubscription(holding: SocketHolding, payload: object): GraphQLError | null {
    if (holding.closed || !holding.viewer) return rateLimited('The connection is closed.');
    if (!this.subscriptions.tryAcquire(limitKey(holding.viewer), this.caps.subscriptionsPerKey)) {
      return rateLimited(
        `An API key may hold at most ${this.caps.subscriptionsPerKey} live subscriptions on this instance.`,
      );
    }
    holding.subscriptions++;
    this.counted.add(payload);
    return null;
  }

  /** Releases a subscription admitted above; anything else (queries, refused operations) passes through. */
  completed(holding: SocketHolding, payload: object): void {
    if (!this.counted.delete(payload) || holding.closed || !holding.viewer) return;
    holding.subscriptions--;
    this.subscriptions.release(limitKey(holding.viewer));
  }
}

function rateLimited(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED' } });
}
