// The agent's protocol latency on a local chain (anvil, 1 s blocks) and podman with the demo image present:
//   provider.submit_to_running_p50_ms   submitJob sent → the container running and JobStarted mined
//   provider.cancel_to_stopped_p50_ms   JobCancelled mined → the container stopped
// The route is committed by a keeper stand-in right after submitJob is mined (the keeper's own routing time is the
// keeper benchmark's), so the figure is the chain's blocks plus the agent's overhead. The container's own start, the
// baseline the goal is stated against (≤ 3 blocks over it), is measured on the same engine. Prints `name: value`,
// with the way there hop by hop (`provider.hop.<hop>_p50_ms`: the p50 time from submitJob sent to that hop):
//   submit_mined, commit_sent, commit_mined   the buyer's receipt; the keeper stand-in sending, and its receipt
//   route_seen … start_mined                  the agent's hops (daemon.ts JobHop), from its own clock
//   running_seen                              this script sees the container running and JobStarted mined
//
//   pnpm bench:provider [runs]
import { createLogger } from '@necto/keeper/logger';
import { demoCommand, DEMO_IMAGE } from './build-demo-image.mjs';
import { startAgent } from '../src/daemon/agent.js';
import { LABELS, type JobHop } from '../src/daemon/daemon.js';
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
/** Per job: hop → epoch ms. */
const hops = new Map<string, Map<string, number>>();
const at = (jobId: bigint | string, hop: string, ms = performance.timeOrigin + performance.now()) => {
  const m = hops.get(jobId.toString()) ?? new Map<string, number>();
  if (!m.has(hop)) m.set(hop, ms);
  hops.set(jobId.toString(), m);
};
const agent = await startAgent(cfg, { logger: createLogger('silent'), onHop: ({ jobId, hop, atMs }) => at(jobId, hop, atMs) });
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
  const submittedAt = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const t0Epoch = performance.timeOrigin + t0;
    const jobId = await submitRoutedJob(world, provider, { image: DEMO_IMAGE, command: demoCommand(600) }, { onStep: (step, id) => at(id, step) });
    const labels = { [LABELS.job]: jobId.toString() };
    await waitFor(`job ${jobId} running`, async () => {
      const [container] = await runtime.list(labels);
      return container?.state === 'running' && (await chain(world).started(jobId)).length === 1;
    }, 60_000, 20);
    submitToRunning.push(performance.now() - t0);
    at(jobId, 'running_seen');
    submittedAt.set(jobId.toString(), t0Epoch);

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
  const order: Array<JobHop | 'submit_mined' | 'commit_sent' | 'commit_mined' | 'running_seen'> = [
    'submit_mined', 'commit_sent', 'commit_mined', 'route_seen', 'document_fetched', 'image_ready', 'container_running', 'start_sent', 'start_mined', 'running_seen',
  ];
  // Collected now: the agent's own receipt of startJob may come after this script saw JobStarted.
  const sinceSubmit = new Map<string, number[]>();
  for (const [jobId, t0Epoch] of submittedAt) {
    for (const [hop, ms] of hops.get(jobId) ?? []) sinceSubmit.set(hop, [...(sinceSubmit.get(hop) ?? []), ms - t0Epoch]);
  }
  for (const hop of order) {
    const values = sinceSubmit.get(hop);
    console.log(`provider.hop.${hop}_p50_ms: ${values && values.length === runs ? p50(values).toFixed(0) : 'missing'}`);
  }
} finally {
  await agent.stop();
  await world.stop();
}
