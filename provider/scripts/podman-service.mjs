#!/usr/bin/env node
// Podman's Docker-compatible API service on a unix socket, for the tests, the local stack and the benchmark.
// This machine's podman needs `--runtime runc` (crun fails on hybrid cgroups); that is an option here, not a
// constant in the agent: real providers point the agent at stock Docker's or Podman's own socket.
//
//   node provider/scripts/podman-service.mjs <dir>     serves unix://<dir>/podman.sock until interrupted
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startProcess, waitFor } from '../../tools/lib.mjs';

/** Thrown when podman (or runc) is not installed and cannot be installed from here. */
export class PodmanMissingError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PodmanMissingError';
  }
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const hasPackage = (name) =>
  spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed') === true;

/**
 * Makes sure the Debian packages are installed: installs the missing ones with apt when running as root,
 * else throws PodmanMissingError naming the command to run.
 */
export function ensureDebianPackages(packages, { quiet = true } = {}) {
  const missing = packages.filter((p) => !hasPackage(p) && !(p !== 'busybox-static' && has(p)));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new PodmanMissingError(
      `missing ${missing.join(', ')}: install with \`sudo apt-get install -y ${missing.join(' ')}\` (Debian/Ubuntu), then run again`,
    );
  }
  const stdio = quiet ? 'ignore' : 'inherit';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio, env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio, env });
    r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio, env });
  }
  if (r.status !== 0) throw new PodmanMissingError(`apt-get install ${missing.join(' ')} failed (exit ${r.status})`);
}

/** Installs podman and runc when missing (as root), else a clear error. */
export function ensurePodman(opts) {
  ensureDebianPackages(['podman', 'runc'], opts);
}

/**
 * Podman's global options: OCI runtime and, for an isolated image/container store (tests), its directories.
 * `storage` = { root, runroot, driver? }.
 */
export function podmanGlobalArgs({ ociRuntime = 'runc', storage } = {}) {
  const args = [];
  if (ociRuntime) args.push('--runtime', ociRuntime);
  if (storage) {
    args.push('--root', storage.root, '--runroot', storage.runroot);
    if (storage.driver) args.push('--storage-driver', storage.driver);
  }
  return args;
}

/** Resolves when GET /_ping on the unix socket answers OK. */
export function ping(socket, timeoutMs = 2000) {
  return new Promise((resolvePing) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolvePing(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePing(false));
    req.end();
  });
}

/**
 * Starts `podman [global args] system service --time 0 unix://<dir>/podman.sock` and waits for /_ping.
 * Returns { socket, dockerHost, pid, podmanArgs, stop() }; stop() ends the service by its process id.
 * Containers it started keep running after stop() (conmon supervises them), as with a restarted daemon.
 */
export async function startPodmanService({ dir, ociRuntime = 'runc', storage, quiet = true, timeoutMs = 30_000 }) {
  ensurePodman({ quiet });
  const absDir = resolve(dir);
  mkdirSync(absDir, { recursive: true });
  const socket = join(absDir, 'podman.sock');
  const podmanArgs = podmanGlobalArgs({ ociRuntime, storage });
  const proc = startProcess('podman', 'podman', [...podmanArgs, 'system', 'service', '--time', '0', `unix://${socket}`], {
    quiet,
  });
  try {
    await waitFor(`podman service on ${socket}`, () => ping(socket), { timeoutMs, intervalMs: 100, proc });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    socket,
    dockerHost: `unix://${socket}`,
    pid: proc.pid,
    podmanArgs,
    stop: (graceMs) => proc.stop(graceMs),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: podman-service.mjs <dir>');
    process.exit(2);
  }
  const service = await startPodmanService({ dir, quiet: false });
  console.log(`podman service: DOCKER_HOST=${service.dockerHost} (pid ${service.pid})`);
  const shutdown = () => service.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
