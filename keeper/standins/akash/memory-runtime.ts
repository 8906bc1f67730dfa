// LOCAL STAND-IN PART — an in-memory ContainerRuntime for tests and benchmarks where no container engine runs: a
// "container" prints `lines` log lines, one every `stepMs`, then exits with `exitCode`. Images in `missing` fail to pull.
import type { ContainerRuntime, ExitInfo, RunSpec } from './runtime.js';

export interface FakeContainer { id: string; spec: RunSpec; state: 'running' | 'exited'; log: string[]; exit?: ExitInfo; stopped: boolean }

export function memoryRuntime(opts: { lines?: number; stepMs?: number; exitCode?: number; missing?: string[] } = {}) {
  const containers = new Map<string, FakeContainer>();
  const waiters = new Map<string, Array<(e: ExitInfo) => void>>();
  let n = 0;
  const finish = (c: FakeContainer, exitCode: number | null) => {
    if (c.state === 'exited') return;
    c.state = 'exited';
    c.exit = { exitCode, oomKilled: false, finishedAt: Math.floor(Date.now() / 1000) };
    for (const w of waiters.get(c.id) ?? []) w(c.exit);
  };
  const runtime: ContainerRuntime = {
    async ensureImage(ref) {
      if (opts.missing?.includes(ref)) throw new Error(`pull failed: ${ref}`);
      return { digest: `sha256:${'ab'.repeat(32)}` };
    },
    async start(spec) {
      const c: FakeContainer = { id: `c${++n}`, spec, state: 'running', log: [], stopped: false };
      containers.set(c.id, c);
      let i = 0;
      const tick = () => {
        if (c.state !== 'running') return;
        if (i < (opts.lines ?? 3)) {
          c.log.push(`step ${++i} ${spec.command?.join(' ') ?? ''}`.trim());
          setTimeout(tick, opts.stepMs ?? 20);
        } else finish(c, opts.exitCode ?? 0);
      };
      setTimeout(tick, opts.stepMs ?? 20);
      return { id: c.id, name: spec.name, labels: spec.labels };
    },
    wait: (id) =>
      new Promise((resolve) => {
        const c = containers.get(id)!;
        if (c.exit) return resolve(c.exit);
        waiters.set(id, [...(waiters.get(id) ?? []), resolve]);
      }),
    async stop(id) {
      const c = containers.get(id);
      if (c) {
        c.stopped = true;
        finish(c, 137);
      }
    },
    async *logs(id) {
      for (const l of containers.get(id)?.log ?? []) yield new TextEncoder().encode(`${l}\n`);
    },
    async list(labels) {
      return [...containers.values()].filter((c) => Object.entries(labels).every(([k, v]) => c.spec.labels[k] === v)).map((c) => ({ id: c.id, name: c.spec.name, labels: c.spec.labels, state: c.state }));
    },
    async inspect(id) {
      const c = containers.get(id)!;
      return { state: c.state, ...(c.exit ? { exit: c.exit } : {}), imageDigest: `sha256:${'ab'.repeat(32)}` };
    },
    async remove(id) {
      containers.delete(id);
    },
  };
  return { runtime, containers };
}
