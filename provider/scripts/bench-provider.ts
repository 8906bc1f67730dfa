// The agent's protocol latency on a local chain (anvil, 1 s blocks) and podman with the demo image present:
//   provider.submit_to_running_p50_ms   submitJob sent → the container running and JobStarted mined
//   provider.cancel_to_stopped_p50_ms   JobCancelled mined → the container stopped
// The route is committed by a keeper stand-in right after submitJob is mined (the keeper's own routing time is the
// keeper benchmark's), so the figure is the chain's blocks plus the agent's overhead. The container's own start, the
// baseline the goal is stated against (≤ 3 blocks over it), is measured on the same engine. Prints `name: value`.
//
//   pnpm bench:provider [runs]
import { createLogger } from '@necto/keeper/logger';
import { demoCommand, DEMO_IMAGE } from './build-demo-image.mjs';
import { startAgent } from '../src/daemon/agent.js';
import { LABELS } from '../src/daemon/daemon.js';
import { ANVIL_KEYS, chain, providerConfig, startWorld, submitRoutedJob, syncProvider, waitFor } from '../test/daemon/harness.js';

const runs = Number(process.argv[2] ?? 5);
if (!Number.isInteger(runs) || runs < 1) throw new Error('runs must be a positive integer');
const BLOCK_MS = 1000;

const p50 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};

const world = await startWorld();
const { cfg } = await providerConfig(world, ANVIL_KEYS[2], { chain: { rpcUrl: world.anvil.url, chainId: world.deployment.chainId, confirmations: 0, pollIntervalMs: 100 } });
const provider = { address: cfg.address, offerId: await syncProvider(cfg) };
const agent = await startAgent(cfg, { logger: createLogger('silent') });
try {
  const runtime = world.podman.runtime();
  // The engine's own create+start → running, on this engine.
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const handle = await runtime.start({
      name: `necto-bench-baseline-${process.pid}-${i}`, image: DEMO_IMAGE, command: ['sh', '-c', 'sleep 30'], labels: { 'necto.bench': String(process.pid) },
      outputsDir: `${world.dir}/baseline-${i}`, outputsPath: '/outputs', limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 1e9, pids: 64 }, network: 'none', gpus: 0,
    });
    while ((await runtime.inspect(handle.id)).state !== 'running') await new Promise((r) => setTimeout(r, 10));
    baseline.push(performance.now() - t0);
    await runtime.stop(handle.id, 0);
    await runtime.remove(handle.id);
  }

  const submitToRunning: number[] = [];
  const cancelToStopped: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const jobId = await submitRoutedJob(world, provider, { image: DEMO_IMAGE, command: demoCommand(600) });
    const labels = { [LABELS.job]: jobId.toString() };
    await waitFor(`job ${jobId} running`, async () => {
      const [container] = await runtime.list(labels);
      return container?.state === 'running' && (await chain(world).started(jobId)).length === 1;
    }, 60_000, 20);
    submitToRunning.push(performance.now() - t0);

    const [container] = await runtime.list(labels);
    await chain(world).cancel(jobId);
    const t1 = performance.now();
    await waitFor(`job ${jobId} stopped`, async () => (await runtime.inspect(container!.id)).state !== 'running', 30_000, 20);
    cancelToStopped.push(performance.now() - t1);
  }
  const running = p50(submitToRunning);
  const engine = p50(baseline);
  console.log(`provider.runs: ${runs}`);
  console.log(`provider.block_ms: ${BLOCK_MS}`);
  console.log(`provider.runtime_start_to_running_p50_ms: ${engine.toFixed(0)}`);
  console.log(`provider.submit_to_running_p50_ms: ${running.toFixed(0)}`);
  console.log(`provider.overhead_blocks_p50: ${((running - engine) / BLOCK_MS).toFixed(2)}`);
  console.log(`provider.cancel_to_stopped_p50_ms: ${p50(cancelToStopped).toFixed(0)}`);
} finally {
  await agent.stop();
  await world.stop();
}
