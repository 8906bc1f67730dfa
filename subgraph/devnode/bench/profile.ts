/**
 * BENCH_PROFILE=1: where indexing time goes, measured with timers wrapped around the devnode's pieces at run
 * time (nothing in src/ is changed):
 *   - rpc: JsonRpcClient.batch (wall time of eth_getLogs / block batches; the indexer awaits them in turn);
 *   - handler: MappingRunner.run (whole trigger), split into
 *       instantiate (`new WebAssembly.Instance`), _start, handler export (WASM + host calls),
 *       and the rest (building the event argument in WASM memory: newEvent + value conversion);
 *   - host functions, per import name (WASM → JS value conversion + work), with store.get/set split out;
 *   - store: MemoryStore get/set/beginBlock/commitBlock;
 *   - everything else of the indexing wall time (log decoding with viem, RPC → host data conversion,
 *     trigger matching, awaiting, the GraphQL server idle) is "other".
 * Timer overhead is ~0.1 µs per wrapped call, included in the figures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRpcClient } from '../src/ingest/rpc.js';
import { MappingRunner } from '../src/runtime/module.js';
import { createStore } from '../src/store/memory.js';
import { parseSchema } from '../src/schema/index.js';
import { buildDir } from './fixture.js';

interface Timer {
  ms: number;
  calls: number;
}

export interface Profiler {
  reset(): void;
  report(wallMs: number, events: number): string[];
}

export function installProfiler(): Profiler {
  const timers = new Map<string, Timer>();
  const add = (name: string, ms: number) => {
    let t = timers.get(name);
    if (!t) timers.set(name, (t = { ms: 0, calls: 0 }));
    t.ms += ms;
    t.calls += 1;
  };
  const now = () => performance.now();

  const wrapSync = <T extends object>(target: T, key: string, name: string) => {
    const original = (target as Record<string, unknown>)[key] as (...args: unknown[]) => unknown;
    (target as Record<string, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      const s = now();
      try {
        return original.apply(this, args);
      } finally {
        add(name, now() - s);
      }
    };
  };

  // RPC
  const batch = JsonRpcClient.prototype.batch;
  JsonRpcClient.prototype.batch = async function (this: JsonRpcClient, calls) {
    const s = now();
    try {
      return await batch.call(this, calls);
    } finally {
      add(`rpc ${calls.length === 1 ? calls[0]![0] : `batch(${calls[0]?.[0] ?? '-'})`}`, now() - s);
    }
  } as typeof batch;

  // whole trigger
  wrapSync(MappingRunner.prototype, 'run', 'handler (MappingRunner.run)');

  // store
  const schema = parseSchema(readFileSync(join(buildDir, 'schema.graphql'), 'utf8'));
  const storeProto = Object.getPrototypeOf(createStore({ schema })) as object;
  for (const key of ['get', 'set', 'beginBlock', 'commitBlock']) wrapSync(storeProto, key, `store.${key} (MemoryStore)`);

  // instantiation, exports and imports
  const Instance = WebAssembly.Instance;
  const wrappedImports = new WeakMap<object, WebAssembly.Imports>();
  const wrapImports = (imports: WebAssembly.Imports): WebAssembly.Imports => {
    let wrapped = wrappedImports.get(imports);
    if (wrapped) return wrapped;
    wrapped = {};
    for (const [module, fns] of Object.entries(imports)) {
      const out: Record<string, unknown> = {};
      for (const [name, fn] of Object.entries(fns)) {
        if (typeof fn !== 'function') {
          out[name] = fn;
          continue;
        }
        const label = `host ${name}`;
        out[name] = (...args: unknown[]) => {
          const s = now();
          try {
            return (fn as (...a: unknown[]) => unknown)(...args);
          } finally {
            add(label, now() - s);
          }
        };
      }
      wrapped[module] = out as WebAssembly.ModuleImports;
    }
    wrappedImports.set(imports, wrapped);
    return wrapped;
  };
  (WebAssembly as { Instance: unknown }).Instance = function (module: WebAssembly.Module, imports?: WebAssembly.Imports) {
    const s = now();
    const instance = new Instance(module, imports ? wrapImports(imports) : imports);
    add('  instantiate (new WebAssembly.Instance)', now() - s);
    const exports: Record<string, unknown> = { ...instance.exports };
    for (const [name, value] of Object.entries(instance.exports)) {
      if (typeof value !== 'function' || !(name === '_start' || name.startsWith('handle'))) continue;
      const label = name === '_start' ? '  _start' : `  export ${name} (WASM + host calls)`;
      exports[name] = (...args: unknown[]) => {
        const t = now();
        try {
          return (value as (...a: unknown[]) => unknown)(...args);
        } finally {
          add(label, now() - t);
        }
      };
    }
    return { exports };
  } as unknown as typeof WebAssembly.Instance;

  return {
    reset: () => timers.clear(),
    report(wallMs, events) {
      const get = (name: string) => timers.get(name) ?? { ms: 0, calls: 0 };
      const line = (name: string, t: Timer) =>
        `${name.padEnd(44)} ${t.ms.toFixed(0).padStart(7)} ms ${((t.ms / wallMs) * 100).toFixed(1).padStart(5)}%  ${String(t.calls).padStart(7)} calls  ${((t.ms * 1000) / Math.max(events, 1)).toFixed(1).padStart(7)} µs/event`;
      const out: string[] = [`indexing wall time ${wallMs.toFixed(0)} ms for ${events} events`];
      const rpc = [...timers].filter(([k]) => k.startsWith('rpc '));
      const rpcMs = rpc.reduce((a, [, t]) => a + t.ms, 0);
      for (const [k, t] of rpc.sort((a, b) => b[1].ms - a[1].ms)) out.push(line(k, t));
      const run = get('handler (MappingRunner.run)');
      out.push(line('handler (MappingRunner.run)', run));
      const parts = ['  instantiate (new WebAssembly.Instance)', '  _start', ...[...timers.keys()].filter((k) => k.startsWith('  export '))];
      let partsMs = 0;
      for (const p of parts) {
        out.push(line(p, get(p)));
        partsMs += get(p).ms;
      }
      out.push(line('  rest: event argument (newEvent) + setup', { ms: run.ms - partsMs, calls: run.calls }));
      const host = [...timers].filter(([k]) => k.startsWith('host ')).sort((a, b) => b[1].ms - a[1].ms);
      const hostMs = host.reduce((a, [, t]) => a + t.ms, 0);
      out.push(line('    host functions, all (inside the export)', { ms: hostMs, calls: host.reduce((a, [, t]) => a + t.calls, 0) }));
      for (const [k, t] of host.slice(0, 8)) out.push(line(`      ${k}`, t));
      const storeTimers = [...timers].filter(([k]) => k.startsWith('store.'));
      for (const [k, t] of storeTimers) out.push(line(`      ${k}`, t));
      const storeOutside = get('store.beginBlock (MemoryStore)').ms + get('store.commitBlock (MemoryStore)').ms;
      out.push(line('other (decode, convert, matching, awaits)', { ms: wallMs - rpcMs - run.ms - storeOutside, calls: 0 }));
      return out;
    },
  };
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/**
 * BENCH_CPU_PROF=<file.cpuprofile>: V8 CPU profile of the indexing phase (and of the query
 * phase, to <file>.query.cpuprofile) via the inspector in this thread,
 * written for Chrome DevTools / speedscope; returns a summary of self time by function and by source file.
 */
export async function startCpuProfile(file: string): Promise<() => Promise<string[]>> {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: { nodes: CpuProfileNode[]; samples: number[] } };
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    const total = profile.samples.length;
    const byFunction = new Map<string, number>();
    const byFile = new Map<string, number>();
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (!hits) continue;
      const url = node.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/subgraph\/devnode\//, '').replace(/.*\/node_modules\//, 'node_modules/');
      const where = url || (node.callFrame.functionName.startsWith('(') ? '' : '(native/wasm)');
      const name = `${node.callFrame.functionName || '(anonymous)'} ${where}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
      const fileKey = where || node.callFrame.functionName;
      byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + hits);
    }
    const top = (m: Map<string, number>, n: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
    return [`CPU profile written to ${file} (${total} samples)`, 'self time by file:', ...top(byFile, 14), 'self time by function:', ...top(byFunction, 30)];
  };
}
