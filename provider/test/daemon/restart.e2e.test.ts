// Restart safety: the real CLI process is killed with SIGKILL while its job runs; the next process adopts the
// container by its labels, and the job is started once and completed once. A crash between creating the container
// and recording it is survived the same way (the container is found by its labels, not created again).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDeployment } from '@necto/contracts';
import { createLogger } from '@necto/keeper/logger';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand, DEMO_IMAGE } from '../../scripts/build-demo-image.mjs';
import { createChainClients } from '../../src/chain/clients.js';
import { createContentStore } from '../../src/content/store.js';
import { LABELS, ProviderDaemon } from '../../src/daemon/daemon.js';
import { readResultManifest } from '../../src/manifest/build.js';
import type { ContainerRuntime, RunSpec } from '../../src/runtime/types.js';
import { rpc } from '../../../keeper/test/chain/anvil.js';
import { ANVIL_KEYS, chain, providerConfig, startWorld, submitRoutedJob, syncProvider, waitFor, type World } from './harness.js';

const providerDir = join(import.meta.dirname, '../..');

interface AgentProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function spawnAgent(configFile: string, key: string): AgentProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--config', configFile], {
    cwd: providerDir,
    env: { ...process.env, PROVIDER_PRIVATE_KEY: key, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

describe('restart safety', () => {
  let world: World;
  const running: AgentProcess[] = [];

  beforeAll(async () => {
    world = await startWorld();
  }, 300_000);

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await world?.stop();
  }, 60_000);

  it('after kill -9 the next process adopts the running container; the job starts once and completes once', async () => {
    // The CLI reads addresses from @necto/contracts: the test deployment must be that one.
    expect(getDeployment(31337).contracts).toEqual(world.deployment.contracts);
    const key = ANVIL_KEYS[3];
    const { cfg, raw } = await providerConfig(world, key);
    const offerId = await syncProvider(cfg);
    const configFile = join(world.dir, 'provider-restart.json');
    writeFileSync(configFile, JSON.stringify(raw));

    const first = spawnAgent(configFile, key);
    running.push(first);
    await waitFor('the agent to listen', async () => first.output().includes('listening on'), 60_000);
    const jobId = await submitRoutedJob(world, { address: cfg.address, offerId }, { image: DEMO_IMAGE, command: demoCommand(8) });
    await waitFor('JobStarted', async () => (await chain(world).started(jobId))[0], 60_000);
    const runtime = world.podman.runtime();
    const [container] = await runtime.list({ [LABELS.job]: jobId.toString() });
    expect(container?.state).toBe('running');

    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    // The container outlives its agent.
    expect((await runtime.inspect(container!.id)).state).toBe('running');

    const second = spawnAgent(configFile, key);
    running.push(second);
    await waitFor('adoption', async () => second.output().includes('adopted container'), 60_000);
    expect(await runtime.list({ [LABELS.job]: jobId.toString() })).toEqual([expect.objectContaining({ id: container!.id })]);

    const completed = await waitFor('JobCompleted', async () => (await chain(world).completed(jobId))[0], 60_000);
    expect(await chain(world).started(jobId)).toHaveLength(1);
    const content = createContentStore({ kind: 'keeper', url: world.keeperUrl }, { account: privateKeyToAccount(key), chainId: 31337, jobMarket: cfg.deployment.contracts.JobMarket });
    const { manifest } = await readResultManifest(content, completed.args.resultHash!);
    expect(manifest.reason).toBe('ok');
    expect(manifest.log.truncated).toBe(false);

    // Stopped cleanly and started again: nothing is sent twice.
    second.child.kill('SIGTERM');
    await second.exited;
    const third = spawnAgent(configFile, key);
    running.push(third);
    await waitFor('the third agent to listen', async () => third.output().includes('listening on'), 60_000);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await chain(world).started(jobId)).toHaveLength(1);
    expect(await chain(world).completed(jobId)).toHaveLength(1);
    third.child.kill('SIGTERM');
    await third.exited;
  }, 240_000);

  it('a crash between creating the container and recording it does not create a second one', async () => {
    const key = ANVIL_KEYS[2];
    const { cfg } = await providerConfig(world, key);
    const offerId = await syncProvider(cfg);
    const clients = createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey, pollingIntervalMs: 100 });
    const { maxLogBytes: _log, stopGraceSeconds: _grace, ...runtimeOptions } = cfg.runtime;
    const real = world.podman.runtime(runtimeOptions);
    const starts: string[] = [];
    let crashOnce = true;
    // The engine starts the container, then the agent "dies" before it hears back.
    const runtime: ContainerRuntime = Object.assign(Object.create(real) as ContainerRuntime, {
      async start(spec: RunSpec) {
        const handle = await real.start(spec);
        starts.push(handle.id);
        if (crashOnce) {
          crashOnce = false;
          throw new Error('agent crashed after the engine started the container');
        }
        return handle;
      },
    });
    const content = createContentStore({ kind: 'keeper', url: world.keeperUrl }, { account: clients.account as never, chainId: 31337, jobMarket: cfg.deployment.contracts.JobMarket });
    const daemon = new ProviderDaemon({ config: cfg, clients, runtime, content, logger: createLogger('silent') });
    await daemon.start();
    try {
      const jobId = await submitRoutedJob(world, { address: cfg.address, offerId }, { image: DEMO_IMAGE, command: demoCommand(1) });
      await waitFor('JobCompleted', async () => (await chain(world).completed(jobId))[0], 60_000);
      expect(starts).toHaveLength(1);
      expect(await chain(world).started(jobId)).toHaveLength(1);
    } finally {
      await daemon.stop();
    }
  }, 120_000);

  it('a reorg that removes a started job stops its container and sends nothing; the cursor follows the chain back', async () => {
    const key = ANVIL_KEYS[2];
    const { cfg } = await providerConfig(world, key);
    const offerId = await syncProvider(cfg);
    const clients = createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey, pollingIntervalMs: 100 });
    const { maxLogBytes: _log, stopGraceSeconds: _grace, ...runtimeOptions } = cfg.runtime;
    const runtime = world.podman.runtime(runtimeOptions);
    const content = createContentStore({ kind: 'keeper', url: world.keeperUrl }, { account: clients.account as never, chainId: 31337, jobMarket: cfg.deployment.contracts.JobMarket });
    const daemon = new ProviderDaemon({ config: cfg, clients, runtime, content, logger: createLogger('silent') });
    await daemon.start();
    try {
      const snapshot = await rpc<string>(world.anvil.url, 'evm_snapshot');
      const jobId = await submitRoutedJob(world, { address: cfg.address, offerId }, { image: DEMO_IMAGE, command: demoCommand(120) });
      await waitFor('JobStarted', async () => (await chain(world).started(jobId))[0], 60_000);
      const record = await waitFor('the running record', async () => daemon.state.jobs().find((r) => r.jobId === jobId.toString() && r.phase === 'running'));
      expect((await runtime.inspect(record.containerId!)).state).toBe('running');

      await rpc(world.anvil.url, 'evm_revert', [snapshot]);
      expect((await chain(world).getJob(jobId)).status).toBe(0);
      await waitFor('the container to stop', async () => (await runtime.inspect(record.containerId!).catch(() => ({ state: 'removed' }))).state !== 'running', 15_000);
      const closed = await waitFor('the record to close', async () => daemon.state.jobs().find((r) => r.jobId === jobId.toString() && r.phase === 'done'), 30_000);
      expect(closed.completeTx).toBeUndefined();
      expect(await chain(world).completed(jobId)).toEqual([]);
      const head = await chain(world).publicClient.getBlockNumber();
      await waitFor('the cursor to follow the chain', async () => (daemon.state.cursor ?? 0n) <= head + 2n, 10_000).catch((err) => {
        throw new Error(`${(err as Error).message}: cursor ${daemon.state.cursor}, head ${head}, ${JSON.stringify(daemon.status().lastError)}`);
      });
    } finally {
      await daemon.stop();
    }
  }, 120_000);
});

