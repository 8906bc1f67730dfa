// The whole agent put together from a config: chain clients, container runtime, content store, the daemon loop,
// heartbeats and the HTTP endpoint. `necto-provider run` calls startAgent; tests do too.
import { serve, type ServerType } from '@hono/node-server';
import { createLogger, type Logger } from '@necto/keeper/logger';
import type { LocalAccount } from 'viem';
import { createChainClients } from '../chain/clients.js';
import type { ProviderConfig } from '../config/load.js';
import { createContentStore } from '../content/store.js';
import { createAgentApp } from '../http/app.js';
import { DockerRuntime } from '../runtime/docker.js';
import { ProviderDaemon, type DaemonDeps } from './daemon.js';
import { createHeartbeat } from './heartbeat.js';

export interface Agent {
  daemon: ProviderDaemon;
  /** The port the HTTP endpoint listens on. */
  port: number;
  stop(): Promise<void>;
}

export async function startAgent(cfg: ProviderConfig, opts: { logger?: Logger; onHop?: DaemonDeps['onHop'] } = {}): Promise<Agent> {
  const logger = opts.logger ?? createLogger('info', { service: 'provider', provider: cfg.address });
  const clients = createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey, pollingIntervalMs: Math.min(cfg.chain.pollIntervalMs, 1_000) });
  const { maxLogBytes: _maxLog, stopGraceSeconds: _grace, ...runtimeOptions } = cfg.runtime;
  const runtime = new DockerRuntime(runtimeOptions);
  await runtime.ping();
  const { JobMarket } = cfg.deployment.contracts;
  const account = clients.account as LocalAccount;
  const content = createContentStore(cfg.content ?? { kind: 'keeper', url: cfg.keeperUrl }, { account, privateKey: cfg.privateKey, chainId: cfg.chain.chainId, jobMarket: JobMarket });
  const daemon = new ProviderDaemon({ config: cfg, clients, runtime, content, logger, ...(opts.onHop ? { onHop: opts.onHop } : {}) });

  const app = createAgentApp({
    address: cfg.address,
    chainId: cfg.chain.chainId,
    jobMarket: JobMarket,
    corsOrigins: cfg.http.corsOrigins,
    market: daemon.market,
    runtime,
    content,
    status: () => daemon.status(),
    recordOf: (jobId) => daemon.containerOf(jobId),
  });
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: cfg.http.port, hostname: cfg.http.host }, (info) => resolve({ server: s, port: info.port }));
    s.once('error', reject);
  });
  const heartbeat = createHeartbeat({
    keeperUrl: cfg.keeperUrl,
    account,
    chainId: cfg.chain.chainId,
    jobMarket: JobMarket,
    endpoint: cfg.http.publicUrl ?? `http://${cfg.http.host}:${port}`,
    intervalMs: cfg.heartbeatIntervalMs,
    running: () => daemon.runningCount(),
    logger,
  });

  await daemon.start();
  heartbeat.start();
  logger.info('provider agent running', { endpoint: `http://${cfg.http.host}:${port}`, runtime: runtime.socket, keeper: cfg.keeperUrl });
  return {
    daemon,
    port,
    async stop() {
      heartbeat.stop();
      await daemon.stop();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
