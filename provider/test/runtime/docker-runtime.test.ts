// The Docker-API runtime against a real engine (podman + runc through its socket): exits, OOM, duration stop,
// cancel, live logs, the sandbox as applied, adoption by label and pull failures.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyRun } from '../../src/manifest/index.js';
import {
  ContainerNotFoundError,
  DockerRuntime,
  GpuRequestIgnoredError,
  PullFailedError,
  RuntimeUnavailableError,
  type RunSpec,
} from '../../src/runtime/index.js';
import { startTestRuntime, uniqueName, type TestRuntime } from './podman-harness.js';

let env: TestRuntime;
let runtime: DockerRuntime;
let work: string;
const started: string[] = [];

beforeAll(async () => {
  env = await startTestRuntime();
  runtime = env.runtime();
  work = await mkdtemp(join(tmpdir(), 'necto-runtime-'));
});

afterAll(async () => {
  for (const id of started) await runtime?.remove(id).catch(() => undefined);
  await env?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const MARKET = '0x00000000000000000000000000000000000000aa';

async function spec(name: string, command: string[], overrides: Partial<RunSpec> = {}): Promise<RunSpec> {
  const outputsDir = join(work, name);
  await mkdir(outputsDir, { recursive: true });
  return {
    name: uniqueName(name),
    image: env.image,
    command,
    labels: { 'necto.job': '7', 'necto.round': '0', 'necto.market': MARKET, 'necto.chain': '31337' },
    outputsDir,
    outputsPath: '/outputs',
    limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 1_000_000_000, pids: 64 },
    network: 'none',
    gpus: 0,
    ...overrides,
  };
}

async function run(s: RunSpec) {
  const handle = await runtime.start(s);
  started.push(handle.id);
  return handle;
}

async function logText(id: string): Promise<string> {
  let text = '';
  for await (const chunk of runtime.logs(id, { follow: false })) text += Buffer.from(chunk).toString('utf8');
  return text;
}

describe('DockerRuntime on podman', () => {
  it('reports exit code 0 as ok and a non-zero exit as nonzero, with stdout and stderr in the log', async () => {
    const okRun = await run(await spec('ok', ['sh', '-c', 'echo to-stdout; echo to-stderr >&2']));
    const failRun = await run(await spec('fail', ['sh', '-c', 'echo failing; exit 3']));

    const okExit = await runtime.wait(okRun.id);
    expect(okExit.exitCode).toBe(0);
    expect(okExit.oomKilled).toBe(false);
    expect(classifyRun({ kind: 'exited', exit: okExit, agentStop: null }).reason).toBe('ok');
    expect(await logText(okRun.id)).toBe('to-stdout\nto-stderr\n');

    const failExit = await runtime.wait(failRun.id);
    expect(failExit.exitCode).toBe(3);
    expect(classifyRun({ kind: 'exited', exit: failExit, agentStop: null })).toEqual({ reason: 'nonzero', exitCode: 3 });

    const inspected = await runtime.inspect(failRun.id);
    expect(inspected.state).toBe('exited');
    expect(inspected.exit?.exitCode).toBe(3);
    expect(inspected.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(inspected.command).toEqual(['sh', '-c', 'echo failing; exit 3']);
    expect(inspected.startedAt).toBeGreaterThan(1_700_000_000);
    expect(inspected.exit!.finishedAt).toBeGreaterThanOrEqual(inspected.startedAt!);
  });

  it('kills a container that exceeds its memory limit and classifies it as oom', async () => {
    const handle = await run(
      await spec('oom', ['sh', '-c', 'a=xxxxxxxxxxxxxxxx; while true; do a="$a$a"; done'], {
        limits: { memoryBytes: 16 * 1024 * 1024, nanoCpus: 1_000_000_000, pids: 64 },
      }),
    );
    const exit = await runtime.wait(handle.id);
    expect(exit.exitCode).toBe(137);
    expect(classifyRun({ kind: 'exited', exit, agentStop: null }).reason).toBe('oom');
  });

  it('stops a run at its paid duration: the exit is classified timeout, not oom', async () => {
    const handle = await run(await spec('timeout', ['sh', '-c', 'echo working; sleep 60']));
    await new Promise((r) => setTimeout(r, 1000)); // the paid duration of this test job
    expect((await runtime.inspect(handle.id)).state).toBe('running');
    await runtime.stop(handle.id, 1);
    const exit = await runtime.wait(handle.id);
    expect(exit.exitCode).not.toBe(0);
    expect(classifyRun({ kind: 'exited', exit, agentStop: 'timeout' }).reason).toBe('timeout');
    expect((await runtime.inspect(handle.id)).state).toBe('exited');
  });

  it('cancels a running container within 2 seconds, even one that ignores SIGTERM', async () => {
    const handle = await run(await spec('cancel', ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"]));
    expect((await runtime.inspect(handle.id)).state).toBe('running');
    const t0 = performance.now();
    await runtime.stop(handle.id, 1);
    const exit = await runtime.wait(handle.id);
    const elapsedMs = performance.now() - t0;
    expect(elapsedMs).toBeLessThan(2000);
    expect(exit.exitCode).toBe(137);
    expect(classifyRun({ kind: 'exited', exit, agentStop: 'cancelled' }).reason).toBe('cancelled');
    // Stopping again is not an error (the agent may retry after a restart).
    await expect(runtime.stop(handle.id, 1)).resolves.toBeUndefined();
  });

  it('streams log lines while the container is still running', async () => {
    const handle = await run(await spec('follow', ['sh', '-c', 'for i in 1 2 3 4 5 6; do echo "line $i"; sleep 1; done']));
    const seen: Array<{ text: string; state: string }> = [];
    let buffered = '';
    for await (const chunk of runtime.logs(handle.id, { follow: true })) {
      buffered += Buffer.from(chunk).toString('utf8');
      while (buffered.includes('\n')) {
        const line = buffered.slice(0, buffered.indexOf('\n'));
        buffered = buffered.slice(buffered.indexOf('\n') + 1);
        seen.push({ text: line, state: (await runtime.inspect(handle.id)).state });
      }
      if (seen.length >= 2) break;
    }
    expect(seen.map((s) => s.text)).toEqual(['line 1', 'line 2']);
    expect(seen.every((s) => s.state === 'running')).toBe(true);
    await runtime.stop(handle.id, 0);
  });

  it('ends a followed log when the container exits', async () => {
    const handle = await run(await spec('follow-end', ['sh', '-c', 'echo a; sleep 1; echo b']));
    let text = '';
    for await (const chunk of runtime.logs(handle.id, { follow: true })) text += Buffer.from(chunk).toString('utf8');
    expect(text).toBe('a\nb\n');
    expect((await runtime.wait(handle.id)).exitCode).toBe(0);
  });

  it('applies the sandbox: no capabilities, no new privileges, read-only root, tmpfs, no network, limits', async () => {
    const probe = [
      'grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status',
      'if touch /root-write 2>/dev/null; then echo "root: writable"; else echo "root: read-only"; fi',
      'if echo x > /tmp/t; then echo "tmp: writable"; fi',
      'if echo x > /outputs/o; then echo "outputs: writable"; fi',
      'echo "net: $(ls /sys/class/net | tr "\\n" " ")"',
    ].join('; ');
    const handle = await run(await spec('sandbox', ['sh', '-c', probe]));
    expect((await runtime.wait(handle.id)).exitCode).toBe(0);
    const text = await logText(handle.id);
    expect(text).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(text).toMatch(/^CapBnd:\s+0000000000000000$/m);
    expect(text).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(text).toContain('root: read-only');
    expect(text).toContain('tmp: writable');
    expect(text).toContain('outputs: writable');
    expect(text).toMatch(/^net: lo $/m);

    const host = await runtime.hostConfig(handle.id);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.SecurityOpt).toContain('no-new-privileges');
    // Docker echoes ["ALL"]; podman lists every capability it dropped.
    const dropped = host.CapDrop ?? [];
    expect(dropped.includes('ALL') || ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID', 'NET_RAW', 'KILL'].every((c) => dropped.includes(c))).toBe(true);
    expect(host.Memory).toBe(64 * 1024 * 1024);
    expect(host.PidsLimit).toBe(64);
    expect(host.NetworkMode).toBe('none');
  });

  it('lets an image that runs as an unprivileged user write its outputs', async () => {
    const tag = 'necto/demo-nobody:1';
    const podman = (args: string[]) => spawnSync('podman', [...env.service.podmanArgs, ...args], { encoding: 'utf8' });
    const base = uniqueName('nobody-base');
    expect(podman(['create', '--name', base, env.image, 'true']).status).toBe(0);
    const commit = podman(['commit', '--quiet', '--change', 'USER 65534', base, tag]);
    podman(['rm', '--force', base]);
    expect(commit.status, commit.stderr).toBe(0);

    const s = await spec('nobody', ['sh', '-c', 'id -u; echo written > /outputs/result.txt'], { image: tag });
    const handle = await run(s);
    expect((await runtime.wait(handle.id)).exitCode).toBe(0);
    expect(await logText(handle.id)).toBe('65534\n');
    expect(await readFile(join(s.outputsDir, 'result.txt'), 'utf8')).toBe('written\n');
  });

  it('enforces the pids limit', async () => {
    const forkTen = ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & echo "forked $i"; done; echo "all forked"'];
    const limited = await run(await spec('pids', forkTen, { limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 1_000_000_000, pids: 8 } }));
    const roomy = await run(await spec('pids-roomy', forkTen, { limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 1_000_000_000, pids: 64 } }));
    expect((await runtime.wait(limited.id)).exitCode).not.toBe(0);
    const limitedLog = await logText(limited.id);
    expect(limitedLog).toMatch(/can't fork/);
    expect(limitedLog).not.toContain('all forked');
    expect((await runtime.wait(roomy.id)).exitCode).toBe(0);
    expect(await logText(roomy.id)).toContain('all forked');
  });

  it('refuses to start a GPU job when the engine drops the GPU request, instead of running it without GPUs', async () => {
    // Podman 4's Docker API accepts DeviceRequests and ignores them.
    const labels = { 'necto.job': '77', 'necto.market': MARKET };
    const error = await runtime.start(await spec('gpu-dropped', ['true'], { gpus: 1, labels })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuRequestIgnoredError);
    expect((error as Error).message).toContain(env.service.socket);
    expect(await runtime.list(labels)).toEqual([]);
  });

  it('passes GPU device nodes through in devices mode', async () => {
    const node = ['/dev/fuse', '/dev/loop-control', '/dev/vga_arbiter', '/dev/kmsg'].find((p) => existsSync(p));
    expect(node, 'a host device node to stand in for a GPU').toBeDefined();
    const gpuRuntime = env.runtime({ gpu: { mode: 'devices', paths: [node!] } });
    const handle = await gpuRuntime.start(await spec('gpu-devices', ['sh', '-c', `ls ${node}`], { gpus: 1 }));
    started.push(handle.id);
    expect((await gpuRuntime.wait(handle.id)).exitCode).toBe(0);
    expect(await logText(handle.id)).toBe(`${node}\n`);
    // Without a GPU the same runtime passes no device.
    const plain = await gpuRuntime.start(await spec('gpu-none', ['sh', '-c', `ls ${node}`]));
    started.push(plain.id);
    expect((await gpuRuntime.wait(plain.id)).exitCode).not.toBe(0);
  });

  it('finds its containers by label from another runtime client (adoption after a restart)', async () => {
    const labels = { 'necto.job': '41', 'necto.round': '2', 'necto.market': MARKET, 'necto.chain': '31337' };
    const handle = await run(await spec('adopt', ['sh', '-c', 'sleep 30'], { labels }));

    const restarted = env.runtime(); // a fresh client, as the agent has after kill -9 and restart
    const found = await restarted.list({ 'necto.market': MARKET, 'necto.chain': '31337', 'necto.job': '41' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: handle.id, name: handle.name, state: 'running' });
    expect(found[0]!.labels).toMatchObject(labels);

    expect(await restarted.list({ 'necto.market': MARKET, 'necto.job': '42' })).toEqual([]);
    expect(await restarted.list({ 'necto.market': '0x00000000000000000000000000000000000000bb', 'necto.job': '41' })).toEqual([]);

    await restarted.stop(handle.id, 0);
    expect((await restarted.list({ 'necto.job': '41', 'necto.market': MARKET }))[0]?.state).toBe('exited');
    await restarted.remove(handle.id);
    expect(await restarted.list({ 'necto.job': '41', 'necto.market': MARKET })).toEqual([]);
    await expect(restarted.remove(handle.id)).resolves.toBeUndefined();
    await expect(restarted.inspect(handle.id)).rejects.toBeInstanceOf(ContainerNotFoundError);
  });

  it('reports the present demo image by digest without pulling', async () => {
    const { digest } = await runtime.ensureImage(env.image);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await runtime.ensureImage(env.image)).digest).toBe(digest);
  });

  it('throws PullFailedError for an image that cannot be pulled, and classifies it as pull-failed', async () => {
    const error = await runtime.ensureImage('registry.invalid/necto/missing:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullFailedError);
    expect((error as PullFailedError).image).toBe('registry.invalid/necto/missing:1');
    expect((error as Error).message).toMatch(/registry\.invalid/);
    expect(classifyRun({ kind: 'pull-failed' })).toEqual({ reason: 'pull-failed', exitCode: null });
  });

  it('names the socket when the runtime is unreachable', async () => {
    const socket = join(work, 'no-such.sock');
    const dead = new DockerRuntime({ socket: `unix://${socket}` });
    const error = await dead.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect((error as Error).message).toContain(socket);
    await expect(dead.ensureImage('necto/demo:1')).rejects.toBeInstanceOf(RuntimeUnavailableError);
  });

  it('reports the engine version for the manifest', async () => {
    expect(await runtime.version()).toMatch(/^(Podman|Docker) Engine \d+\.\d+/);
  });
});
