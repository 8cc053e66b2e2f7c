import type { Client } from 'graphql-ws';
import { Writable } from 'node:stream';
import pino from 'pino';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor, wsClient } from '../helpers/ws-client';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Prometheus text → samples (enough of the format for prom-client's output). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, rawLabels = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries([...rawLabels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name, labels, value: Number(value) };
    });
}

/** The sum of the samples of `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('observability: /metrics, the request log and x-request-id', () => {
  let t: TestApp;
  let r: Reseller;
  const clients: Client[] = [];
  /** What the app logged at info and above, parsed. */
  const logged: any[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const scrape = async () => parse(await (await fetch(`${t.url}/metrics`)).text());
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '20' }, { logger: pino({ level: 'info' }, sink) });
    r = await createReseller(t);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  it('echoes a sane x-request-id and generates one for a missing or unsafe one', async () => {
    const echoed = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.42_x' } });
    expect(echoed.headers.get('x-request-id')).toBe('lb-7f3a.42_x');
    const missing = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const unsafe = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': `${'a'.repeat(129)}` } });
    const uuid = /^[0-9a-f-]{36}$/;
    expect(missing.headers.get('x-request-id')).toMatch(uuid);
    expect(unsafe.headers.get('x-request-id')).toMatch(uuid);
    expect(unsafe.headers.get('x-request-id')).not.toBe(missing.headers.get('x-request-id'));
  });

  it('logs each request once with its id, path without query, status, duration and operation; probes not at info', async () => {
    const res = await fetch(`${t.url}/graphql?via=test`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'obs-log-1',
        authorization: `Bearer ${ADMIN_KEY}`,
      },
      body: JSON.stringify({ query: 'query ObsLogged { __typename }' }),
    });
    expect(res.status).toBe(200);
    await fetch(`${t.url}/metrics`, { headers: { 'x-request-id': 'obs-log-2' } });
    await waitFor(() => logged.some((l) => l.requestId === 'obs-log-1'));
    expect(logged.filter((l) => l.requestId === 'obs-log-1')).toEqual([
      expect.objectContaining({
        msg: 'request',
        method: 'POST',
        path: '/graphql',
        status: 200,
        operation: 'ObsLogged',
        durationMs: expect.any(Number),
      }),
    ]);
    expect(logged.some((l) => l.requestId === 'obs-log-2')).toBe(false);
  });

  it('counts operations by name, their errors, upstream calls and failures, orders, wallet movements and live subscriptions', async () => {
    const before = await scrape();
    const op = (name: string, outcome: string) => ({ operation: name, transport: 'http', outcome });

    const plans = await t.gql(
      'query ObsPlans($f: PlanFilter) { plans(filter: $f, first: 1) { nodes { id } } }',
      { f: { providerIds: ['esimaccess'] } },
      r.key,
    );
    expect(plans.body.errors).toBeUndefined();
    const forbidden = await t.gql('query ObsBalance { provider(id: "esimaccess") { balance { amount } } }', {}, r.key);
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('{ viewer { id } }', {}, 'not-a-key')).status).toBe(401);
    await credit(t, r.accountId, '50');
    const plan = await cheapestPlan(t, r.key, 'esimaccess');
    const placed = await placeOrder(t, r.key, { planId: plan.id });
    await waitForOrder(t, r.key, placed.body.data.placeOrder.id);
    await t.control('esimtrade', 'fault', { mode: 'down' });
    await t.gql('query ObsTradeBalance { provider(id: "esimtrade") { balance { amount } } }');
    await t.control('esimtrade', 'fault', { mode: 'ok' });
    const client = wsClient(t, r.key);
    clients.push(client);
    client.subscribe(
      { query: 'subscription ObsWallet { walletUpdated { balance { amount } } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await waitFor(async () => total(await scrape(), 'esim_ws_subscriptions') === 1);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);

    expect(moved('esim_graphql_operations_total', { ...op('ObsPlans', 'ok'), type: 'query' })).toBe(1);
    expect(moved('esim_graphql_operation_duration_seconds_count', { operation: 'ObsPlans', type: 'query' })).toBe(1);
    expect(moved('esim_graphql_operations_total', op('ObsBalance', 'error'))).toBe(1);
    expect(moved('esim_graphql_operation_errors_total', { operation: 'ObsBalance', code: 'FORBIDDEN' })).toBe(1);
    expect(moved('esim_graphql_operation_errors_total', { operation: 'invalid', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(moved('esim_graphql_operations_total', { operation: 'anonymous', type: 'mutation' })).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      moved('esim_graphql_operations_total', { operation: 'ObsWallet', type: 'subscription', transport: 'ws' }),
    ).toBe(1);

    expect(moved('esim_upstream_requests_total', { provider: 'esimaccess' })).toBeGreaterThan(0);
    expect(moved('esim_upstream_request_duration_seconds_count', { provider: 'esimaccess' })).toBeGreaterThan(0);
    expect(moved('esim_upstream_failures_total', { provider: 'esimtrade' })).toBeGreaterThanOrEqual(1);
    // Every failed call is among the failed attempts, which the retries outnumber.
    expect(moved('esim_upstream_requests_total', { provider: 'esimtrade' })).toBeGreaterThan(
      moved('esim_upstream_failures_total', { provider: 'esimtrade' }),
    );

    expect(total(after, 'esim_orders', { status: 'COMPLETED' })).toBe(1);
    expect(total(after, 'esim_orders', { status: 'FAILED' })).toBe(0);
    expect(moved('esim_wallet_movements_total', { kind: 'DEPOSIT', currency: 'USD' })).toBe(1);
    expect(moved('esim_wallet_movements_total', { kind: 'ORDER', currency: 'USD' })).toBe(1);
    expect(total(after, 'esim_wallet_balance', { currency: 'USD' })).toBeCloseTo(50 - Number(plan.price.amount), 4);
    expect(total(after, 'esim_ws_sockets')).toBe(1);
    expect(after.some((s) => s.name === 'esim_orders_needing_attention')).toBe(true);
  });
});
