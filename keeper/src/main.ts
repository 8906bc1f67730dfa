// The keeper process: config → log store → catalog → router → chain intake → HTTP API.
// `pnpm --filter @necto/keeper start`. Stops gracefully on SIGINT/SIGTERM: the HTTP server stops accepting,
// the intake finishes its tick (in-flight commits included) and the cursor is saved.
import { serve } from '@hono/node-server';
import { createApp } from './api/app.js';
import { createKeeperCore } from './services/keeper.js';
import { ConfigError, loadConfig, redactConfig, redactUrl, type Config } from './config.js';
import { createLogger, errorSummary } from './logger.js';
import { createMetrics } from './metrics.js';
import { catalogSourceOverrides, createCatalog, createLogStore, createRouter } from './routing/index.js';

const SHUTDOWN_GRACE_MS = 30_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`keeper: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, { service: 'keeper' });
  const metrics = createMetrics();
  logger.info('configuration', { config: redactConfig(config) });

  const logStore = createLogStore(config.logStore);
  // The catalog reads on-chain providers' heartbeat liveness from the core's provider services (made below).
  let core: ReturnType<typeof createKeeperCore> | null = null;
  const catalog = createCatalog({
    liveness: (provider) => core?.services.providers.liveness.get(provider) ?? { online: false, lastSeen: null },
    subgraphUrl: config.subgraphUrl,
    live: config.catalog.live,
    ttlMs: config.catalog.ttlMs,
    timeoutMs: config.catalog.timeoutMs,
    launchers: config.catalog.launchers,
    ...(config.catalog.maxAgeSec !== undefined ? { maxAgeSec: config.catalog.maxAgeSec } : {}),
    sources: catalogSourceOverrides(config.catalog),
  });
  const router = createRouter({
    catalog,
    model: config.model.kind === 'gemini' ? { gemini: { apiKey: config.model.apiKey, model: config.model.name } } : 'local',
    logStore,
  });
  core = createKeeperCore({ config, router, logStore, logger, metrics });
  const app = createApp({
    settings: config.http,
    logger,
    metrics,
    quote: (req) => router.quote(req),
    ...core.services,
  });

  const server = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, (info) => {
    const url = `http://${config.http.host}:${info.port}`;
    logger.info('listening', { url });
    process.stdout.write(
      `necto keeper listening on ${url}\n` +
        `  chain ${config.chain.chainId} via ${redactUrl(config.chain.rpcUrl)}, ` +
        `JobMarket ${config.chain.deployment.contracts.JobMarket}, keeper ${config.keeper.address}\n` +
        `  model ${config.model.kind === 'gemini' ? `gemini (${config.model.name})` : 'local (offline)'}, logs ${config.logStore.kind}, data ${config.dataDir}\n`,
    );
  });
  core.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const forced = setTimeout(() => {
      logger.error('shutdown took too long; exiting', { graceMs: SHUTDOWN_GRACE_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    server.close();
    // Open SSE streams would hold close() forever.
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    try {
      await core.stop();
      logger.info('stopped', { cursor: core.follower.status().cursorBlock });
      process.exit(0);
    } catch (err) {
      logger.error('shutdown failed', { err: errorSummary(err) });
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`keeper: fatal: ${errorSummary(err)}\n`);
  process.exit(1);
});
