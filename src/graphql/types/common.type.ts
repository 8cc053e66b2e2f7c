import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { displayAmount, type Money } from '../../domain/money';
import { DecimalScalar } from './scalars';

@Directive('@shareable')
@ObjectType('Money')
export class MoneyType {
  @Field(() => DecimalScalar)
  amount: string;

  @Field({ description: 'ISO 4217 code, e.g. USD' })
  currency: string;

  static from(money: Money): MoneyType {
    return { amount: displayAmount(money.amount, money.currency), currency: money.currency };
  }
}

@Directive('@shareable')
@ObjectType('Country')
export class CountryType {
  @Field({ description: 'ISO 3166-1 alpha-2, e.g. FR' })
  code: string;

  @Field({ description: 'ISO 3166-1 alpha-3, e.g. FRA' })
  alpha3: string;

  @Field()
  name: string;
}

@Directive('@shareable')
@ObjectType('PageInfo', {
  description: 'Relay cursor connection page info, in full (shareable with other subgraphs that define it)',
})
export class PageInfoType {
  @Field()
  hasNextPage: boolean;

  @Field({ description: 'Always false: pages are only walked forward (after/first)' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** Builds the Edge and the abstract Connection shape of a node type (named by the subclass). */
export function connectionOf<T extends object>(name: string, node: new () => T) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => node)
    node: T;
  }

  // Registered under a unique name and never referenced itself, so only the named subclass is emitted.
  @ObjectType(`${name}ConnectionBase`)
  abstract class Connection {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => [node])
    nodes: T[];

    @Field(() => PageInfoType)
    pageInfo: PageInfoType;

    @Field(() => Int)
    totalCount: number;
  }
  return { Edge, Connection };
}

/** Shapes a service page into a connection value. */
export function toConnection<N, T>(
  page: {
    edges: readonly { cursor: string; node: N }[];
    hasNextPage: boolean;
    endCursor: string | null;
    totalCount: number;
  },
  present: (node: N) => T,
) {
  const edges = page.edges.map((e) => ({ cursor: e.cursor, node: present(e.node) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: page.endCursor,
    },
    totalCount: page.totalCount,
  };
}
