import { Metrics } from '../../../src/infra/metrics';

async function values(metric: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> }) {
  return (await metric.get()).values;
}

const count = async (metrics: Metrics, labels: Record<string, string>) =>
  (await values(metrics.graphqlOperations))
    .filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
    .reduce((sum, v) => sum + v.value, 0);

describe('GraphQL operation metrics', () => {
  it('labels the first 100 operation names and every later one "other"', async () => {
    const metrics = new Metrics();
    for (let i = 0; i < 150; i++)
      metrics.observeOperation({ transport: 'http', operation: { name: `Op${i}`, type: 'query' }, durationMs: 1 });
    metrics.observeOperation({ transport: 'http', operation: { name: 'Op7', type: 'query' }, durationMs: 1 });
    const names = new Set((await values(metrics.graphqlOperations)).map((v) => v.labels.operation));
    expect(names.size).toBe(101);
    expect(names.has('Op99')).toBe(true);
    expect(names.has('Op100')).toBe(false);
    expect(await count(metrics, { operation: 'other', outcome: 'ok' })).toBe(50);
    expect(await count(metrics, { operation: 'Op7', outcome: 'ok' })).toBe(2);
  });

  it('never admits an over-long name, and names anonymous and unresolved operations apart', async () => {
    const metrics = new Metrics();
    metrics.observeOperation({ transport: 'http', operation: { name: 'x'.repeat(101), type: 'query' } });
    metrics.observeOperation({ transport: 'http', operation: { name: null, type: 'mutation' } });
    metrics.observeOperation({ transport: 'ws', operation: null, errorCodes: ['UNAUTHENTICATED'] });
    expect(await count(metrics, { operation: 'other', type: 'query' })).toBe(1);
    expect(await count(metrics, { operation: 'anonymous', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(await count(metrics, { operation: 'invalid', type: 'unknown', transport: 'ws', outcome: 'error' })).toBe(1);
  });

  it('counts each error code once per operation and times only operations with a duration', async () => {
    const metrics = new Metrics();
    metrics.observeOperation({
      transport: 'http',
      operation: { name: 'Order', type: 'query' },
      durationMs: 30,
      errorCodes: ['NOT_FOUND', 'NOT_FOUND', 'PROVIDER_UNAVAILABLE', undefined],
    });
    metrics.observeOperation({ transport: 'http', operation: null, errorCodes: ['UNAUTHENTICATED'] });
    const errors = await values(metrics.graphqlErrors);
    expect(errors.map((v) => [v.labels.operation, v.labels.code, v.value]).sort()).toEqual([
      ['Order', 'NOT_FOUND', 1],
      ['Order', 'PROVIDER_UNAVAILABLE', 1],
      ['Order', 'UNKNOWN', 1],
      ['invalid', 'UNAUTHENTICATED', 1],
    ]);
    expect(await count(metrics, { operation: 'Order', outcome: 'error' })).toBe(1);
    const durations = (await values(metrics.graphqlDuration)).filter((v) => String(v.labels.le) === '+Inf');
    expect(durations).toEqual([
      expect.objectContaining({ value: 1, labels: expect.objectContaining({ operation: 'Order' }) }),
    ]);
  });
});

describe('upstream and business metrics', () => {
  it('counts a call failure only for the attempt that ended the call', async () => {
    const metrics = new Metrics();
    const attempt = { provider: 'comium', operation: 'orders', durationMs: 5 };
    metrics.observeUpstream({ ...attempt, outcome: 'PROVIDER_UNAVAILABLE', final: false });
    metrics.observeUpstream({ ...attempt, outcome: '200', final: true });
    metrics.observeUpstream({ ...attempt, outcome: 'RATE_LIMITED', final: true });
    expect((await values(metrics.upstreamCalls)).reduce((s, v) => s + v.value, 0)).toBe(3);
    expect((await values(metrics.upstreamFailures)).map((v) => [v.labels.code, v.value])).toEqual([
      ['RATE_LIMITED', 1],
    ]);
  });

  it('reads orders by status, balances and live sockets at scrape, keeping the last values when the database fails', async () => {
    const metrics = new Metrics();
    let fail = false;
    metrics.watch({
      ordersByStatus: async () => {
        if (fail) throw new Error('database down');
        return { PENDING: 2, COMPLETED: 5 };
      },
      walletBalances: async () => ({ USD: '1234.5678' }),
      live: () => ({ sockets: 3, subscriptions: 7 }),
    });
    await metrics.registry.metrics();
    fail = true;
    const text = await metrics.registry.metrics();
    expect(text).toContain('esim_orders{status="COMPLETED"} 5');
    expect(text).toContain('esim_wallet_balance{currency="USD"} 1234.5678');
    expect(text).toContain('esim_ws_sockets 3');
    expect(text).toContain('esim_ws_subscriptions 7');
  });

  it('counts wallet movements by kind and currency, with a bounded currency label', async () => {
    const metrics = new Metrics();
    metrics.observeWalletMovement({ kind: 'ORDER', currency: 'USD' });
    metrics.observeWalletMovement({ kind: 'ORDER', currency: 'USD' });
    for (let i = 0; i < 30; i++) metrics.observeWalletMovement({ kind: 'DEPOSIT', currency: `C${i}` });
    const movements = await values(metrics.walletMovements);
    expect(movements.find((v) => v.labels.kind === 'ORDER')?.value).toBe(2);
    expect(movements.find((v) => v.labels.currency === 'other')?.value).toBe(11);
  });
});
