import express from 'express';
import { createServer } from 'node:http';
import path from 'node:path';
import { loadConfig, StartupError } from '../config';
import { claimDataDir } from '../infra/data-dir-claim';
import { listen } from '../infra/listen';
import { createLogger } from '../infra/logger';
import { createSandbox } from './server';

/**
 * `npm run sandbox`: the five simulators alone on SANDBOX_PORT, shared by several gateways via
 * SANDBOX_URL. A restarted sandbox still knows every eSIM it sold: its state lives in
 * <DATA_DIR>/simulators, apart from a gateway's own files in DATA_DIR, and one process owns it.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const stateDir = path.join(config.dataDir, 'simulators');
  const claim = await claimDataDir(stateDir);
  const sandbox = createSandbox({ orderDelayMs: config.sandboxOrderDelayMs, stateDir });
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/sandbox', sandbox.router);
  const server = createServer(app);
  await listen(server, config.sandboxPort, config.host);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.sandboxPort}`;
  claim.announce(url);
  logger.info(
    { url: `${url}/sandbox`, providers: sandbox.simulators.map((s) => s.id) },
    'provider simulators listening',
  );
  const stop = () => {
    // Writes the state still pending, synchronously, before the process goes.
    sandbox.dispose();
    server.close(() => void claim.release().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof StartupError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
