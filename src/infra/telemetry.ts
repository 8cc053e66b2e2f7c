import {
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Where spans go: an OTLP/HTTP collector's base URL (OTEL_EXPORTER_OTLP_ENDPOINT, spans posted to
 * `<endpoint>/v1/traces` in batches), or an exporter of the caller's (tests: InMemorySpanExporter,
 * each span exported as it ends).
 */
export type TelemetryTarget = { readonly endpoint: string } | { readonly exporter: SpanExporter };

/** One upstream attempt as the provider client reports it, after it ended. */
export interface UpstreamAttempt {
  readonly provider: string;
  readonly operation: string;
  /** An HTTP status, or the error code of a failed attempt. */
  readonly outcome: string;
  readonly durationMs: number;
}

/**
 * Traces of GraphQL operations and their upstream calls. When off, nothing global is touched and
 * every method is a no-op (the tracer is the API's no-op one). When on, the context lives in this
 * instance's own AsyncLocalStorage manager rather than the global API context: two apps in one
 * process (tests) never see each other's spans, and disposing one leaves the other's context intact.
 */
export interface Telemetry {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** Runs `work` with a new span active, a child of the active span (or a root); `work` ends it. */
  withSpan<T>(name: string, kind: SpanKind, attributes: Attributes, work: (span: Span) => T): T;
  /** The span active in this async context, if any. */
  activeSpan(): Span | undefined;
  /**
   * Records an upstream attempt that has just ended as a CLIENT span under the active span. Without
   * one (the reconciler, the poller, logins) nothing is recorded: background work would otherwise
   * fill the collector with one-span traces every few seconds.
   */
  upstream(attempt: UpstreamAttempt): void;
  /** Exports what is buffered, then stops. Idempotent. */
  shutdown(): Promise<void>;
}

const SERVICE_NAME = 'esim-gateway';

export function startTelemetry(target: TelemetryTarget | null): Telemetry {
  if (!target) return OFF;
  const processor: SpanProcessor =
    'exporter' in target
      ? new SimpleSpanProcessor({ exporter: target.exporter })
      : new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({
            url: `${target.endpoint.replace(/\/+$/, '')}/v1/traces`,
            // dispose() waits for the last export: an unreachable collector should not hold a shutdown long.
            timeoutMillis: 5000,
          }),
        });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: SERVICE_NAME }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer(SERVICE_NAME);
  const contexts = new AsyncLocalStorageContextManager().enable();
  let stopped: Promise<void> | null = null;
  return {
    enabled: true,
    tracer,
    withSpan(name, kind, attributes, work) {
      const parent = contexts.active();
      const span = tracer.startSpan(name, { kind, attributes }, parent);
      return contexts.with(trace.setSpan(parent, span), () => work(span));
    },
    activeSpan: () => trace.getSpan(contexts.active()),
    upstream(attempt) {
      const parent = contexts.active();
      if (!trace.getSpan(parent)) return;
      const end = Date.now();
      const status = /^\d+$/.test(attempt.outcome) ? Number(attempt.outcome) : null;
      const span = tracer.startSpan(
        `${attempt.provider} ${attempt.operation}`,
        {
          kind: SpanKind.CLIENT,
          startTime: end - attempt.durationMs,
          attributes: {
            'esim.provider': attempt.provider,
            'esim.upstream.operation': attempt.operation,
            'esim.upstream.outcome': attempt.outcome,
            ...(status === null ? {} : { [ATTR_HTTP_RESPONSE_STATUS_CODE]: status }),
          },
        },
        parent,
      );
      if (status === null || status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.outcome });
      span.end(end);
    },
    shutdown: () =>
      (stopped ??= provider.shutdown().finally(() => {
        contexts.disable();
      })),
  };
}

const OFF: Telemetry = {
  enabled: false,
  // A proxy with no delegate answers with the API's no-op tracer; no global provider is consulted.
  tracer: new ProxyTracerProvider().getTracer(SERVICE_NAME),
  withSpan: (_name, _kind, _attributes, work) => work(trace.wrapSpanContext(INVALID_SPAN_CONTEXT)),
  activeSpan: () => undefined,
  upstream: () => undefined,
  shutdown: async () => undefined,
};
