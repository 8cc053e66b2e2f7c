import { getIntrospectionQuery } from 'graphql';
import { QUERY_LIMITS } from '../../src/graphql/limits';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { firstResult, init, openSocket, wsClient, type Outcome } from '../helpers/ws-client';

/**
 * One rule for every transport (finding 5: GRAPHQL_INTROSPECTION=false held over HTTP, yet 64
 * types came back over graphql-ws). Each rule runs over HTTP and over graphql-ws, with the same answer.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' });
});
afterAll(() => t.close());

async function overWs(query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  const client = wsClient(t, ADMIN_KEY);
  try {
    return await firstResult(client, query, variables);
  } finally {
    await client.dispose();
  }
}
async function both(query: string, variables?: Record<string, unknown>) {
  const http = await t.gql(query, variables);
  return { httpStatus: http.status, http: http.body as Outcome, ws: await overWs(query, variables) };
}
const codes = (outcome: Outcome) => outcome.errors?.map((e) => e.extensions?.code);

describe('the same rules over HTTP and graphql-ws', () => {
  it('refuses introspection on both when GRAPHQL_INTROSPECTION=false, with a valid key', async () => {
    for (const query of [
      getIntrospectionQuery(),
      '{ __schema { types { name } } }',
      '{ t: __type(name: "Query") { name } }',
    ]) {
      const { httpStatus, http, ws } = await both(query);
      expect(httpStatus).toBe(403);
      expect(http.data ?? null).toBeNull();
      expect(ws.data ?? null).toBeNull();
      expect(codes(http)).toEqual(['FORBIDDEN']);
      expect(codes(ws)).toEqual(['FORBIDDEN']);
    }
    // __typename is not introspection of the schema.
    const plain = await both('{ __typename viewer { id } }');
    expect(plain.http.errors).toBeUndefined();
    expect(plain.ws.errors).toBeUndefined();
  });

  it('refuses everything, introspection included, without a valid key on both', async () => {
    for (const key of [null, 'not-a-real-key-123456']) {
      const http = await t.gql('{ __schema { queryType { name } } }', undefined, key);
      expect(http.status).toBe(401);
      expect(codes(http.body)).toEqual(['UNAUTHENTICATED']);
      const { socket } = await openSocket(t);
      expect(await init(socket!, key ? { authorization: `Bearer ${key}` } : undefined)).toBe(4403);
      expect(await openSocket(t, { authorization: `Bearer ${key ?? ''}` })).toEqual({ status: 401 });
    }
  });

  it('refuses a too-deep query on both with QUERY_TOO_COMPLEX', async () => {
    const loops = QUERY_LIMITS.depth / 2;
    const deep = `{ orders(first: 1) { nodes { ${'profiles { order { '.repeat(loops)}id${' } }'.repeat(loops)} } } }`;
    const { httpStatus, http, ws } = await both(deep);
    expect(httpStatus).toBe(400);
    expect(codes(http)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(codes(ws)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses a too-costly query on both with QUERY_TOO_COMPLEX', async () => {
    const page = 'orders(first: $n) { nodes { id reference profiles { iccid usage { usedBytes } } } }';
    const costly = `query Pages($n: Int) { ${Array.from({ length: 10 }, (_, i) => `p${i}: ${page}`).join(' ')} }`;
    const { http, ws } = await both(costly, { n: 100 });
    expect(codes(http)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(codes(ws)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(http.errors![0].message).toEqual(ws.errors![0].message);
  });
});
