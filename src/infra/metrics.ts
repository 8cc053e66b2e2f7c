import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process, served at GET /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly upstreamCalls = new Counter({
    name: 'esim_upstream_requests_total',
    help: 'Upstream provider HTTP attempts by provider, operation and outcome (HTTP status or error code)',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: 'esim_upstream_request_duration_seconds',
    help: 'Upstream provider HTTP attempt duration',
    labelNames: ['provider', 'operation'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly graphqlOperations = new Counter({
    name: 'esim_graphql_operations_total',
    help: 'GraphQL operations by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeUpstream = (event: { provider: string; operation: string; outcome: string; durationMs: number }): void => {
    this.upstreamCalls.inc({ provider: event.provider, operation: event.operation, outcome: event.outcome });
    this.upstreamDuration.observe({ provider: event.provider, operation: event.operation }, event.durationMs / 1000);
  };
}
