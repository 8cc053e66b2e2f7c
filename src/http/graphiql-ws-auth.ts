interface SocketLike {
  send(data: unknown): void;
}

/** The page's `WebSocket` class, as far as this wrapper uses it. */
type SocketClass = (new (url: string, protocols?: string | string[]) => SocketLike) & {
  prototype: unknown;
} & Record<string, unknown>;

interface StorageLike {
  getItem(key: string): string | null;
}

/**
 * Runs in the browser, before GraphiQL loads: browsers cannot set headers on a WebSocket, and
 * GraphiQL sends its Headers tab only over HTTP. This wraps `WebSocket` so that graphql-ws's
 * `connection_init` carries `authorization`: the key of the page's API key field (kept in
 * sessionStorage under `keyItem`, see graphiql-api-key.ts) or else the Headers tab's (GraphiQL
 * keeps it in localStorage as `graphiql:headers`), so subscriptions work with the same key.
 * Self-contained on purpose: its source text is inlined into the page.
 */
export function installWebSocketAuthorization(
  win: { WebSocket: SocketClass; localStorage: StorageLike; sessionStorage?: StorageLike },
  keyItem?: string,
): void {
  const Native = win.WebSocket;
  const authorization = (): string | undefined => {
    try {
      const key = keyItem ? win.sessionStorage?.getItem(keyItem) : null;
      if (key) return `Bearer ${key}`;
      const headers = JSON.parse(win.localStorage.getItem('graphiql:headers') ?? '{}') as Record<string, unknown>;
      const name = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
      return name && typeof headers[name] === 'string' ? (headers[name] as string) : undefined;
    } catch {
      return undefined;
    }
  };
  function Patched(this: unknown, url: string, protocols?: string | string[]) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    const send = socket.send;
    socket.send = (data: unknown) => {
      let out = data;
      try {
        const message = typeof data === 'string' ? JSON.parse(data) : null;
        const value = authorization();
        if (
          message?.type === 'connection_init' &&
          value &&
          !message.payload?.authorization &&
          !message.payload?.Authorization
        ) {
          out = JSON.stringify({ ...message, payload: { ...(message.payload ?? {}), authorization: value } });
        }
      } catch {
        // not ours to read: send as is
      }
      return send.call(socket, out);
    };
    return socket;
  }
  Patched.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'])
    (Patched as unknown as Record<string, unknown>)[k] = Native[k];
  win.WebSocket = Patched as unknown as SocketClass;
}
