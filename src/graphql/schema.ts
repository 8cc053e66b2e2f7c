import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { GatewayPubSub } from '../infra/pubsub';
import { AccountResolver } from './resolvers/account.resolver';
import { OrderFailoverResolver, OrderResolver } from './resolvers/order.resolver';
import { ProfileResolver } from './resolvers/profile.resolver';
import { TopUpResolver } from './resolvers/top-up.resolver';
import { PlanResolver, ProviderOutageResolver } from './resolvers/plan.resolver';
import { PriceRuleResolver } from './resolvers/price-rule.resolver';
import { ProviderResolver } from './resolvers/provider.resolver';
import { QuoteResolver } from './resolvers/quote.resolver';
import { ReportResolver } from './resolvers/report.resolver';
import { SubscriptionResolver } from './resolvers/subscription.resolver';
import { WalletResolver } from './resolvers/wallet.resolver';
import './types/enums';
import { DateTimeScalar } from './types/scalars';
import { validateInput } from './types/validation';
import { asSubgraph, withoutFederation } from './federation';

export const RESOLVERS = [
  AccountResolver,
  WalletResolver,
  ProviderResolver,
  PlanResolver,
  ProviderOutageResolver,
  OrderResolver,
  OrderFailoverResolver,
  QuoteResolver,
  ProfileResolver,
  TopUpResolver,
  SubscriptionResolver,
  ReportResolver,
  PriceRuleResolver,
] as const;

/** One executable schema, a Federation v2 subgraph (federation.ts), shared by Apollo (HTTP) and graphql-ws. */
export async function buildGatewaySchema(pubSub: GatewayPubSub): Promise<GraphQLSchema> {
  return asSubgraph(
    await buildSchema({
      resolvers: RESOLVERS,
      pubSub: pubSub as never,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      // Every argument object goes through the input classes' rules (types/validation.ts), so a
      // new input is checked at the edge without anyone remembering to opt in.
      validate: false,
      validateFn: validateInput,
    }),
  );
}

/** The frontend SDL committed as schema.graphql, without federation's own fields (sorted, so diffs stay readable). */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(withoutFederation(schema)))}\n`;
}
