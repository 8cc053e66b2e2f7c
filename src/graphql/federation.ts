import { buildSubgraphSchema } from '@apollo/subgraph';
import type DataLoader from 'dataloader';
import { MapperKind, mapSchema, printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse, specifiedDirectives } from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { Viewer } from '../domain/account';
import { NotFoundError } from '../domain/errors';
import type { Context } from './context';
import { AccountType, WalletType } from './types/account.type';
import { OrderType, ProfileType, TopUpType } from './types/ordering.type';
import { PlanType } from './types/plan.type';
import { ProviderType } from './types/provider.type';

/** The newest federation version Apollo Router, Hive Gateway and Cosmo all accept. */
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.5';

type Reference = { readonly id: string };
const owns = (viewer: Viewer, row: { accountId: string }) =>
  viewer.role === 'ADMIN' || row.accountId === viewer.accountId;

/** A row of one account, read by its loader: null unless the viewer may see it. */
function owned<R extends { accountId: string }>(
  loader: (ctx: Context) => DataLoader<string, R | null>,
  present: (row: R) => unknown,
) {
  return {
    __resolveReference: async ({ id }: Reference, ctx: Context) => {
      const row = await loader(ctx).load(id);
      return row && owns(ctx.viewer, row) ? present(row) : null;
    },
  };
}

/**
 * How a router fetches each entity by its key: through the request's DataLoaders (one query per
 * type per call, however many representations) and the same tenancy as the queries. Another
 * account's order, profile, top-up, wallet or account, or an unknown id, is null: never an error
 * that tells it exists.
 */
const references: Record<string, { __resolveReference(reference: Reference, context: Context): unknown }> = {
  Plan: {
    __resolveReference: async ({ id }, ctx) => {
      const priced = await ctx.loaders.plan.load(id);
      return priced && PlanType.from(priced);
    },
  },
  Provider: {
    __resolveReference: ({ id }, ctx) => {
      const adapter = ctx.services.providers.find(id);
      return adapter ? ProviderType.from(adapter) : null;
    },
  },
  Order: owned((ctx) => ctx.loaders.order, OrderType.from),
  Profile: owned((ctx) => ctx.loaders.profile, ProfileType.from),
  TopUp: owned((ctx) => ctx.loaders.topUp, TopUpType.from),
  Wallet: {
    __resolveReference: async ({ id }, ctx) => {
      const wallet = await ctx.services.wallets.visibleWallet(ctx.viewer, id);
      return wallet && WalletType.from(wallet);
    },
  },
  Account: {
    __resolveReference: ({ id }, ctx) =>
      ctx.services.accounts.getAccount(ctx.viewer, id).then(AccountType.from, (error) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      }),
  },
};

/**
 * The type-graphql schema as a Federation v2 subgraph (as type-graphql's apollo-federation-2
 * example builds it): its SDL, with the `@key` and `@shareable` its types declare, linked to the
 * federation spec and rebuilt by @apollo/subgraph with the same resolvers, plus `_service` and
 * `_entities`. One schema serves HTTP and graphql-ws.
 */
export function asSubgraph(schema: GraphQLSchema): GraphQLSchema {
  const typeDefs = parse(
    `extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key", "@shareable"])\n${printSchemaWithDirectives(schema)}`,
  );
  const resolvers = createResolversMap(schema) as Record<string, object>;
  for (const [type, reference] of Object.entries(references)) resolvers[type] = { ...resolvers[type], ...reference };
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}

/** The schema a frontend sees (schema.graphql): the subgraph without federation's own types, fields and directives. */
export function withoutFederation(subgraph: GraphQLSchema): GraphQLSchema {
  const own = mapSchema(subgraph, {
    [MapperKind.TYPE]: (type) =>
      type.name.startsWith('_') ||
      type.name.startsWith('link__') ||
      type.name.startsWith('federation__') ||
      type.name === 'FieldSet'
        ? null
        : type,
    [MapperKind.ROOT_FIELD]: (field, name) => (name.startsWith('_') ? null : field),
  });
  return new GraphQLSchema({ ...own.toConfig(), directives: specifiedDirectives });
}
