// necto-provider: `sync` applies the config to ProviderRegistry, `run` is the agent daemon.
import { parseArgs } from 'node:util';
import { createLogger } from '@necto/keeper/logger';
import { createChainClients } from '../chain/clients.js';
import { describeAction, SyncError, syncRegistry } from '../chain/registry.js';
import { detectHardware, hardwareMismatches } from '../config/hardware.js';
import { ConfigError, loadConfigFile } from '../config/load.js';
import { startAgent } from '../daemon/agent.js';

const USAGE = `usage: necto-provider <sync|run> [--config FILE] [--dry-run]

  sync   register or update the provider and its offers on ProviderRegistry (idempotent)
  run    follow the jobs routed to this wallet and run them

  --config FILE   JSON or YAML config (default: $NECTO_PROVIDER_CONFIG or ./necto-provider.yaml)
  --dry-run       sync: print the plan, send nothing
`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0];
  if (values.help || !command || !['sync', 'run'].includes(command)) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const path = values.config ?? process.env.NECTO_PROVIDER_CONFIG ?? 'necto-provider.yaml';
  const cfg = loadConfigFile(path);

  if (command === 'sync') {
    const hardware = detectHardware();
    if (hardware.source === 'nvidia-smi') {
      process.stdout.write(`hardware: ${hardware.gpus.map((g) => `${g.name} (${g.memoryMiB} MiB)`).join(', ') || 'no GPU'} (nvidia-smi)\n`);
    } else {
      process.stdout.write(`hardware: declared in the config (${hardware.reason})\n`);
    }
    for (const problem of hardwareMismatches(hardware, cfg.offers)) process.stdout.write(`warning: ${problem}\n`);
    const clients = createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey });
    const result = await syncRegistry(clients, cfg, {
      dryRun: values['dry-run'] ?? false,
      onAction: (a) => process.stdout.write(`→ ${describeAction(a)}\n`),
    });
    if (values['dry-run']) for (const a of result.actions) process.stdout.write(`would ${describeAction(a)}\n`);
    process.stdout.write(result.actions.length === 0 ? `${cfg.address}: ProviderRegistry already matches the config; no transaction sent\n` : `${cfg.address}: ${result.transactions} transaction(s) sent\n`);
    return 0;
  }

  const logger = createLogger((process.env.LOG_LEVEL as 'info' | undefined) ?? 'info', { service: 'provider', provider: cfg.address });
  const agent = await startAgent(cfg, { logger });
  process.stdout.write(`necto provider ${cfg.address} listening on http://${cfg.http.host}:${agent.port}\n`);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info('shutting down', { signal });
      void agent.stop().then(resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError || err instanceof SyncError) {
      process.stderr.write(`necto-provider: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`necto-provider: ${(err as Error).message ?? String(err)}\n`);
    process.exit(1);
  },
);
