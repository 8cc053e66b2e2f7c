import vm from 'node:vm';
import { renderGraphiqlFiles } from '../../../src/http/graphiql-page';
import { installWebSocketAuthorization } from '../../../src/http/graphiql-ws-auth';

class FakeSocket {
  static OPEN = 1;
  readonly sent: string[] = [];
  constructor(
    readonly url: string,
    readonly protocols?: string,
  ) {}
  send(data: string): void {
    this.sent.push(data);
  }
}

function fakeWindow(headers: string | null) {
  return {
    WebSocket: FakeSocket as any,
    localStorage: { getItem: (key: string) => (key === 'graphiql:headers' ? headers : null) },
  };
}

describe('GraphiQL subscriptions carry the Headers tab key', () => {
  it('adds authorization to graphql-ws connection_init, and leaves every other message alone', () => {
    const win = fakeWindow(JSON.stringify({ Authorization: 'Bearer esg_abc' }));
    installWebSocketAuthorization(win);
    const socket = new win.WebSocket('ws://localhost/graphql', 'graphql-transport-ws');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { other: 1 } }));
    socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: '{ a }' } }));
    expect(socket.sent.map((m: string) => JSON.parse(m))).toEqual([
      { type: 'connection_init', payload: { other: 1, authorization: 'Bearer esg_abc' } },
      { type: 'subscribe', id: '1', payload: { query: '{ a }' } },
    ]);
    expect(socket.protocols).toBe('graphql-transport-ws');
    expect(win.WebSocket.OPEN).toBe(1);
  });

  it('keeps an authorization the client already sends, and sends nothing extra without a key', () => {
    const win = fakeWindow('not json');
    installWebSocketAuthorization(win);
    const socket = new win.WebSocket('ws://localhost/graphql');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    expect(JSON.parse(socket.sent[0])).toEqual({ type: 'connection_init' });
    const keyed = fakeWindow(JSON.stringify({ authorization: 'Bearer tab' }));
    installWebSocketAuthorization(keyed);
    const other = new keyed.WebSocket('ws://localhost/graphql');
    other.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer own' } }));
    expect(JSON.parse(other.sent[0]).payload.authorization).toBe('Bearer own');
  });

  it('is inlined in the GraphiQL page before GraphiQL itself, as valid script', async () => {
    const html = renderGraphiqlFiles()[0].body.toString();
    const script = /<head><script>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(html.indexOf(script)).toBeLessThan(html.indexOf('GraphiQL'));
    const win = fakeWindow(JSON.stringify({ Authorization: 'Bearer inline' }));
    vm.runInNewContext(script, { window: win, JSON, Object });
    const socket = new win.WebSocket('ws://localhost/graphql');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    expect(JSON.parse(socket.sent[0]).payload).toEqual({ authorization: 'Bearer inline' });
  });
});
