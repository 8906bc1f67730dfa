// Builds a keeper (chain side) on a test anvil with the stand-in router.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from '@necto/contracts';
import { createKeeperCore } from '../../src/services/keeper.js';
import type { RouterPort } from '../../src/chain/route-job.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import type { LogStore } from '../../src/domain/types.js';

export function tempDir(prefix = 'necto-keeper-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testKeeper(opts: { rpcUrl: string; deployment: Deployment; dataDir: string; router: RouterPort; logStore: LogStore; env?: Record<string, string> }) {
  const config = loadConfig(
    {
      RPC_URL: opts.rpcUrl,
      DATA_DIR: opts.dataDir,
      POLL_INTERVAL_MS: '100',
      REROUTE_INTERVAL_MS: '200',
      TX_RETRIES: '40',
      TX_RECEIPT_TIMEOUT_MS: '5000',
      SUBGRAPH_URL: 'http://127.0.0.1:9/subgraphs/name/necto',
      ...opts.env,
    },
    { deployment: opts.deployment },
  );
  const metrics = createMetrics();
  const logger = process.env.KEEPER_TEST_LOGS ? createLogger('debug') : silentLogger;
  const core = createKeeperCore({ config, router: opts.router, logStore: opts.logStore, logger, metrics });
  return { ...core, config, metrics };
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
