import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Counters of rows that wait for a person, read from the database (shared by every instance). */
export interface AttentionCounts {
  readonly orders: () => Promise<number>;
  readonly topUps: () => Promise<number>;
}

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

  /** Count the flagged rows in the database; set once the services exist (`watchAttention`). */
  private attention: AttentionCounts | null = null;
  readonly ordersNeedingAttention: Gauge = new Gauge({
    name: 'esim_orders_needing_attention',
    help: 'Orders not final after ORDER_ATTENTION_AFTER_MS, waiting for an admin (all accounts; counted at scrape)',
    registers: [this.registry],
    collect: (): Promise<void> => this.collect(this.ordersNeedingAttention, this.attention?.orders),
  });
  readonly topUpsNeedingAttention: Gauge = new Gauge({
    name: 'esim_top_ups_needing_attention',
    help: 'Top-ups not final after ORDER_ATTENTION_AFTER_MS (all accounts; counted at scrape)',
    registers: [this.registry],
    collect: (): Promise<void> => this.collect(this.topUpsNeedingAttention, this.attention?.topUps),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  watchAttention(counts: AttentionCounts): void {
    this.attention = counts;
  }

  /** One COUNT per scrape; a database that does not answer leaves the last value. */
  private async collect(gauge: Gauge, count: (() => Promise<number>) | undefined): Promise<void> {
    const value = count ? await count().catch(() => null) : null;
    if (value !== null) gauge.set(value);
  }

  observeUpstream = (event: { provider: string; operation: string; outcome: string; durationMs: number }): void => {
    this.upstreamCalls.inc({ provider: event.provider, operation: event.operation, outcome: event.outcome });
    this.upstreamDuration.observe({ provider: event.provider, operation: event.operation }, event.durationMs / 1000);
  };
}
