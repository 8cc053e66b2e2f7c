import './env-file';
import './production';
import 'reflect-metadata';
import { createApp } from './app/create-app';
import { loadConfig, StartupError } from './config';
import { createLogger } from './infra/logger';

/** Process entry: config, app, listen; drains and closes on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger });
  const sandboxed = Object.entries(app.config.providers)
    .filter(([, p]) => p.sandbox)
    .map(([id]) => id);
  logger.info(
    {
      url: `${app.url}/graphql`,
      sandboxProviders: sandboxed,
      database: config.databaseUrl ? 'mysql' : 'sqlite',
      cache: config.redisUrl ? 'redis' : 'memory',
    },
    'eSIM gateway listening',
  );
  if (app.generatedAdminKey) {
    // Printed once, on stdout, for the person starting the sandbox; only its hash is stored.
    const graphiql = app.config.graphiql ? `GraphiQL: ${app.url}/graphql\n\n` : '';
    process.stdout.write(
      `\nAdmin API key (generated for this start; set GATEWAY_BOOTSTRAP_ADMIN_KEY to choose one):\n  ${app.generatedAdminKey}\n\n${graphiql}`,
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    // A second Ctrl-C means "now": no more waiting for requests in flight.
    if (stopping) return process.exit(1);
    stopping = true;
    logger.info({ signal }, 'draining');
    // Requests get 5 s to finish (DRAIN_GRACE_MS); what still hangs after 9 s is cut short, and
    // the exit code says so. Orders in flight are safe either way: the reconciler resumes them.
    const force = setTimeout(() => {
      logger.error('shutdown did not finish within 9 s; exiting anyway');
      process.exit(1);
    }, 9_000).unref();
    try {
      await app.dispose();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  // An operator's mistake (configuration, a busy port, a DATA_DIR in use) is one line, not a stack.
  process.stderr.write(`${error instanceof StartupError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
