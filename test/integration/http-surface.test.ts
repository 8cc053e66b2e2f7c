import { serverAudits } from 'graphql-http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Apollo Server's documented answers: 400 (not 200) for request errors under application/json, and CSRF prevention refusing simple GETs. */
const KNOWN = ['572B', 'FDE2', '7B9B', '5A70', '6A70', 'D6D5'];

describe('GraphQL over HTTP (graphql-http audits)', () => {
  const fetchWithKey: typeof fetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${ADMIN_KEY}`);
    return fetch(input, { ...init, headers });
  };
  // Every MUST passes. The SHOULDs we answer otherwise, on purpose, are these (the README says why);
  // any other SHOULD that stops passing fails the test.
  const KNOWN_SHOULD_MISSES = new Set<string>(process.env.AUDIT_LIST ? [] : KNOWN);
  for (const audit of serverAudits({ url: () => `${t.url}/graphql`, fetchFn: fetchWithKey })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (process.env.AUDIT_LIST && result.status !== 'ok') console.log('AUDIT', audit.id, result.status, audit.name);
      if (result.status === 'ok') return;
      if (audit.name.startsWith('MUST') || !KNOWN_SHOULD_MISSES.has(audit.id))
        throw new Error(`${audit.name}: ${result.reason}`);
    });
  }
});

describe('operational endpoints', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it('answers /readyz with the database and every provider', async () => {
    const res = await fetch(`${t.url}/readyz?probe=1`);
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.database).toBe('up');
    expect(Object.keys(body.providers).sort()).toEqual([
      'comium',
      'connectedyou',
      'esimaccess',
      'esimplatform',
      'esimtrade',
    ]);
    for (const health of Object.values<any>(body.providers))
      expect(health).toMatchObject({ status: 'UP', circuitOpen: false, reachable: true });
  });

  it('serves Prometheus metrics, counting upstream calls', async () => {
    await t.gql('{ plans(first: 1) { totalCount } }');
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/esim_upstream_requests_total\{provider="esimaccess"/);
  });

  it('serves GraphiQL from its own assets to a browser', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('graphiql');
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\//);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\.apollographql|esm\.sh/);
  });
});

describe('graphql-ws on /graphql', () => {
  const connect = (authorization?: string) =>
    createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: authorization ? { authorization } : {},
    });

  it('answers a query over the socket with a valid key', async () => {
    const client = connect(`Bearer ${ADMIN_KEY}`);
    const result = await new Promise<any>((resolve, reject) => {
      client.subscribe({ query: '{ viewer { role } }' }, { next: resolve, error: reject, complete: () => undefined });
    });
    await client.dispose();
    expect(result.data.viewer.role).toBe('ADMIN');
  });

  it('refuses the connection without a valid key (close 4403)', async () => {
    const client = connect('Bearer wrong-key-123456');
    const error = await new Promise<any>((resolve) => {
      client.subscribe(
        { query: '{ viewer { role } }' },
        { next: () => undefined, error: resolve, complete: () => undefined },
      );
    });
    await client.dispose();
    expect(error.code).toBe(4403);
  });
});
