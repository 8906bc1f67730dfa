/**
 * Programmatic API: run a built subgraph against an EVM JSON-RPC and serve its GraphQL API.
 *
 *   const node = await startDevnode({ subgraph: 'subgraph/build', rpc: 'http://127.0.0.1:8545' });
 *   await node.waitForBlock(42);
 *   node.status(); await node.close();
 *
 * With `db`, the store persists under `<db>/<name>` and indexing resumes from its head after a restart.
 * The store is wiped (re-index from scratch) whenever the build output differs from the one it was built
 * with, both at start and, with `watch`, while running.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { loadManifest, resolveManifestPath, type Manifest } from './manifest.js';
import { parseSchema, type SchemaInfo } from './schema/index.js';
import { createStore, type VersionedStore } from './store/memory.js';
import { startServer, type IndexingStatus, type RunningServer } from './server.js';
import { Indexer } from './ingest/indexer.js';
import type { Logger, LogLevel } from './host/context.js';
import type { InstancePolicy } from './runtime/module.js';

export type { IndexingStatus } from './server.js';
export type { Logger, LogLevel } from './host/context.js';

export interface DevnodeOptions {
  /** `graph build` output directory or the subgraph.yaml in it */
  subgraph: string;
  /** EVM JSON-RPC URL */
  rpc: string;
  /** persist the store here (in memory when omitted) */
  db?: string;
  /** GraphQL port; 0 picks a free one; `null` serves nothing */
  port?: number | null;
  host?: string;
  /** subgraph name in `/subgraphs/name/<name>` (default: the manifest's directory name) */
  name?: string;
  pollMs?: number;
  confirmations?: number;
  /** re-index from scratch when the build output changes (default false) */
  watch?: boolean;
  /** `reset` (default): one WASM instance per data source, restored to its post-`_start` snapshot before
   *  each trigger; `fresh`: a new instance per trigger, like graph-node. Both give identical results. */
  instancePolicy?: InstancePolicy;
  log?: Logger;
}

export interface Devnode {
  /** GraphQL endpoint of the subgraph (`…/subgraphs/name/<name>`), or null when not serving */
  url: string | null;
  /** base URL of the HTTP server */
  serverUrl: string | null;
  name: string;
  waitForBlock(block: number, timeoutMs?: number): Promise<void>;
  status(): IndexingStatus;
  /** the live store (replaced after a rebuild) */
  store(): VersionedStore;
  /** events handled / blocks advanced since the (re)start */
  progress(): { events: number; blocks: number; startedAt: number };
  close(): Promise<void>;
}

const LEVEL_ORDER: Record<LogLevel, number> = { critical: 0, error: 1, warning: 2, info: 3, debug: 4 };

export function consoleLogger(minimum: LogLevel = 'info'): Logger {
  return (level, message, fields) => {
    if (LEVEL_ORDER[level] > LEVEL_ORDER[minimum]) return;
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    const line = `[devnode] ${level.toUpperCase()} ${message}${extra ? ` (${extra})` : ''}`;
    if (LEVEL_ORDER[level] <= 2) console.error(line);
    else console.log(line);
  };
}

/** Hash of everything `graph build` writes, to know when a persisted store is stale. */
export function buildFingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    for (const entry of readdirSync(path).sort()) {
      const full = join(path, entry);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else {
        hash.update(full.slice(dir.length));
        hash.update(readFileSync(full));
      }
    }
  };
  walk(dir);
  return hash.digest('hex');
}

interface Running {
  manifest: Manifest;
  schema: SchemaInfo;
  store: VersionedStore;
  indexer: Indexer;
}

export async function startDevnode(options: DevnodeOptions): Promise<Devnode> {
  const log = options.log ?? consoleLogger();
  const manifestFile = resolveManifestPath(options.subgraph);
  const initial = loadManifest(manifestFile);
  const name = options.name ?? defaultName(initial);
  let running = open(initial);
  let rebuilding: Promise<void> | null = null;

  function storeDir(): string | undefined {
    return options.db ? join(options.db, name) : undefined;
  }

  function open(manifest: Manifest): Running {
    const schema = parseSchema(manifest.schemaSdl);
    const dir = storeDir();
    if (dir && options.db) {
      mkdirSync(options.db, { recursive: true });
      const fingerprintFile = join(options.db, `${name}.build`);
      const fingerprint = buildFingerprint(manifest.dir);
      const previous = existsSync(fingerprintFile) ? readFileSync(fingerprintFile, 'utf8') : null;
      if (previous !== fingerprint) {
        if (previous !== null) log('info', 'build output changed since the store was written: re-indexing from scratch', {});
        rmSync(dir, { recursive: true, force: true });
        writeFileSync(fingerprintFile, fingerprint);
      }
      mkdirSync(dir, { recursive: true });
    }
    const store = createStore({ schema, ...(dir ? { dir } : {}) });
    const indexer = new Indexer({
      manifest,
      schema,
      store,
      rpcUrl: options.rpc,
      log,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.confirmations !== undefined ? { confirmations: options.confirmations } : {}),
      ...(options.instancePolicy ? { instancePolicy: options.instancePolicy } : {}),
    });
    indexer.start();
    return { manifest, schema, store, indexer };
  }

  function status(): IndexingStatus {
    const { store, indexer, manifest } = running;
    const fatalError = store.fatalError();
    return {
      subgraph: name,
      synced: indexer.progress.synced && !fatalError,
      health: fatalError ? 'failed' : 'healthy',
      fatalError,
      chainHeadBlock: indexer.progress.chainHead,
      latestBlock: store.head(),
      earliestBlock: Math.min(...manifest.dataSources.map((ds) => ds.startBlock)),
      network: manifest.network,
    };
  }

  let server: RunningServer | null = null;
  if (options.port !== null) {
    server = await startServer({
      port: options.port ?? 8000,
      ...(options.host ? { host: options.host } : {}),
      // the server reads the store through this object, so a rebuild can swap it
      subgraphs: [{ name, schema: running.schema, store: storeProxy(() => running.store), status }],
    });
  }

  let watcher: FSWatcher | null = null;
  if (options.watch) {
    let timer: NodeJS.Timeout | null = null;
    let fingerprint = buildFingerprint(initial.dir);
    watcher = watch(initial.dir, { recursive: true }, () => {
      if (timer) clearTimeout(timer);
      // graph build writes many files: wait for it to settle
      timer = setTimeout(() => {
        let next: string;
        let manifest: Manifest;
        try {
          next = buildFingerprint(initial.dir);
          if (next === fingerprint) return;
          manifest = loadManifest(manifestFile);
        } catch (error) {
          log('error', `build output changed but cannot be loaded yet: ${(error as Error).message}`, {});
          return;
        }
        fingerprint = next;
        rebuilding = (async () => {
          log('info', 'build output changed: re-indexing from scratch', {});
          await running.indexer.stop();
          running.store.close();
          const dir = storeDir();
          if (dir) rmSync(dir, { recursive: true, force: true });
          running = open(manifest);
        })().catch((error: unknown) => log('error', `re-index failed: ${(error as Error).message}`, {}));
      }, 300);
    });
  }

  const url = server ? `${server.url.replace(/\/$/, '')}/subgraphs/name/${name}` : null;
  return {
    url,
    serverUrl: server?.url ?? null,
    name,
    waitForBlock: (block, timeoutMs) => running.indexer.waitForBlock(block, timeoutMs),
    status,
    store: () => running.store,
    progress: () => running.indexer.progress,
    async close() {
      watcher?.close();
      await rebuilding;
      await running.indexer.stop();
      await server?.close();
      running.store.close();
    },
  };
}

function defaultName(manifest: Manifest): string {
  const base = manifest.dataSources[0]?.name ?? 'subgraph';
  return base.toLowerCase().replace(/[^a-z0-9-_]/g, '-');
}

/** A store handle that always forwards to the current store (swapped on rebuild). */
function storeProxy(current: () => VersionedStore): VersionedStore {
  return new Proxy({} as VersionedStore, {
    get(_target, property) {
      const store = current();
      const value = Reflect.get(store, property, store) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(store) : value;
    },
    has(_target, property) {
      return Reflect.has(current(), property);
    },
  });
}
