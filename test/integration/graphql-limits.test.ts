import { getIntrospectionQuery } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { MAX_OPERATIONS_PER_CONNECTION } from '../../src/app/subscriptions';
import { QUERY_LIMITS } from '../../src/graphql/limits';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The GraphQL surface's limits, each asserted over HTTP and over graphql-ws: the socket path
 * bypasses Apollo's plugins, so a rule that only holds on HTTP is a hole.
 */
let t: TestApp;
let ws: Client;
beforeAll(async () => {
  t = await startTestApp();
  ws = createClient({
    url: `${t.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${ADMIN_KEY}` },
  });
});
afterAll(async () => {
  await ws.dispose();
  await t.close();
});

interface Outcome {
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

async function overHttp(query: string, variables?: Record<string, unknown>): Promise<Outcome & { status: number }> {
  const { status, body } = await t.gql(query, variables);
  return { status, ...body };
}

/** One operation over the socket: its first result, or the errors graphql-ws refused it with. */
function overWs(query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const stop = ws.subscribe(
      { query, variables },
      {
        next: (result) => {
          resolve(result as Outcome);
          stop();
        },
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
        complete: () => undefined,
      },
    );
  });
}

const both = async (query: string, variables?: Record<string, unknown>) => ({
  http: await overHttp(query, variables),
  ws: await overWs(query, variables),
});

/** Refused before anything ran: no data at all, one QUERY_TOO_COMPLEX. */
function expectTooComplex(outcome: Outcome, message: RegExp) {
  expect(outcome.data).toBeUndefined();
  expect(outcome.errors).toHaveLength(1);
  expect(outcome.errors![0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
  expect(outcome.errors![0].message).toMatch(message);
}

const fieldsAliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
/** A real cycle of the schema (profile → order → profiles): depth 2 + 2·loops + 1. */
const nested = (loops: number) =>
  `{ orders(first: 1) { nodes { ${'profiles { order { '.repeat(loops)}id${' } }'.repeat(loops)} } } }`;

describe('query limits, over HTTP and graphql-ws', () => {
  it('refuses more aliases than the limit and accepts the limit', async () => {
    const { http, ws } = await both(fieldsAliased(QUERY_LIMITS.aliases + 1));
    expect(http.status).toBe(400);
    expectTooComplex(http, /alias/i);
    expectTooComplex(ws, /alias/i);
    const atLimit = await both(fieldsAliased(QUERY_LIMITS.aliases));
    expect(atLimit.http.errors).toBeUndefined();
    expect(atLimit.ws.errors).toBeUndefined();
    expect(Object.keys(atLimit.ws.data)).toHaveLength(QUERY_LIMITS.aliases);
  });

  it('refuses a query nested deeper than the limit', async () => {
    const deep = nested(QUERY_LIMITS.depth / 2); // depth 15
    const { http, ws } = await both(deep);
    expectTooComplex(http, /depth/i);
    expectTooComplex(ws, /depth/i);
    const shallow = await both(nested(2)); // depth 7
    expect(shallow.http.errors).toBeUndefined();
    expect(shallow.ws.errors).toBeUndefined();
  });

  it('weighs a list by its `first`, read from variables, before resolving anything', async () => {
    const page = 'orders(first: $n) { nodes { id reference profiles { iccid usage { usedBytes } } } }';
    const query = `query Pages($n: Int) { ${Array.from({ length: 10 }, (_, i) => `p${i}: ${page}`).join(' ')} }`;
    const { http, ws } = await both(query, { n: 100 });
    expectTooComplex(http, /cost \d+ exceeds/);
    expectTooComplex(ws, /cost \d+ exceeds/);
    const small = await both(query, { n: 5 });
    expect(small.http.errors).toBeUndefined();
    expect(small.ws.errors).toBeUndefined();
  });

  it('refuses a page beyond the contract maximum with BAD_USER_INPUT, whatever its size', async () => {
    const { http, ws } = await both('query Page($n: Int) { orders(first: $n) { nodes { id } } }', { n: 100000 });
    for (const outcome of [http, ws]) {
      expect(outcome.data ?? null).toBeNull();
      expect(outcome.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('caps the money-moving fields one document may hold, and runs none of them', async () => {
    const before = (await overHttp('{ viewer { id wallet { balance { amount } } } }')).data.viewer;
    const credits = Array.from(
      { length: QUERY_LIMITS.mutationFields + 1 },
      (_, i) =>
        `c${i}: creditWallet(input: { accountId: "${before.id}", amount: "1.00", idempotencyKey: "limits-${i}" }) { id }`,
    );
    const { http, ws } = await both(`mutation { ${credits.join(' ')} }`);
    expectTooComplex(http, /mutation fields/);
    expectTooComplex(ws, /mutation fields/);
    const after = (await overHttp('{ viewer { wallet { balance { amount } } } }')).data.viewer;
    expect(after.wallet.balance).toEqual(before.wallet.balance);
  });

  it('stops the parser at the token limit', async () => {
    const long = `{ viewer { ${'id '.repeat(5000)} } }`; // 15,000 characters
    const { http, ws } = await both(long);
    expect(http.status).toBe(400);
    expectTooComplex(http, /tokens/);
    expectTooComplex(ws, /tokens/);
  });

  it('refuses a flood of fields that each cost nothing, such as __typename', async () => {
    const { http, ws } = await both(`{ ${'__typename '.repeat(500)} }`);
    expectTooComplex(http, /fields/);
    expectTooComplex(ws, /fields/);
  });

  it('sends one error for a directive repeated many times, not one per copy', async () => {
    const { http, ws } = await both(`{ viewer { id ${'@aa '.repeat(10)} } }`);
    for (const outcome of [http, ws]) {
      expect(outcome.errors).toHaveLength(1);
      expect(outcome.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('passes GraphiQL introspection with a key', async () => {
    const { http, ws } = await both(getIntrospectionQuery());
    expect(http.errors).toBeUndefined();
    expect(http.data.__schema.queryType.name).toBe('Query');
    expect(ws.errors).toBeUndefined();
  });
});

describe('what errors never say', () => {
  it('gives no "Did you mean" suggestions', async () => {
    for (const query of ['{ __schema { directive } }', '{ viewr { id } }', '{ plans(firts: 1) { totalCount } }']) {
      const { http, ws } = await both(query);
      for (const outcome of [http, ws]) {
        expect(outcome.errors?.length).toBeGreaterThan(0);
        expect(JSON.stringify(outcome.errors)).not.toMatch(/did you mean/i);
        expect(outcome.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      }
    }
  });

  it('never sends a stack trace or exception details', async () => {
    const outcomes = [
      await overHttp('{ nope }'),
      await overHttp('{ order(id: "not-an-id") { id } }'),
      await overHttp('query ($n: Int) { orders(first: $n) { totalCount } }', { n: 'many' }),
      await overWs('{ nope'),
    ];
    for (const outcome of outcomes) {
      expect(outcome.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(outcome)).not.toMatch(/stacktrace|exception|\bat [\w.]+ \(|node_modules|\/src\//);
    }
  });
});

describe('graphql-ws connections', () => {
  it('closes a socket that never sends connection_init with 4408', async () => {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(4408);
  });

  it('caps the operations one connection runs at once', async () => {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const refusals: unknown[] = [];
    const stops = Array.from({ length: MAX_OPERATIONS_PER_CONNECTION + 2 }, () =>
      client.subscribe(
        { query: 'subscription { walletUpdated { id } }' },
        { next: () => undefined, error: (e) => refusals.push(e), complete: () => undefined },
      ),
    );
    // Time for the server to take every subscribe; the refusals arrive as they are taken.
    await new Promise((resolve) => setTimeout(resolve, 300));
    stops.forEach((stop) => stop());
    await client.dispose();
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
    ]);
  });
});

describe('HTTP request shape', () => {
  const post = (body: string, key: string | null = ADMIN_KEY) =>
    fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body,
    });

  it('refuses batched (array) requests', async () => {
    const res = await post(JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]));
    expect(res.status).toBe(400);
  });

  it('refuses a 10 MB body with 413 without parsing it', async () => {
    const res = await post(
      JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } }),
    );
    expect(res.status).toBe(413);
  });

  it('answers introspection only with a valid key', async () => {
    const anonymous = await post(JSON.stringify({ query: '{ __schema { queryType { name } } }' }), null);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrongKey = await post(
      JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      'not-a-real-key-123456',
    );
    expect(wrongKey.status).toBe(401);
    const withKey = await post(JSON.stringify({ query: '{ __schema { queryType { name } } }' }));
    expect(((await withKey.json()) as any).data.__schema.queryType.name).toBe('Query');
  });
});
