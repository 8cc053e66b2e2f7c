import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema as buildSdl, findBreakingChanges } from 'graphql';
import { buildGatewaySchema, printGatewaySchema } from '../../src/graphql/schema';
import { createGatewayPubSub } from '../../src/infra/pubsub';

const root = path.join(__dirname, '..', '..');

describe('the served schema', () => {
  let printed: string;
  beforeAll(async () => {
    printed = printGatewaySchema(await buildGatewaySchema(createGatewayPubSub().pubSub));
  });

  it('is what schema.graphql holds (run `npm run schema` after changing it)', () => {
    expect(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8')).toBe(printed);
  });

  it('keeps every type, field, argument and enum value of the contract', () => {
    const contract = buildSdl(fs.readFileSync(path.join(root, 'test', 'fixtures', 'gateway.graphql'), 'utf8'));
    expect(findBreakingChanges(contract, buildSdl(printed)).map((b) => b.description)).toEqual([]);
  });
});
