/**
 * A compiled mapping (one per data source / template WASM file) and the execution of one handler.
 *
 * Instance policy: like graph-node, every trigger runs in a fresh instance of the compiled module
 * (`new WebAssembly.Instance` + `_start`). The stub runtime never frees memory and mappings may keep state
 * in module globals, so reusing an instance would let one handler observe another and let memory grow
 * without bound; a fresh instance costs a few tens of microseconds, well within the indexing budget.
 * What *is* shared per module: the compiled code, the import object and the `id_of_type` class-id cache
 * (class ids are fixed at compile time).
 */
import { AscHeap, HostError, type AscExports } from './asc.js';
import { createHostFunctions, unsupported, type HostFunction } from '../host/functions.js';
import type { DataSourceView, HostState } from '../host/context.js';

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

export class MappingModule {
  private readonly classIds = new Map<number, number>();
  readonly handlers: Set<string>;

  private constructor(
    readonly name: string,
    private readonly module: WebAssembly.Module,
  ) {
    this.handlers = new Set(
      WebAssembly.Module.exports(module)
        .filter((e) => e.kind === 'function')
        .map((e) => e.name),
    );
    for (const required of ['_start', '__new', 'id_of_type', 'memory']) {
      if (!WebAssembly.Module.exports(module).some((e) => e.name === required)) {
        throw new Error(`mapping ${name} does not export \`${required}\`: is it built by graph-cli with apiVersion ≥ 0.0.5?`);
      }
    }
  }

  static compile(name: string, bytes: BufferSource): MappingModule {
    return new MappingModule(name, new WebAssembly.Module(bytes));
  }

  /** Host functions the mapping imports, by graph-node name (module names do not matter). */
  importedFunctions(): string[] {
    return WebAssembly.Module.imports(this.module)
      .filter((i) => i.kind === 'function')
      .map((i) => i.name);
  }

  createRunner(state: HostState): MappingRunner {
    const functions = createHostFunctions(state);
    const imports: Record<string, Record<string, HostFunction>> = {};
    for (const entry of WebAssembly.Module.imports(this.module)) {
      if (entry.kind !== 'function') continue;
      (imports[entry.module] ??= {})[entry.name] = functions[entry.name] ?? unsupported(entry.name);
    }
    return new MappingRunner(this.module, this.classIds, imports as WebAssembly.Imports, state);
  }
}

export interface TriggerContext {
  handler: string;
  dataSource: DataSourceView;
  blockNumber: bigint;
  blockHash: `0x${string}`;
}

export class MappingRunner {
  constructor(
    private readonly module: WebAssembly.Module,
    private readonly classIds: Map<number, number>,
    private readonly imports: WebAssembly.Imports,
    private readonly state: HostState,
  ) {}

  /** Run `handler(argument)` in a fresh instance. Throws MappingError if the handler fails. */
  run(context: TriggerContext, buildArgument: (heap: AscHeap) => number): void {
    const instance = new WebAssembly.Instance(this.module, this.imports);
    const exports = instance.exports as unknown as AscExports & Record<string, unknown>;
    const heap = new AscHeap(exports, this.classIds, (typeId) => exports.id_of_type(typeId));
    const handler = exports[context.handler];
    if (typeof handler !== 'function') {
      throw new MappingError(`Handler \`${context.handler}\` is not exported by the mapping`, true);
    }
    this.state.trigger = { heap, ...context };
    try {
      exports._start?.();
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
