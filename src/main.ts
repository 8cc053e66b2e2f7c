import './production';
import 'reflect-metadata';
import { createApp } from './app/create-app';
import { ConfigError, loadConfig } from './config';
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
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await app.dispose();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
