/**
 * A compiled mapping (one per data source / template WASM file) and the execution of one handler.
 *
 * Instance policy: graph-node runs every trigger in a fresh instance. The stub runtime never frees memory
 * and mappings keep state in module globals, so naively reusing an instance would let one handler observe
 * another. `MappingRunner` instead restores a post-`_start` snapshot (memory + every mutable global) before
 * each trigger, which is observably identical to a fresh instance and ~20× cheaper (see MappingRunner).
 * Shared per module: the compiled code and the `id_of_type` class-id cache (fixed at compile time).
 */
import { AscHeap, HostError, type AscExports } from './asc.js';
import { exportMutableGlobals } from './wasm-globals.js';

/** A function the mapping imports from the host (arguments and results are WASM numbers / heap pointers). */
export type HostFunction = (...args: number[]) => number | bigint | void;

/** The host function a mapping import of this graph-node name is linked to. */
export type HostFunctionResolver = (name: string) => HostFunction;

/** What every trigger names: the handler export to call. The host adds what its functions read (data source, block). */
export interface TriggerContext {
  handler: string;
}

/**
 * Where the runner puts the current trigger (its context and the instance's heap) while a handler runs, and null
 * otherwise; the host functions read it from there.
 */
export interface TriggerSlot<C extends TriggerContext> {
  trigger: (C & { heap: AscHeap }) | null;
}

export interface MappingFailure {
  message: string;
  deterministic: boolean;
}

export class MappingError extends Error {
  constructor(
    message: string,
    readonly deterministic: boolean,
  ) {
    super(message);
    this.name = 'MappingError';
  }
}

const TRAP_MESSAGES: Array<[RegExp, string]> = [
  [/divide by zero|remainder by zero/, 'integer divide by zero'],
  [/integer overflow/, 'integer overflow'],
  [/unreachable/, 'wasm `unreachable` instruction executed'],
  [/memory access out of bounds/, 'out of bounds memory access'],
  [/float unrepresentable|conversion/, 'invalid conversion to integer'],
  [/table index/, 'undefined element: out of bounds table access'],
  [/signature mismatch|null function/, 'indirect call type mismatch'],
];

/** Classify what a handler threw the way graph-node does (deterministic traps fail the subgraph). */
export function describeFailure(error: unknown): MappingFailure {
  if (error instanceof HostError) return { message: error.message, deterministic: error.deterministic };
  if (error instanceof WebAssembly.RuntimeError) {
    const known = TRAP_MESSAGES.find(([pattern]) => pattern.test(error.message));
    return { message: `wasm trap: ${known ? known[1] : error.message}`, deterministic: true };
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { message: 'wasm trap: call stack exhausted', deterministic: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `devnode internal error: ${message}`, deterministic: false };
}

export type InstancePolicy = 'reset' | 'fresh';

export class MappingModule {
  private readonly classIds = new Map<number, number>();
  readonly handlers: Set<string>;
  private readonly globalNames: string[];

  private constructor(
    readonly name: string,
    private readonly module: WebAssembly.Module,
    globalNames: string[],
  ) {
    this.globalNames = globalNames;
    const exports = WebAssembly.Module.exports(module);
    this.handlers = new Set(exports.filter((e) => e.kind === 'function').map((e) => e.name));
    for (const required of ['_start', '__new', 'id_of_type', 'memory']) {
      if (!exports.some((e) => e.name === required)) {
        throw new Error(`mapping ${name} does not export \`${required}\`: is it built by graph-cli with apiVersion ≥ 0.0.5?`);
      }
    }
  }

  static compile(name: string, bytes: Uint8Array): MappingModule {
    const { binary, names } = exportMutableGlobals(bytes);
    return new MappingModule(name, new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>), names);
  }

  /** Host functions the mapping imports, by graph-node name (module names do not matter). */
  importedFunctions(): string[] {
    return WebAssembly.Module.imports(this.module)
      .filter((i) => i.kind === 'function')
      .map((i) => i.name);
  }

  /**
   * A runner linking the mapping's imports through `resolve`. `probe` is the trigger context `_start` sees while
   * the `reset` policy checks whether it calls into the host.
   */
  createRunner<C extends TriggerContext>(
    resolve: HostFunctionResolver,
    slot: TriggerSlot<C>,
    probe: C,
    policy: InstancePolicy = 'reset',
  ): MappingRunner<C> {
    const build = (wrap: (fn: HostFunction) => HostFunction) => {
      const imports: Record<string, Record<string, HostFunction>> = {};
      for (const entry of WebAssembly.Module.imports(this.module)) {
        if (entry.kind !== 'function') continue;
        (imports[entry.module] ??= {})[entry.name] = wrap(resolve(entry.name));
      }
      return imports as WebAssembly.Imports;
    };
    return new MappingRunner(this.module, this.classIds, build, this.globalNames, slot, probe, policy);
  }
}

interface LiveInstance {
  exports: AscExports & Record<string, unknown>;
  heap: AscHeap;
  globals: WebAssembly.Global[];
  globalValues: Array<number | bigint>;
  memorySnapshot: Uint8Array;
}

/**
 * Runs handlers of one data source. Policy `reset` (default) boots one instance, snapshots its memory and
 * mutable globals right after `_start`, and restores that snapshot before every trigger: the handler sees
 * byte for byte the state of a fresh instance (same heap pointer, same module variables, zeroed free
 * memory), at a fraction of the cost of instantiating. A mapping whose `_start` calls host functions (its
 * initial state could depend on the trigger) and a policy of `fresh` get a new instance per trigger, as in
 * graph-node.
 */
export class MappingRunner<C extends TriggerContext = TriggerContext> {
  private readonly imports: WebAssembly.Imports;
  private live: LiveInstance | null = null;
  private policy: InstancePolicy;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly classIds: Map<number, number>,
    buildImports: (wrap: (fn: HostFunction) => HostFunction) => WebAssembly.Imports,
    private readonly globalNames: string[],
    private readonly state: TriggerSlot<C>,
    probe: C,
    policy: InstancePolicy,
  ) {
    this.imports = buildImports((fn) => fn);
    this.policy = policy;
    if (policy === 'reset') {
      // probe: does `_start` call into the host? then its state may depend on the trigger
      let calls = 0;
      const counting = buildImports(
        (fn) =>
          (...args: number[]) => {
            calls++;
            return fn(...args);
          },
      );
      try {
        const instance = new WebAssembly.Instance(this.module, counting);
        const exports = instance.exports as unknown as AscExports;
        this.state.trigger = { ...probe, heap: new AscHeap(exports, this.classIds, (t) => exports.id_of_type(t)) };
        exports._start?.();
      } catch {
        calls++;
      } finally {
        this.state.trigger = null;
      }
      if (calls > 0) this.policy = 'fresh';
    }
  }

  private instantiate(): { exports: AscExports & Record<string, unknown>; heap: AscHeap } {
    const instance = new WebAssembly.Instance(this.module, this.imports);
    const exports = instance.exports as unknown as AscExports & Record<string, unknown>;
    return { exports, heap: new AscHeap(exports, this.classIds, (typeId) => exports.id_of_type(typeId)) };
  }

  private boot(): LiveInstance {
    const { exports, heap } = this.instantiate();
    exports._start?.();
    const globals = this.globalNames.map((name) => exports[name] as WebAssembly.Global);
    return {
      exports,
      heap,
      globals,
      globalValues: globals.map((g) => g.value as number | bigint),
      memorySnapshot: new Uint8Array(exports.memory.buffer).slice(),
    };
  }

  private acquire(): { exports: AscExports & Record<string, unknown>; heap: AscHeap; fresh: boolean } {
    if (this.policy === 'fresh') return { ...this.instantiate(), fresh: true };
    const live = this.live;
    if (live === null || live.exports.memory.buffer.byteLength > 4 * live.memorySnapshot.length + 1024 * 1024) {
      // first use, or a handler grew memory a lot: start over rather than zeroing megabytes per trigger
      this.live = this.boot();
      return { exports: this.live.exports, heap: this.live.heap, fresh: false };
    }
    const memory = new Uint8Array(live.exports.memory.buffer);
    memory.set(live.memorySnapshot, 0);
    if (memory.length > live.memorySnapshot.length) memory.fill(0, live.memorySnapshot.length);
    for (let i = 0; i < live.globals.length; i++) live.globals[i]!.value = live.globalValues[i]!;
    return { exports: live.exports, heap: live.heap, fresh: false };
  }

  /** Run `handler(argument)`. Throws MappingError if the handler fails. */
  run(context: C, buildArgument: (heap: AscHeap) => number): void {
    const { exports, heap, fresh } = this.acquire();
    const handler = exports[context.handler];
    if (typeof handler !== 'function') {
      throw new MappingError(`Handler \`${context.handler}\` is not exported by the mapping`, true);
    }
    this.state.trigger = { ...context, heap };
    try {
      if (fresh) exports._start?.();
      const argument = buildArgument(heap);
      (handler as (ptr: number) => void)(argument);
    } catch (error) {
      const failure = describeFailure(error);
      throw new MappingError(failure.message, failure.deterministic);
    } finally {
      this.state.trigger = null;
    }
  }
}
