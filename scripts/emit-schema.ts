import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createGatewayPubSub } from '../src/infra/pubsub';
import { buildGatewaySchema, printGatewaySchema } from '../src/graphql/schema';

/** Writes schema.graphql from the code (`npm run schema`); a test fails when the committed file is stale. */
buildGatewaySchema(createGatewayPubSub().pubSub).then((schema) => {
  const file = path.join(__dirname, '..', '..', 'schema.graphql');
  fs.writeFileSync(file, printGatewaySchema(schema));
  process.stdout.write(`wrote ${file}\n`);
});
