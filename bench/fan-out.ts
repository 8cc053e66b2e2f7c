const PROVIDERS = ['esimaccess', 'connectedyou', 'comium', 'esimplatform', 'esimtrade'];
const LATENCY_MS = 100;
const SAMPLES = Number(process.env.BENCH_FANOUT_SAMPLES ?? 30);
const ALONE_SAMPLES = Number(process.env.BENCH_FANOUT_ALONE_SAMPLES ?? 8);
/**
 * Pause between cold reads. A cold read costs up to three calls at one provider (its pages);
 * back to back they would queue behind our own client-side rate limits (Comium and eSIMTrade:
 * 10/s, eSIM Access: 8/s) and the figure would measure the limiter, not the fan-out.
 */
const PACE_MS = 500;

const QUERY = `query($filter: PlanFilter) { plans(filter: $filter, sort: PRICE_ASC, first: 50) { totalCount
  unavailableProviders { code }
  nodes { id code name coverage validityDays countries { code } data { bytes unlimited } price { amount currency } provider { id } } } }`;

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface FanOutFigures {
  /** Each provider asked alone, cold: its own sequential waves × 100 ms plus our processing. */
  readonly alone: Record<string, Percentiles>;
  /** All five at once, cold. */
  readonly all: Percentiles;
  readonly slowestProvider: string;
  /** 1.25 × the slowest provider's p95 alone + 15 ms. */
  readonly targetP95: number;
  /** What sequential providers would cost: the sum of the p50s alone. */
  readonly sequentialP50: number;
}

/**
 * Scenario 3: every simulator 100 ms late, the gateway's catalog cache expiring at once
 * (CATALOG_TTL_MS=1), so each read fetches every provider's catalog again. One read at a time.
 */
export async function runFanOutBench(gatewayUrl: string, sandboxUrl: string, adminKey: string): Promise<FanOutFigures> {
  const fault = (mode: object) =>
    Promise.all(
      PROVIDERS.map((id) =>
        fetch(`${sandboxUrl}/sandbox/${id}/_control/fault`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(mode),
        }),
      ),
    );
  const read = async (filter: object): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ query: QUERY, variables: { filter } }),
    });
    const body = (await res.json()) as any;
    const elapsed = performance.now() - started;
    if (body.errors || body.data.plans.unavailableProviders.length)
      throw new Error(`cold read failed: ${JSON.stringify(body).slice(0, 300)}`);
    return elapsed;
  };
  const paced = async (samples: number, filter: object): Promise<Percentiles> => {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      times.push(await read(filter));
      await new Promise((r) => setTimeout(r, PACE_MS));
    }
    return percentiles(times);
  };

  await fault({ mode: 'slow', latencyMs: LATENCY_MS });
  try {
    await paced(2, { country: 'FR' }); // warm-up: JIT and connection pools, not the catalog (it expires at once)
    const alone: Record<string, Percentiles> = {};
    for (const id of PROVIDERS) alone[id] = await paced(ALONE_SAMPLES, { country: 'FR', providerIds: [id] });
    const all = await paced(SAMPLES, { country: 'FR' });
    const slowestProvider = PROVIDERS.reduce((a, b) => (alone[b].p95 > alone[a].p95 ? b : a));
    return {
      alone,
      all,
      slowestProvider,
      targetP95: Math.round(1.25 * alone[slowestProvider].p95 + 15),
      sequentialP50: Math.round(PROVIDERS.reduce((sum, id) => sum + alone[id].p50, 0)),
    };
  } finally {
    await fault({ mode: 'ok' });
  }
}

/** Nearest-rank percentiles, in whole milliseconds. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
