import type { ApolloServerPlugin } from '@apollo/server';
import { collapseRepeatedErrors } from '../graphql/limits';
import { checkOperation, type OperationPolicy } from '../graphql/operation-rules';

/**
 * The operation rules (introspection policy and query limits, graphql/operation-rules.ts) on the
 * HTTP path, once the operation is known and before anything executes. A plugin, not a validation
 * rule: Apollo caches validation per document and gives rules no variables, and the cost of
 * `orders(first: $n)` depends on them. graphql-ws calls the same function from its onSubscribe.
 * Repeated identical errors are sent once.
 */
export function queryLimitsPlugin(policy: OperationPolicy): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const violation = checkOperation(schema, document, operationName, request.variables, policy);
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
