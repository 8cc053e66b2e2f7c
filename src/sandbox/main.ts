import express from 'express';
import { createServer } from 'node:http';
import { loadConfig } from '../config';
import { createLogger } from '../infra/logger';
import { createSandbox } from './server';

/** `npm run sandbox`: the five simulators alone on SANDBOX_PORT, shared by several gateways via SANDBOX_URL. */
function main(): void {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const sandbox = createSandbox({ orderDelayMs: config.sandboxOrderDelayMs });
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/sandbox', sandbox.router);
  const server = createServer(app);
  server.listen(config.sandboxPort, () =>
    logger.info(
      { url: `http://127.0.0.1:${config.sandboxPort}/sandbox`, providers: sandbox.simulators.map((s) => s.id) },
      'provider simulators listening',
    ),
  );
  const stop = () => {
    sandbox.dispose();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
