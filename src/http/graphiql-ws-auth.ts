/**
 * Runs in the browser, before GraphiQL loads: browsers cannot set headers on a WebSocket, and
 * GraphiQL sends its Headers tab only over HTTP. This wraps `WebSocket` so that graphql-ws's
 * `connection_init` carries `authorization` from the Headers tab (GraphiQL keeps it in
 * localStorage as `graphiql:headers`), so subscriptions work from GraphiQL with the same key.
 * Self-contained on purpose: its source text is inlined into the page.
 */
export function installWebSocketAuthorization(win: {
  WebSocket: any;
  localStorage: { getItem(key: string): string | null };
}): void {
  const Native = win.WebSocket;
  const authorization = (): string | undefined => {
    try {
      const headers = JSON.parse(win.localStorage.getItem('graphiql:headers') ?? '{}') as Record<string, unknown>;
      const key = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
      return key && typeof headers[key] === 'string' ? (headers[key] as string) : undefined;
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
  win.WebSocket = Patched;
}
