import type { ApolloServerPlugin } from '@apollo/server';
import { checkQueryLimits, collapseRepeatedErrors } from '../graphql/limits';

/**
 * Query limits on the HTTP path, once the operation is known and before anything executes.
 * A plugin, not a validation rule: Apollo caches validation per document and gives rules no
 * variables, and the cost of `orders(first: $n)` depends on them. graphql-ws runs the same check
 * in its own onSubscribe (app/subscriptions.ts). Repeated identical errors are sent once.
 */
export function queryLimitsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const violation = checkQueryLimits(schema, document, operationName, request.variables);
          if (violation) throw violation;
        },
        async willSendResponse({ response }) {
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            response.body.singleResult.errors = collapseRepeatedErrors(response.body.singleResult.errors);
          }
        },
      };
    },
  };
}
