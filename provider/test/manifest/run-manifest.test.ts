// A real run to a stored, checkable result manifest: the container writes outputs, the agent collects the log,
// hashes the outputs, stores everything under its 0G root and the manifest's root is what goes on-chain.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@necto/keeper/canonical';
import { zgRootOf } from '@necto/keeper/log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../scripts/build-demo-image.mjs';
import { createContentStore, type ContentStore } from '../../src/content/index.js';
import { buildResultManifest, collectLog, ManifestError, readResultManifest, type ManifestJob } from '../../src/manifest/index.js';
import { PullFailedError, type DockerRuntime, type RunSpec } from '../../src/runtime/index.js';
import { startTestRuntime, uniqueName, type TestRuntime } from '../runtime/podman-harness.js';

let env: TestRuntime;
let runtime: DockerRuntime;
let work: string;
let store: ContentStore;
let storeDir: string;

const job: ManifestJob = {
  chainId: 31337,
  jobMarket: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
  jobId: 12n,
  round: 1,
  provider: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  market: 'onchain',
};

beforeAll(async () => {
  env = await startTestRuntime();
  runtime = env.runtime();
  work = await mkdtemp(join(tmpdir(), 'necto-manifest-'));
  storeDir = join(work, 'content');
  store = createContentStore({ kind: 'local', dir: storeDir });
});

afterAll(async () => {
  await env?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const sha256 = (s: string | Uint8Array) => `0x${createHash('sha256').update(s).digest('hex')}`;

async function runToExit(name: string, command: string[]) {
  const outputsDir = join(work, name);
  await mkdir(outputsDir, { recursive: true });
  const spec: RunSpec = {
    name: uniqueName(name),
    image: env.image,
    command,
    labels: { 'necto.job': String(job.jobId), 'necto.round': String(job.round) },
    outputsDir,
    outputsPath: '/outputs',
    limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 1_000_000_000, pids: 64 },
    network: 'none',
    gpus: 0,
  };
  const { digest } = await runtime.ensureImage(spec.image);
  const handle = await runtime.start(spec);
  const exit = await runtime.wait(handle.id);
  const inspected = await runtime.inspect(handle.id);
  const log = await collectLog(runtime.logs(handle.id, { follow: false }));
  await runtime.remove(handle.id);
  return { outputsDir, digest, exit, inspected, log };
}

describe('result manifest of a real run', () => {
  it('hashes what the container wrote, stores log and outputs by 0G root, and the manifest root verifies', async () => {
    const script = [
      'echo "training"',
      'mkdir -p /outputs/ckpt',
      'printf "loss=0.42\\n" > /outputs/metrics.txt',
      'printf "weights-v1" > /outputs/ckpt/model.bin',
      ': > /outputs/empty.log',
      'ln -s /etc/passwd /outputs/host-passwd',
      'echo "done" >&2',
    ].join('; ');
    const command = ['sh', '-c', script];
    const run = await runToExit('outputs', command);
    expect(run.exit.exitCode).toBe(0);

    const stored = await buildResultManifest(
      job,
      {
        image: env.image,
        imageDigest: run.digest,
        command,
        startedAt: run.inspected.startedAt!,
        finishedAt: run.exit.finishedAt,
        outcome: { kind: 'exited', exit: run.exit, agentStop: null },
        log: run.log,
        outputsDir: run.outputsDir,
        runtime: { kind: 'docker', version: await runtime.version() },
      },
      store,
    );
    const m = stored.manifest;
    expect(m).toMatchObject({
      kind: 'necto.result/1',
      chainId: 31337,
      jobMarket: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      jobId: '12',
      round: 1,
      provider: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      reason: 'ok',
      exitCode: 0,
      imageDigest: run.digest,
      command,
    });
    expect(m.outputs).toEqual([
      { path: 'ckpt/model.bin', size: 10, sha256: sha256('weights-v1'), root: await zgRootOf(new TextEncoder().encode('weights-v1')) },
      { path: 'empty.log', size: 0, sha256: sha256(''), root: null },
      { path: 'metrics.txt', size: 10, sha256: sha256('loss=0.42\n'), root: await zgRootOf(new TextEncoder().encode('loss=0.42\n')) },
    ]);
    expect(m.log).toEqual({ root: await zgRootOf(new TextEncoder().encode('training\ndone\n')), bytes: 14, truncated: false });

    // The on-chain value: the 0G root of the manifest's canonical JSON bytes.
    expect(new TextDecoder().decode(stored.bytes)).toBe(canonicalJson(m));
    expect(stored.root).toBe(await zgRootOf(stored.bytes));

    // Anyone holding the root gets back the same manifest, the log and each output.
    const again = await readResultManifest(store, stored.root);
    expect(again.manifest).toEqual(m);
    expect(new TextDecoder().decode((await store.get(m.log.root!))!)).toBe('training\ndone\n');
    expect(new TextDecoder().decode((await store.get(m.outputs[0]!.root!))!)).toBe('weights-v1');
  });

  it('refuses a stored manifest that was tampered with', async () => {
    const run = await runToExit('tamper', ['sh', '-c', 'echo x > /outputs/r.txt; exit 4']);
    const stored = await buildResultManifest(
      job,
      {
        image: env.image,
        imageDigest: run.digest,
        command: ['sh', '-c', 'echo x > /outputs/r.txt; exit 4'],
        startedAt: run.inspected.startedAt!,
        finishedAt: run.exit.finishedAt,
        outcome: { kind: 'exited', exit: run.exit, agentStop: null },
        log: run.log,
        outputsDir: run.outputsDir,
        runtime: { kind: 'docker' },
      },
      store,
    );
    expect(stored.manifest).toMatchObject({ reason: 'nonzero', exitCode: 4 });
    const file = (await readdir(storeDir)).find((f) => f.startsWith(stored.root.slice(2)));
    expect(file).toBeDefined();
    const forged = canonicalJson({ ...stored.manifest, reason: 'ok', exitCode: 0 });
    await writeFile(join(storeDir, file!), forged);
    await expect(readResultManifest(store, stored.root)).rejects.toThrow(/verification|hash to/);
    await expect(readResultManifest(store, `0x${'0'.repeat(64)}`)).rejects.toBeInstanceOf(ManifestError);
  });

  it('completes a failed pull with a manifest that says pull-failed and carries the error as its log', async () => {
    const image = 'registry.invalid/acme/absent:1';
    const error = await runtime.ensureImage(image).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullFailedError);
    const now = Math.floor(Date.now() / 1000);
    const text = new TextEncoder().encode(`${(error as Error).message}\n`);
    const stored = await buildResultManifest(
      job,
      {
        image,
        imageDigest: null,
        command: [],
        startedAt: now,
        finishedAt: now,
        outcome: { kind: 'pull-failed' },
        log: { bytes: text, truncated: false, totalBytes: text.length },
        outputsDir: null,
        runtime: { kind: 'docker' },
      },
      store,
    );
    expect(stored.manifest).toMatchObject({ reason: 'pull-failed', exitCode: null, imageDigest: null, outputs: [] });
    expect(new TextDecoder().decode((await store.get(stored.manifest.log.root!))!)).toContain('registry.invalid');
  });

  it('records a demo job: progress in the log and result.txt in the outputs', async () => {
    const command = demoCommand(2);
    const run = await runToExit('demo', command);
    expect(run.exit.exitCode).toBe(0);
    const text = new TextDecoder().decode(run.log.bytes);
    expect(text).toContain('step 1/2 (50%)');
    expect(text).toContain('step 2/2 (100%)');
    const stored = await buildResultManifest(
      job,
      {
        image: env.image,
        imageDigest: run.digest,
        command,
        startedAt: run.inspected.startedAt!,
        finishedAt: run.exit.finishedAt,
        outcome: { kind: 'exited', exit: run.exit, agentStop: null },
        log: run.log,
        outputsDir: run.outputsDir,
        runtime: { kind: 'docker' },
      },
      store,
    );
    expect(stored.manifest.outputs.map((o) => o.path)).toEqual(['result.txt']);
    const result = new TextDecoder().decode((await store.get(stored.manifest.outputs[0]!.root!))!);
    expect(result).toMatch(/^necto demo finished 2 steps at \d{4}-\d\d-\d\dT/);
    expect(stored.manifest.finishedAt - stored.manifest.startedAt).toBeGreaterThanOrEqual(1);
  });
});
