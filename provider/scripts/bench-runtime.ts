// The container runtime's own costs, the baseline the agent's protocol overhead is measured against: create+start
// to running, and stop (cancel, 1 s grace, a workload that ignores SIGTERM) to exited. Real podman through its
// Docker API socket, an isolated store, the offline demo image. Prints `name: value` lines.
//
//   npx tsx provider/scripts/bench-runtime.ts [runs]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerRuntime } from '../src/runtime/index.js';
import { buildDemoImage, DEMO_IMAGE } from './build-demo-image.mjs';
import { startPodmanService } from './podman-service.mjs';

const runs = Number(process.argv[2] ?? 10);
if (!Number.isInteger(runs) || runs < 1) throw new Error('runs must be a positive integer');

const p50 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};

const dir = await mkdtemp(join(tmpdir(), 'necto-bench-runtime-'));
const service = await startPodmanService({
  dir: join(dir, 'sock'),
  storage: { root: join(dir, 'storage'), runroot: join(dir, 'run'), driver: 'vfs' },
});
try {
  buildDemoImage({ podmanArgs: service.podmanArgs });
  const runtime = new DockerRuntime({
    socket: service.dockerHost,
    ulimits: [
      { name: 'nofile', soft: 1024, hard: 1024 },
      { name: 'nproc', soft: 4096, hard: 4096 },
    ],
  });
  const startMs: number[] = [];
  const stopMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const handle = await runtime.start({
      name: `necto-bench-${process.pid}-${i}`,
      image: DEMO_IMAGE,
      command: ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"],
      labels: { 'necto.bench': String(process.pid) },
      outputsDir: join(dir, `out-${i}`),
      outputsPath: '/outputs',
      limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 1_000_000_000, pids: 64 },
      network: 'none',
      gpus: 0,
    });
    while ((await runtime.inspect(handle.id)).state !== 'running') await new Promise((r) => setTimeout(r, 10));
    startMs.push(performance.now() - t0);
    const t1 = performance.now();
    await runtime.stop(handle.id, 1);
    await runtime.wait(handle.id);
    stopMs.push(performance.now() - t1);
    await runtime.remove(handle.id);
  }
  console.log(`runtime.runs: ${runs}`);
  console.log(`runtime.start_to_running_p50_ms: ${p50(startMs).toFixed(0)}`);
  console.log(`runtime.cancel_to_stopped_p50_ms: ${p50(stopMs).toFixed(0)}`);
} finally {
  await service.stop();
  await rm(dir, { recursive: true, force: true });
}
