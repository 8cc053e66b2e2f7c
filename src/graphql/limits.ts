import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  getOperationAST,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationContext,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * What one operation may ask for, over HTTP and graphql-ws alike. Sized so that the largest
 * legitimate query (a page of 100 with every field, or GraphiQL's introspection) passes with room.
 */
export const QUERY_LIMITS = {
  /** Nesting of selections; our deepest real path (orders → nodes → profiles → topUps → …) is 6. */
  depth: 12,
  /** Aliased copies of fields (alias batching); `__typename` is free. */
  aliases: 15,
  directives: 8,
  /** Field selections written in the document (`__typename` included): GraphiQL's introspection has 72. */
  fields: 300,
  /** Lexer tokens: the parser stops past this, before building any AST. */
  tokens: 3000,
  /** Weighted cost, read with the request's variables (see `costEstimator`). */
  cost: 5000,
  /** Money-moving root fields run one after another: a document may hold at most this many. */
  mutationFields: 5,
  /** Entities a router may fetch in one `_entities` call; each also counts its selection in `cost`. */
  representations: 100,
} as const;

/** Parser options for every entry point: Apollo's `parseOptions` and our graphql-ws `onSubscribe`. */
export const PARSE_OPTIONS: ParseOptions = { maxTokens: QUERY_LIMITS.tokens };

/** Page size a connection field costs when the caller leaves `first` out (the contract's default). */
const DEFAULT_PAGE = 20;
/**
 * The contract's largest page. A `first` above it costs this much: the resolver refuses it with
 * the contract's BAD_USER_INPUT before fetching anything, so it must not turn into
 * QUERY_TOO_COMPLEX here; what the cost catches is pages multiplied by aliases and nesting.
 */
const MAX_PAGE = 100;
/** Fields that may cost an upstream call at query time, on top of their selection. */
const UPSTREAM_COST: Readonly<Record<string, number>> = {
  'Profile.usage': 3,
  'Plan.networks': 3,
  'Provider.balance': 3,
  'Query.plans': 10,
  'Query.topUpOptions': 5,
  'Profile.topUpOptions': 5,
};

/**
 * One point per field, plus the upstream surcharge, and a connection's selection counted `first`
 * times, variables included: ten aliased `orders(first: $n)` with n = 100 cost ten full pages.
 */
const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // A router's entity fetch: each representation is one lookup with its selection.
  if (field.name === '_entities') return 1 + representationsOf(args) * childComplexity;
  const takesFirst = field.args.some((a) => a.name === 'first');
  const first = typeof args.first === 'number' ? Math.min(Math.max(0, args.first), MAX_PAGE) : DEFAULT_PAGE;
  return 1 + (UPSTREAM_COST[`${type.name}.${field.name}`] ?? 0) + (takesFirst ? first : 1) * childComplexity;
};

export function queryTooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
}

/** graphql-js's own message when `maxTokens` stops the parser. */
const TOKEN_LIMIT = /^Syntax Error: Document contains more (?:that|than) \d+ tokens/;

export function isTokenLimitError(error: { message: string }): boolean {
  return TOKEN_LIMIT.test(error.message);
}

/**
 * Checks one parsed, valid operation against every limit, with its variables. Returns the first
 * violation as QUERY_TOO_COMPLEX, or null. Runs before any resolver: nothing executes if it fails.
 */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | null {
  const rejected: string[] = [];
  const onReject = [
    (_context: ValidationContext | null, error: GraphQLError) =>
      void rejected.push(error.message.replace(/^Syntax Error: /, '')),
  ];
  const common = { exposeLimits: true, propagateOnRejection: false, onReject };
  validate(schema, document, [
    maxDepthRule({ ...common, n: QUERY_LIMITS.depth }),
    maxAliasesRule({ ...common, n: QUERY_LIMITS.aliases }),
    maxDirectivesRule({ ...common, n: QUERY_LIMITS.directives }),
  ]);
  if (rejected.length) return queryTooComplex(rejected[0]);

  const fields = countFields(document);
  if (fields > QUERY_LIMITS.fields)
    return queryTooComplex(`Query has ${fields} fields, more than the limit of ${QUERY_LIMITS.fields}.`);

  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation?.operation === 'mutation') {
    const roots = operation.selectionSet.selections.filter(
      (s) => s.kind === Kind.FIELD && s.name.value !== '__typename',
    ).length;
    if (roots > QUERY_LIMITS.mutationFields)
      return queryTooComplex(
        `A document may hold at most ${QUERY_LIMITS.mutationFields} mutation fields, found ${roots}.`,
      );
  }

  let cost: number;
  let representations = 0;
  const estimator: ComplexityEstimator = (options) => {
    if (options.field.name === '_entities')
      representations = Math.max(representations, representationsOf(options.args));
    return costEstimator(options);
  };
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables: variables ?? {},
      estimators: [estimator],
    });
  } catch (error) {
    // Variables that do not coerce: execution refuses them with its own BAD_USER_INPUT.
    if (/maximum allowed number of nodes/.test((error as Error).message))
      return queryTooComplex('Query has too many fields.');
    return null;
  }
  if (representations > QUERY_LIMITS.representations)
    return queryTooComplex(
      `_entities takes at most ${QUERY_LIMITS.representations} representations per call, got ${representations}.`,
    );
  return cost > QUERY_LIMITS.cost
    ? queryTooComplex(`Query cost ${cost} exceeds the limit of ${QUERY_LIMITS.cost}.`)
    : null;
}

const representationsOf = (args: Record<string, unknown>) =>
  Array.isArray(args.representations) ? args.representations.length : 0;

/** Cost counts `__typename` as free-ish; a flood of it still costs parsing and answering. */
function countFields(document: DocumentNode): number {
  let count = 0;
  visit(document, { Field: () => void count++ });
  return count;
}

/**
 * One error per distinct message: `@aa` written 500 times is one unknown directive, not 500
 * errors to build, log and send back.
 */
export function collapseRepeatedErrors<E extends { message: string }>(errors: readonly E[]): E[] {
  const seen = new Set<string>();
  return errors.filter((error) => !seen.has(error.message) && seen.add(error.message));
}

/** "Did you mean …?" reveals the schema to callers probing it: validation messages lose it. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ Did you mean .*\?$/, '');
}
