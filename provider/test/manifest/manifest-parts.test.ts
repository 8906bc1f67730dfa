// The parts of a result manifest that need no container: the log bound, the output walk, the exit reason,
// the log stream framing and the schema's rules.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultManifestSchema, type ResultManifest } from '@necto/keeper/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyRun, collectLog, OutputLimitError, scanOutputs } from '../../src/manifest/index.js';
import { demuxDockerStream } from '../../src/runtime/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function* chunks(...parts: Array<string | Uint8Array>) {
  for (const p of parts) yield typeof p === 'string' ? enc.encode(p) : p;
}

function frame(stream: 1 | 2, text: string): Uint8Array {
  const payload = enc.encode(text);
  const out = new Uint8Array(8 + payload.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, payload.length, false);
  out.set(payload, 8);
  return out;
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<string> {
  let s = '';
  for await (const c of it) s += dec.decode(c);
  return s;
}

describe('collectLog', () => {
  it('keeps a log under the limit whole', async () => {
    const log = await collectLog(chunks('hello ', 'world\n'), 64);
    expect(dec.decode(log.bytes)).toBe('hello world\n');
    expect(log).toMatchObject({ truncated: false, totalBytes: 12 });
  });

  it('keeps exactly the limit without truncating', async () => {
    const log = await collectLog(chunks('abcd', 'efgh'), 8);
    expect(dec.decode(log.bytes)).toBe('abcdefgh');
    expect(log.truncated).toBe(false);
  });

  it('keeps the head and the tail of a longer log with a marker, and flags it', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')}\n`); // 9 bytes each
    const log = await collectLog(chunks(...lines), 90);
    const text = dec.decode(log.bytes);
    expect(log.truncated).toBe(true);
    expect(log.totalBytes).toBe(900);
    expect(text.startsWith('line 000\nline 001\nline 002\nline 003\nline 004\n')).toBe(true);
    expect(text.endsWith('line 095\nline 096\nline 097\nline 098\nline 099\n')).toBe(true);
    expect(text).toContain('[necto: 810 bytes of log omitted]');
  });

  it('handles one chunk far larger than the limit', async () => {
    const big = 'a'.repeat(1000) + 'END';
    const log = await collectLog(chunks(big), 10);
    const text = dec.decode(log.bytes);
    expect(text.startsWith('aaaaa\n[necto: 993 bytes of log omitted]\n')).toBe(true);
    expect(text.endsWith('aaEND')).toBe(true);
  });
});

describe('demuxDockerStream', () => {
  it('joins stdout and stderr frames in order, across chunk boundaries', async () => {
    const a = frame(1, 'out 1\n');
    const b = frame(2, 'err 1\n');
    const c = frame(1, 'out 2\n');
    const all = new Uint8Array([...a, ...b, ...c]);
    const split = [all.slice(0, 3), all.slice(3, 11), all.slice(11, 20), all.slice(20)];
    expect(await collect(demuxDockerStream(chunks(...split)))).toBe('out 1\nerr 1\nout 2\n');
  });

  it('fails on a malformed header or a stream that ends inside a frame', async () => {
    await expect(collect(demuxDockerStream(chunks(new Uint8Array([9, 0, 0, 0, 0, 0, 0, 1, 65]))))).rejects.toThrow(/malformed/);
    await expect(collect(demuxDockerStream(chunks(frame(1, 'abc').slice(0, 9))))).rejects.toThrow(/inside a frame/);
  });
});

describe('classifyRun', () => {
  const exit = (exitCode: number | null, oomKilled = false) => ({ exitCode, oomKilled, finishedAt: 1_800_000_000 });
  it.each([
    [exit(0), null, 'ok'],
    [exit(1), null, 'nonzero'],
    [exit(137, true), null, 'oom'],
    [exit(137), null, 'oom'],
    [exit(137), 'timeout', 'timeout'],
    [exit(143), 'cancelled', 'cancelled'],
    [exit(0), 'timeout', 'timeout'],
    [exit(null), null, 'nonzero'],
  ] as const)('%o stopped by %s → %s', (e, agentStop, reason) => {
    expect(classifyRun({ kind: 'exited', exit: e, agentStop }).reason).toBe(reason);
  });
});

describe('scanOutputs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'necto-outputs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sha = (s: string) => `0x${createHash('sha256').update(s).digest('hex')}`;

  it('lists regular files by relative path with size and sha256, sorted, and skips links and special files', async () => {
    await mkdir(join(dir, 'b/nested'), { recursive: true });
    await writeFile(join(dir, 'z.txt'), 'last');
    await writeFile(join(dir, 'a.txt'), 'first');
    await writeFile(join(dir, 'b/nested/model.bin'), 'weights');
    await writeFile(join(dir, 'b-sibling'), '');
    await symlink('/etc/passwd', join(dir, 'passwd-link'));
    await symlink('..', join(dir, 'b/up'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);

    const scan = await scanOutputs(dir);
    expect(scan.files.map((f) => [f.path, f.size, f.sha256])).toEqual([
      ['a.txt', 5, sha('first')],
      ['b-sibling', 0, sha('')],
      ['b/nested/model.bin', 7, sha('weights')],
      ['z.txt', 4, sha('last')],
    ]);
    expect(scan.skipped).toEqual(
      expect.arrayContaining([
        { path: 'passwd-link', why: 'symbolic link' },
        { path: 'b/up', why: 'symbolic link' },
        { path: 'pipe', why: 'not a regular file' },
      ]),
    );
  });

  it('refuses more files or bytes than the limits', async () => {
    await writeFile(join(dir, 'one'), '12345');
    await writeFile(join(dir, 'two'), '67890');
    await expect(scanOutputs(dir, { maxFiles: 1, maxTotalBytes: 100 })).rejects.toBeInstanceOf(OutputLimitError);
    await expect(scanOutputs(dir, { maxFiles: 10, maxTotalBytes: 9 })).rejects.toBeInstanceOf(OutputLimitError);
    expect((await scanOutputs(dir, { maxFiles: 2, maxTotalBytes: 10 })).files).toHaveLength(2);
  });
});

describe('resultManifestSchema', () => {
  const root = `0x${'ab'.repeat(32)}` as const;
  const valid: ResultManifest = {
    kind: 'necto.result/1',
    chainId: 31337,
    jobMarket: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    jobId: '12',
    round: 0,
    provider: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    market: 'onchain',
    image: 'necto/demo:1',
    imageDigest: `sha256:${'a'.repeat(64)}`,
    command: ['sh', '-c', 'true'],
    startedAt: 1_800_000_000,
    finishedAt: 1_800_000_030,
    exitCode: 0,
    reason: 'ok',
    log: { root, bytes: 10, truncated: false },
    outputs: [
      { path: 'a.txt', size: 1, sha256: root, root },
      { path: 'b/c.txt', size: 0, sha256: root, root: null },
    ],
    runtime: { kind: 'docker', version: 'Podman Engine 4.3.1' },
  };

  it('accepts a valid manifest', () => {
    expect(resultManifestSchema.parse(valid)).toEqual(valid);
  });

  it.each([
    ['ok with a non-zero exit', { exitCode: 1 }],
    ['nonzero with exit 0', { reason: 'nonzero', exitCode: 0 }],
    ['an unknown reason', { reason: 'crashed' }],
    ['finished before started', { finishedAt: 1 }],
    ['a decimal job id with a sign', { jobId: '-1' }],
    ['an absolute output path', { outputs: [{ path: '/etc/passwd', size: 1, sha256: root, root }] }],
    ['a .. output path', { outputs: [{ path: 'a/../../x', size: 1, sha256: root, root }] }],
    ['unsorted outputs', { outputs: [valid.outputs[1], valid.outputs[0]] }],
    ['duplicate outputs', { outputs: [valid.outputs[0], valid.outputs[0]] }],
    ['a non-empty file without a root', { outputs: [{ path: 'a', size: 3, sha256: root, root: null }] }],
    ['an empty log with a root', { log: { root, bytes: 0, truncated: false } }],
    ['an uppercase root', { log: { root: root.toUpperCase().replace('0X', '0x'), bytes: 1, truncated: false } }],
    ['another kind', { kind: 'necto.result/2' }],
  ])('rejects %s', (_what, change) => {
    expect(resultManifestSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});
