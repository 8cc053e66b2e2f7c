import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { OperationEvent } from '../infra/metrics';

/**
 * The name of the operation each HTTP request resolved, by its parsed body (the object express.json
 * put on `req.body`, which Apollo hands to plugins as `request.http.body`): the request log reads
 * it there, since plugins never see the express request itself.
 */
const operationNames = new WeakMap<object, string>();

/** The operation an HTTP GraphQL request resolved (`anonymous` without a name), once Apollo got that far. */
export function operationNameOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null ? operationNames.get(body) : undefined;
}

/**
 * Reports every HTTP GraphQL operation once, when its response is sent: name and type as resolved
 * (so only operations that parsed and validated), duration, and the `extensions.code` of each error
 * as the client receives it (after formatError). A request refused before any operation (an unknown
 * key, a malformed request) is reported without one. Put it first in the plugin list.
 */
export function operationMetricsPlugin(observe: (event: OperationEvent) => void): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation: OperationEvent['operation'] = null;
      return {
        async didResolveOperation({ operationName, operation: ast, request }) {
          if (!ast) return;
          operation = { name: operationName, type: ast.operation };
          const body = request.http?.body;
          if (typeof body === 'object' && body !== null) operationNames.set(body, operationName || 'anonymous');
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          observe({
            transport: 'http',
            operation,
            durationMs: performance.now() - started,
            errorCodes: errors && codesOf(errors),
          });
        },
      };
    },
    async contextCreationDidFail({ error }) {
      observe({ transport: 'http', operation: null, errorCodes: [codeOf(error)] });
    },
    async invalidRequestWasReceived() {
      // formatError sends Apollo's BAD_REQUEST as BAD_USER_INPUT (graphql/errors.ts).
      observe({ transport: 'http', operation: null, errorCodes: ['BAD_USER_INPUT'] });
    },
  };
}

/** The codes of formatted errors, as sent. */
export function codesOf(errors: readonly GraphQLFormattedError[]): (string | undefined)[] {
  return errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : undefined));
}

/** A refusal before execution (authentication, the per-key rate limit) keeps its own code when sent. */
function codeOf(error: Error): string {
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
