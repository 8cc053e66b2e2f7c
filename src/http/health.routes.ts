import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Metrics } from '../infra/metrics';
import type { ProviderService } from '../services/providers/provider.service';

/**
 * /healthz: alive while the process serves. /readyz: 200 only when the database answers; the body
 * lists each provider's health as this process sees it (circuit, last error), and with ?probe=1
 * also makes one cheap authenticated call to each provider. /metrics: Prometheus text.
 */
export function healthRoutes(db: DataSource, providers: ProviderService, metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const database = await db.query('SELECT 1').then(() => 'up', () => 'down');
    const health = req.query.probe === '1'
      ? await providers.probeAll(3000)
      : Object.fromEntries(providers.list().map((p) => [p.id, p.health()]));
    res.status(database === 'up' ? 200 : 503).json({ status: database === 'up' ? 'ready' : 'not ready', database, providers: health });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
