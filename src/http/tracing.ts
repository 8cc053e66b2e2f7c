import type { ApolloServerPlugin } from '@apollo/server';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';
import type { Telemetry } from '../infra/telemetry';
import { codesOf } from './metrics.plugin';

/** OpenTelemetry's GraphQL attributes (still "incubating" in semantic-conventions, so spelled out). */
const GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';

/**
 * Opens the span of one HTTP GraphQL request and runs the rest of the chain inside it, so the
 * resolvers' upstream calls become its children. Mount it after express.json: a body parser
 * resumes the chain from the socket's events, outside any context entered before it. The span
 * ends with the response; `graphqlTracingPlugin` names it after the operation.
 */
export function graphqlSpans(telemetry: Telemetry): RequestHandler {
  return (req, res, next) =>
    telemetry.withSpan(
      `${req.method} /graphql`,
      SpanKind.SERVER,
      {
        [ATTR_HTTP_REQUEST_METHOD]: req.method,
        'esim.request_id': String(req.headers['x-request-id'] ?? ''),
      },
      (span) => {
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
          span.end();
        };
        res.once('finish', end);
        res.once('close', end);
        next();
      },
    );
}

/** Names the request's span `<type> <name>` once the operation is resolved, and marks it failed when errors are sent. */
export function graphqlTracingPlugin(telemetry: Telemetry): ApolloServerPlugin {
  return {
    // Refused before any operation (an unknown key, the rate limit): Apollo runs no request hooks.
    async contextCreationDidFail({ error }) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      telemetry
        .activeSpan()
        ?.setStatus({ code: SpanStatusCode.ERROR, message: String(code ?? 'INTERNAL_SERVER_ERROR') });
    },
    async requestDidStart() {
      const span = telemetry.activeSpan();
      if (!span) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          if (!operation) return;
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
          span.setAttribute(GRAPHQL_OPERATION_TYPE, operation.operation);
          if (operationName) span.setAttribute(GRAPHQL_OPERATION_NAME, operationName);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!errors?.length) return;
          const codes = [...new Set(codesOf(errors).map((code) => code ?? 'UNKNOWN'))];
          span.setAttribute('esim.graphql.error_codes', codes);
          span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
        },
      };
    },
  };
}
