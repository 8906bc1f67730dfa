// The local stack's execution side: podman's Docker-compatible service (installed with apt when missing and run as
// root) with the offline demo image `necto/demo:1`, shared by the provider agents and the Akash stand-ins, and one
// `necto-provider run` per demo provider, each with a config generated under the stack's state dir. Containers live
// in a store of their own, removed on stop.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoImage } from '../provider/scripts/build-demo-image.mjs';
import { startPodmanService } from '../provider/scripts/podman-service.mjs';
import { DEMO_PROVIDERS, priceUnits } from './demo-providers.mjs';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_ACCOUNTS, freePort, root, startProcess, waitFor } from './lib.mjs';

/** Podman here refuses the engine's default ulimits (no CAP_SYS_RESOURCE): explicit ones, as config. */
const ULIMITS = [
  { name: 'nofile', soft: 1024, hard: 1024 },
  { name: 'nproc', soft: 4096, hard: 4096 },
];
const NVIDIA_NODES = ['/dev/nvidia0', '/dev/nvidiactl', '/dev/nvidia-uvm'];

/**
 * The stack's one container engine: podman's Docker-compatible service on an image and container store of its own,
 * with the demo image in it. The provider agents and the Akash stand-ins both run their containers on it.
 * Returns { dockerHost, podmanArgs, image, imageBuilt, stop() }; stop() removes every container it ran, then the
 * store. Throws PodmanMissingError (a message naming the install command) when podman cannot be had.
 */
export async function startContainerEngine() {
  // vfs: a 2 MB image, and nothing mounted that could outlive the stack. Under the temp dir: podman refuses a run
  // root longer than 50 characters.
  const engineDir = mkdtempSync(join(tmpdir(), 'necto-stack-'));
  const storage = { root: join(engineDir, 'storage'), runroot: join(engineDir, 'run'), driver: 'vfs' };
  let service;
  try {
    service = await startPodmanService({ dir: join(engineDir, 'sock'), storage });
  } catch (err) {
    rmSync(engineDir, { recursive: true, force: true });
    throw err;
  }
  const stop = async () => {
    // The agents leave containers to be adopted on restart; the stack's end is the end of its jobs.
    spawnSync('podman', [...service.podmanArgs, 'rm', '--all', '--force', '--time', '0'], { stdio: 'ignore' });
    await service.stop();
    rmSync(engineDir, { recursive: true, force: true });
  };
  try {
    const image = buildDemoImage({ podmanArgs: service.podmanArgs });
    return { dockerHost: service.dockerHost, podmanArgs: service.podmanArgs, image: image.image, imageBuilt: image.built, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Starts one provider agent per demo provider on `engine` (startContainerEngine), side by side; returns
 * { agents: [{ name, address, url, proc }], dir, stop() } (stop() ends the agents; the engine is the caller's).
 */
export async function startProviderAgents({ engine, stateDir, rpcUrl, chainId, keeperUrl, corsOrigins, logFile, log = () => {} }) {
  const dir = join(stateDir, 'providers');
  mkdirSync(dir, { recursive: true });
  const started = await Promise.allSettled(DEMO_PROVIDERS.map(async (p) => {
    const agent = await startAgentProcess({
      dir, name: p.name, region: p.region, privateKey: ANVIL_ACCOUNTS[p.account].privateKey, offers: p.offers,
      dockerHost: engine.dockerHost, rpcUrl, chainId, keeperUrl, corsOrigins, logFile,
    });
    log(`• agent         ${p.name.padEnd(16)} ${agent.url} (${agent.address}, pid ${agent.proc.pid})`);
    return agent;
  }));
  const agents = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = () => Promise.all(agents.map((a) => a.proc.stop(8000))).then(() => undefined);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { agents, dir, stop };
}

/**
 * One `necto-provider run` for `privateKey` on the engine at `dockerHost`, with its config written to
 * `<dir>/<slug>.json` (offers as the registry lists them, USDC prices). Resolves once its endpoint answers;
 * returns { name, address, url, proc } (proc.stop() ends it; its containers stay, as after any agent restart).
 */
export async function startAgentProcess({ dir, name, region, privateKey, offers = [], dockerHost, rpcUrl, chainId, keeperUrl, corsOrigins, logFile }) {
  const address = privateKeyToAccount(privateKey).address;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  // Without GPUs (this stack on a laptop or CI) a device node every host has stands in for the GPU, so GPU jobs
  // run; the agent still checks the engine kept the request.
  const gpuPaths = NVIDIA_NODES.every((p) => existsSync(p)) ? NVIDIA_NODES : ['/dev/null'];
  const config = {
    wallet: { keyEnv: 'PROVIDER_PRIVATE_KEY' },
    chain: { rpcUrl, chainId, confirmations: 0, pollIntervalMs: 250 },
    keeperUrl,
    profile: { name, region },
    offers: offers.map(({ price, ...o }) => ({ ...o, pricePerGpuHour: String(priceUnits(price)) })),
    runtime: { socket: dockerHost, ulimits: ULIMITS, stopGraceSeconds: 2, gpu: { mode: 'devices', paths: gpuPaths } },
    // The demo hosts sell the offers' machines on whatever runs the stack: the engine's memory and CPU limits are
    // ceilings, not reservations, so a job asking for 8 vCPU and 64 GB (the submit form's defaults) runs here too.
    policy: { denyImages: ['*miner*'], maxGpus: 8, maxMemory: '1024g', maxVcpu: 128 },
    stateDir: join(dir, slug),
    http: { host: '127.0.0.1', port, publicUrl: url, corsOrigins },
    heartbeatIntervalMs: 5_000,
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${slug}.json`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const proc = startProcess(`provider:${slug}`, process.execPath, [join(root, 'provider/bin/necto-provider.mjs'), 'run', '--config', file], {
    cwd: join(root, 'provider'),
    quiet: true,
    logFile,
    env: { PROVIDER_PRIVATE_KEY: privateKey, LOG_LEVEL: 'info' },
  });
  try {
    await waitFor(`provider agent ${name}`, async () => (await fetch(`${url}/health`).catch(() => null)) !== null, { proc, timeoutMs: 60_000 });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { name, address, url, proc };
}
