import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BoundedLabel } from './bounded-label';

/** Counters of rows that wait for a person, read from the database (shared by every instance). */
export interface AttentionCounts {
  readonly orders: () => Promise<number>;
  readonly topUps: () => Promise<number>;
}

/** What a scrape reads besides the counters: the database (all instances) and this instance's sockets. */
export interface ScrapeSources {
  /** Orders by status, every status present (0 when none). */
  readonly ordersByStatus?: () => Promise<Readonly<Record<string, number>>>;
  /** Orders that went to an equivalent plan, by failover reason, every reason present (0 when none). */
  readonly ordersFailedOver?: () => Promise<Readonly<Record<string, number>>>;
  /** Sum of wallet balances by currency, as decimal strings. */
  readonly walletBalances?: () => Promise<Readonly<Record<string, string>>>;
  /** Open graphql-ws sockets and their live subscriptions, on this instance. */
  readonly live?: () => { readonly sockets: number; readonly subscriptions: number };
}

/** One GraphQL operation as it ended, over HTTP or graphql-ws. */
export interface OperationEvent {
  readonly transport: 'http' | 'ws';
  /** The operation once parsed, validated and resolved; null when it never got that far. */
  readonly operation: { readonly name: string | null | undefined; readonly type: string } | null;
  /** Absent when the request was refused before the operation started (e.g. an unknown key). */
  readonly durationMs?: number;
  /** `extensions.code` of each error sent, repeats allowed. */
  readonly errorCodes?: readonly (string | undefined)[];
}

/** One upstream attempt (the shape of the provider client's observer). */
export interface UpstreamEvent {
  readonly provider: string;
  readonly operation: string;
  readonly outcome: string;
  readonly durationMs: number;
  /** True when this attempt's outcome is the call's: no retry follows it. */
  readonly final?: boolean;
}

/** A ledger movement that committed. */
export interface WalletMovement {
  readonly kind: string;
  readonly currency: string;
}

const OPERATION_LABELS = ['operation', 'type', 'transport'] as const;
type OperationSeries = {
  readonly ok: Counter.Internal;
  readonly error: Counter.Internal;
  readonly duration: Histogram.Internal<string>;
};

/** Prometheus metrics of one process, served at GET /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly upstreamCalls = new Counter({
    name: 'esim_upstream_requests_total',
    help: 'Upstream provider HTTP attempts (each retry counts) by provider, operation and outcome: the HTTP status of a response handed to the adapter, or the error code of a failed attempt',
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
  readonly upstreamFailures = new Counter({
    name: 'esim_upstream_failures_total',
    help: 'Upstream provider calls that failed for the gateway after their retries, by provider, operation and error code (PROVIDER_UNAVAILABLE, RATE_LIMITED, PROVIDER_ERROR…); failed attempts that a retry recovered are only in esim_upstream_requests_total',
    labelNames: ['provider', 'operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly graphqlOperations = new Counter({
    name: 'esim_graphql_operations_total',
    help: 'GraphQL operations by operation name (the first 100 distinct names of operations that parsed and validated, then "other"; "anonymous" without a name; "invalid" when it did not parse, validate or resolve, or the caller was refused first), type, transport (http, ws) and outcome (ok, or error when any error was sent). On ws a subscription counts when it starts',
    labelNames: [...OPERATION_LABELS, 'outcome'] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new Histogram({
    name: 'esim_graphql_operation_duration_seconds',
    help: 'GraphQL operation duration: HTTP from the request reaching Apollo to its response; ws from subscribe to the result (a subscription: to its start). Labels as esim_graphql_operations_total',
    labelNames: OPERATION_LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'esim_graphql_operation_errors_total',
    help: 'GraphQL operations answered with at least one error of this extensions.code (each code counted once per operation). Labels as esim_graphql_operations_total',
    labelNames: [...OPERATION_LABELS, 'code'] as const,
    registers: [this.registry],
  });

  readonly walletMovements = new Counter({
    name: 'esim_wallet_movements_total',
    help: 'Committed wallet ledger movements by kind (DEPOSIT, ORDER, TOP_UP, REFUND, ADJUSTMENT) and wallet currency; a count of movements, not of money',
    labelNames: ['kind', 'currency'] as const,
    registers: [this.registry],
  });

  /** Count the flagged rows in the database; set once the services exist (`watchAttention`). */
  private attention: AttentionCounts | null = null;
  private sources: ScrapeSources = {};
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
  readonly orders: Gauge<'status'> = new Gauge({
    name: 'esim_orders',
    help: 'Orders by status (all accounts; one GROUP BY at scrape)',
    labelNames: ['status'] as const,
    registers: [this.registry],
    collect: (): Promise<void> => this.collectByLabel(this.orders, 'status', this.sources.ordersByStatus, Number),
  });
  readonly ordersFailedOver: Gauge<'reason'> = new Gauge({
    name: 'esim_orders_failed_over',
    help: 'Orders placed with fallback EQUIVALENT that went to another provider, by reason (all accounts; one GROUP BY at scrape)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
    collect: (): Promise<void> =>
      this.collectByLabel(this.ordersFailedOver, 'reason', this.sources.ordersFailedOver, Number),
  });
  readonly walletBalance: Gauge<'currency'> = new Gauge({
    name: 'esim_wallet_balance',
    help: 'Sum of all wallet balances by currency, in currency units (one GROUP BY at scrape); a float for dashboards, never read back',
    labelNames: ['currency'] as const,
    registers: [this.registry],
    collect: (): Promise<void> =>
      this.collectByLabel(this.walletBalance, 'currency', this.sources.walletBalances, Number),
  });
  readonly wsSockets: Gauge = new Gauge({
    name: 'esim_ws_sockets',
    help: 'Open graphql-ws sockets on this instance (authenticated or not yet)',
    registers: [this.registry],
    collect: () => {
      if (this.sources.live) this.wsSockets.set(this.sources.live().sockets);
    },
  });
  readonly wsSubscriptions: Gauge = new Gauge({
    name: 'esim_ws_subscriptions',
    help: 'Live graphql-ws subscriptions on this instance',
    registers: [this.registry],
    collect: () => {
      if (this.sources.live) this.wsSubscriptions.set(this.sources.live().subscriptions);
    },
  });

  private readonly operationNames = new BoundedLabel(100);
  private readonly errorCodes = new BoundedLabel(50, 'OTHER');
  private readonly walletCurrencies = new BoundedLabel(20);
  /** Children by label set: `labels()` hashes its arguments on every call, and this runs on every operation. */
  private readonly operationSeries = new Map<string, OperationSeries>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  watchAttention(counts: AttentionCounts): void {
    this.attention = counts;
  }

  watch(sources: ScrapeSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** One COUNT per scrape; a database that does not answer leaves the last value. */
  private async collect(gauge: Gauge, count: (() => Promise<number>) | undefined): Promise<void> {
    const value = count ? await count().catch(() => null) : null;
    if (value !== null) gauge.set(value);
  }

  /** One query per scrape; a database that does not answer leaves the last values. */
  private async collectByLabel<L extends string, V>(
    gauge: Gauge<L>,
    label: L,
    read: (() => Promise<Readonly<Record<string, V>>>) | undefined,
    toNumber: (value: V) => number,
  ): Promise<void> {
    const values = read ? await read().catch(() => null) : null;
    if (values === null) return;
    gauge.reset();
    for (const [key, value] of Object.entries(values))
      gauge.set({ [label]: key } as Partial<Record<L, string>>, toNumber(value));
  }

  observeUpstream = (event: UpstreamEvent): void => {
    this.upstreamCalls.inc({ provider: event.provider, operation: event.operation, outcome: event.outcome });
    this.upstreamDuration.observe({ provider: event.provider, operation: event.operation }, event.durationMs / 1000);
    if (event.final && !/^\d+$/.test(event.outcome))
      this.upstreamFailures.inc({ provider: event.provider, operation: event.operation, code: event.outcome });
  };

  observeOperation = (event: OperationEvent): void => {
    const { transport, operation } = event;
    const type = operation?.type ?? 'unknown';
    const name = operation ? this.operationNames.of(operation.name || 'anonymous') : 'invalid';
    const series = this.seriesOf(transport, type, name);
    const failed = event.errorCodes !== undefined && event.errorCodes.length > 0;
    (failed ? series.error : series.ok).inc();
    if (event.durationMs !== undefined) series.duration.observe(event.durationMs / 1000);
    if (!failed) return;
    for (const code of new Set(event.errorCodes))
      this.graphqlErrors.inc({ operation: name, type, transport, code: this.errorCodes.of(code ?? 'UNKNOWN') });
  };

  observeWalletMovement = (movement: WalletMovement): void => {
    this.walletMovements.inc({ kind: movement.kind, currency: this.walletCurrencies.of(movement.currency) });
  };

  private seriesOf(transport: string, type: string, name: string): OperationSeries {
    const key = `${transport} ${type} ${name}`;
    let series = this.operationSeries.get(key);
    if (!series) {
      const labels = { operation: name, type, transport };
      series = {
        ok: this.graphqlOperations.labels({ ...labels, outcome: 'ok' }),
        error: this.graphqlOperations.labels({ ...labels, outcome: 'error' }),
        duration: this.graphqlDuration.labels(labels),
      };
      this.operationSeries.set(key, series);
    }
    return series;
  }
}
