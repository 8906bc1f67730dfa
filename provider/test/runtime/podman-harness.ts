/**
 * A real container runtime for tests: podman's Docker-compatible service on a socket in a temp dir, with its
 * own image/container store (so tests never touch a provider's or the stack's containers) and the offline demo
 * image imported into it. Throws (the suite fails, it does not skip) when podman cannot be found or installed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildDemoImage, DEMO_IMAGE } from '../../scripts/build-demo-image.mjs';
import { startPodmanService, type PodmanService } from '../../scripts/podman-service.mjs';
import { DockerRuntime, type DockerRuntimeOptions } from '../../src/runtime/index.js';

/** This machine's podman refuses the engine's default ulimits (no CAP_SYS_RESOURCE); real hosts may not need them. */
export const TEST_ULIMITS = [
  { name: 'nofile', soft: 1024, hard: 1024 },
  { name: 'nproc', soft: 4096, hard: 4096 },
];

export interface TestRuntime {
  service: PodmanService;
  dir: string;
  image: string;
  /** A runtime on the service's socket (each call a new client, as a restarted agent would have). */
  runtime(options?: DockerRuntimeOptions): DockerRuntime;
  stop(): Promise<void>;
}

export async function startTestRuntime(): Promise<TestRuntime> {
  const dir = await mkdtemp(join(tmpdir(), 'necto-podman-'));
  // vfs: no overlay mounts to leak from a temp store; the demo image is 2 MB.
  const storage = { root: join(dir, 'storage'), runroot: join(dir, 'run'), driver: 'vfs' };
  const service = await startPodmanService({ dir: join(dir, 'sock'), storage });
  try {
    buildDemoImage({ podmanArgs: service.podmanArgs });
  } catch (err) {
    await service.stop();
    throw err;
  }
  return {
    service,
    dir,
    image: DEMO_IMAGE,
    runtime: (options = {}) => new DockerRuntime({ socket: service.dockerHost, ulimits: TEST_ULIMITS, ...options }),
    async stop() {
      // Containers outlive the service (conmon keeps them); remove them before the store goes.
      spawnSync('podman', [...service.podmanArgs, 'rm', '--all', '--force', '--time', '0'], { stdio: 'ignore' });
      await service.stop();
      // The store is this test's alone and vfs leaves no mounts: deleting the directory is the whole cleanup
      // (not `podman system reset`, which also drops the host's podman networks).
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A unique container name per test. */
export function uniqueName(prefix: string): string {
  return `necto-test-${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
