import WebSocket from 'ws';

/** A `WebSocket` class for graphql-ws's client that authenticates on the upgrade (`Authorization: Bearer`). */
export function keyedWebSocket(key: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { authorization: `Bearer ${key}` } });
    }
  } as typeof WebSocket;
}
