import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { checkQueryLimits } from './limits';

/** What the deployment allows on top of the fixed query limits. */
export interface OperationPolicy {
  /** GRAPHQL_INTROSPECTION: `__schema` and `__type` are answered at all (always behind a valid key). */
  readonly introspection: boolean;
}

/**
 * The one decision about a parsed, valid operation, for every transport: the HTTP path calls it
 * from an Apollo plugin (http/limits.plugin.ts), graphql-ws from onSubscribe (app/subscriptions.ts).
 * Authentication and the per-key rate limit come first, in graphql/context.ts, on both paths; so
 * nothing here is ever reached without a valid key. Returns the refusal, or null to execute.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  policy: OperationPolicy,
): GraphQLError | null {
  if (!policy.introspection && validate(schema, document, [NoSchemaIntrospectionCustomRule]).length) {
    return new GraphQLError('Introspection is disabled on this gateway.', {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
  return checkQueryLimits(schema, document, operationName, variables);
}
