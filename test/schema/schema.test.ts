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

  /**
   * InQL's keyword lists flag fields that hint at authentication, privileged or debugging
   * surfaces. None may appear in names we serve, but these, each reviewed: the role an account has,
   * the key handed once to an account's creator, and the idempotency keys of money moves; and the
   * phone a profile is installed on ("dev" as in device, not development).
   */
  it('names no auth, privileged or debugging field beyond the reviewed ones (InQL keywords)', () => {
    const keywords =
      /passw(or)?d|passphrase|secret|token|session|login|credential|auth|priv|admin|root|super|debug|internal|trace|dev|test|staging|env|config|shell|exec|eval|system|hidden|dump|impersonat/i;
    const allowed = new Set([
      'Account.role',
      'AccountRole',
      'AccountRole.ADMIN',
      'CreateAccountInput.role',
      'CreatedAccount.apiKey',
      'Device',
      'DeviceState',
      // "rou-tesT-o": a fallback route, not a test hook.
      'OrderQuote.routesTo',
      'Profile.device',
    ]);
    const schema = buildSdl(printed);
    const names: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      names.push(type.name);
      if ('getFields' in type)
        for (const field of Object.values(type.getFields())) {
          names.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) names.push(`${type.name}.${field.name}(${arg.name})`);
        }
      if ('getValues' in type) for (const value of type.getValues()) names.push(`${type.name}.${value.name}`);
    }
    expect(names.filter((name) => keywords.test(name.split('.').pop()!) && !allowed.has(name))).toEqual([]);
  });
});
