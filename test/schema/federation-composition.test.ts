import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { buildSchema as buildSdl, parse } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { createGatewayPubSub } from '../../src/infra/pubsub';

const company = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'federation', 'company.graphql'), 'utf8');

/**
 * The gateway's subgraph SDL composed with a company team's subgraph (test/fixtures/federation):
 * The Guild's composition, the one Hive Gateway runs, must accept both as they are.
 */
describe('composing the gateway into a supergraph', () => {
  let gateway: string;
  beforeAll(async () => {
    gateway = printSubgraphSchema(await buildGatewaySchema(createGatewayPubSub().pubSub));
  });

  it('composes with a subgraph that has its own Relay PageInfo and Money and extends Order and Plan', () => {
    const result = composeServices([
      { name: 'esim', typeDefs: parse(gateway), url: 'http://esim-gateway/graphql' },
      { name: 'company', typeDefs: parse(company), url: 'http://company/graphql' },
    ]);
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
    const api = buildSdl(result.publicSdl!);
    const order = api.getType('Order') as import('graphql').GraphQLObjectType;
    const plan = api.getType('Plan') as import('graphql').GraphQLObjectType;
    // Both teams' fields on one entity, as a router plans them.
    expect(Object.keys(order.getFields())).toEqual(
      expect.arrayContaining(['status', 'total', 'profiles', 'invoiceNumber', 'trip']),
    );
    expect(Object.keys(plan.getFields())).toEqual(
      expect.arrayContaining(['price', 'countries', 'tagline', 'recommendedFor']),
    );
    expect(Object.keys((api.getType('PageInfo') as import('graphql').GraphQLObjectType).getFields()).sort()).toEqual([
      'endCursor',
      'hasNextPage',
      'hasPreviousPage',
      'startCursor',
    ]);
  });

  it('refuses a company subgraph whose PageInfo is not the Relay shape, naming the type', () => {
    const clashing = company.replace('hasPreviousPage: Boolean!', 'hasPreviousPage: String');
    const result = composeServices([
      { name: 'esim', typeDefs: parse(gateway) },
      { name: 'company', typeDefs: parse(clashing) },
    ]);
    expect(result.errors?.map((e) => e.message).join('\n')).toMatch(/PageInfo\.hasPreviousPage/);
  });
});
