import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { operationMetricsPlugin, operationNameOf } from '../../../src/http/metrics.plugin';
import type { OperationEvent } from '../../../src/infra/metrics';

const typeDefs = 'type Query { ok: Int, fails: Int } type Mutation { touch: Int }';
const resolvers = {
  Query: {
    ok: () => 1,
    fails: () => {
      throw new GraphQLError('no such thing', { extensions: { code: 'NOT_FOUND' } });
    },
  },
  Mutation: { touch: () => 2 },
};

describe('operation metrics plugin', () => {
  const events: OperationEvent[] = [];
  const server = new ApolloServer({ typeDefs, resolvers, plugins: [operationMetricsPlugin((e) => events.push(e))] });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => (events.length = 0));

  it('reports a named query once, with its type and a duration', async () => {
    await server.executeOperation({ query: 'query Numbers { ok }' });
    expect(events).toEqual([
      {
        transport: 'http',
        operation: { name: 'Numbers', type: 'query' },
        durationMs: expect.any(Number),
        errorCodes: undefined,
      },
    ]);
  });

  it('reports the codes of the errors sent, and anonymous mutations without a name', async () => {
    await server.executeOperation({ query: 'query Both { ok fails }' });
    await server.executeOperation({ query: 'mutation { touch }' });
    expect(events[0]).toMatchObject({ operation: { name: 'Both', type: 'query' }, errorCodes: ['NOT_FOUND'] });
    expect(events[1]).toMatchObject({ operation: { name: null, type: 'mutation' } });
  });

  it('reports no operation for a document that does not parse, validate or name an operation it has', async () => {
    await server.executeOperation({ query: 'query Broken {' });
    await server.executeOperation({ query: 'query Unknown { nope }' });
    await server.executeOperation({ query: 'query A { ok }', operationName: 'B' });
    expect(events.map((e) => e.operation)).toEqual([null, null, null]);
    expect(events.every((e) => e.errorCodes?.length === 1)).toBe(true);
  });

  it('remembers the resolved name by the request body, for the request log', async () => {
    const body = { query: 'query Named { ok }' };
    const anonymous = { query: '{ ok }' };
    const http = (b: object) => ({ method: 'POST', headers: new Map() as never, search: '', body: b });
    await server.executeOperation({ query: body.query, http: http(body) });
    await server.executeOperation({ query: anonymous.query, http: http(anonymous) });
    expect(operationNameOf(body)).toBe('Named');
    expect(operationNameOf(anonymous)).toBe('anonymous');
    expect(operationNameOf({})).toBeUndefined();
    expect(operationNameOf(undefined)).toBeUndefined();
  });
});
