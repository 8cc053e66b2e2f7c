import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Metrics } from '../infra/metrics';
import type { ProviderService } from '../services/providers/provider.service';

type ProbeResult = Awaited<ReturnType<ProviderService['probeAll']>>;

/**
 * /healthz: alive while the process serves. /readyz: 200 only when the database answers; the body
 * lists each provider's health as this process sees it (circuit, last error), and with ?probe=1
 * also makes one cheap authenticated call to each provider (through its breaker: an open circuit
 * past its half-open delay gets its probe here). /metrics: Prometheus text.
 */
export function healthRoutes(
  db: DataSource,
  providers: ProviderService,
  metrics: Metrics,
  options: { probeReuseMs?: number } = {},
): Router {
  const probe = sharedProbe(providers, options.probeReuseMs ?? 1000);
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const database = await db.query('SELECT 1').then(
      () => 'up',
      () => 'down',
    );
    const reachable = req.query.probe === '1' ? await probe() : null;
    // Health is read now even when the probe round is shared: the circuit may have moved since.
    const health = Object.fromEntries(
      providers
        .list()
        .map((p) => [p.id, reachable ? { ...p.health(), reachable: reachable[p.id]?.reachable ?? false } : p.health()]),
    );
    res
      .status(database === 'up' ? 200 : 503)
      .json({ status: database === 'up' ? 'ready' : 'not ready', database, providers: health });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

/**
 * /readyz answers without an API key, and each probe round spends one call of every provider's
 * rate budget: requests arriving while a round runs, or within `reuseMs` after it, share it.
 */
function sharedProbe(providers: ProviderService, reuseMs: number): () => Promise<ProbeResult> {
  let last: { result: Promise<ProbeResult>; settledAt: number | null } | null = null;
  return () => {
    if (last && (last.settledAt === null || Date.now() - last.settledAt < reuseMs)) return last.result;
    const round: { result: Promise<ProbeResult>; settledAt: number | null } = {
      result: providers.probeAll(3000),
      settledAt: null,
    };
    const settled = () => {
      round.settledAt = Date.now();
    };
    round.result.then(settled, settled);
    last = round;
    return round.result;
  };
}
