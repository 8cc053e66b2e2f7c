import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';

/**
 * The stack's own ceiling: a bare Apollo Server 5 on express5, serving the gateway's published
 * schema with canned answers from memory (BENCH_CANNED: a JSON file of root fields), on PORT.
 * No auth, no database, no loaders: whatever the gateway costs above this is ours.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const schema = buildSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
  const canned = JSON.parse(fs.readFileSync(process.env.BENCH_CANNED!, 'utf8')) as Record<string, unknown>;
  const apollo = new ApolloServer({ schema, rootValue: canned });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
  app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
