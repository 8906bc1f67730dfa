/**
 * The versioned entity store: versioned tables per entity type (table.ts), the writes of the block being indexed
 * (block-buffer.ts) and, when `dir` is given, a write-ahead log with compacted snapshots (wal.ts).
 *
 * Write semantics follow graph-node's entity cache (graph/src/components/store/entity_cache.rs): `set`
 * merges the given fields onto the current entity (graph-ts sends every field the mapping has set on the
 * entity object, which after `load` is all of them), a field set to Null is removed, a `set` that changes
 * nothing creates no new version, and remove-then-set within a block starts from an empty entity.
 * Immutable entities may be written several times within the block that created them, but changing or
 * removing them in a later block fails like graph-node ("entity … is immutable").
 */
import type { BlockPtr, DynamicDataSource, Entity, EntityStore, FatalError, Value } from './api.js';
import type { SchemaInfo } from '../schema/index.js';
import { BlockBuffer, type Change } from './block-buffer.js';
import { refKeys, VersionedTable, type StoredVersion } from './table.js';
import { entitiesEqual, normalizeBigDecimalString } from './values.js';
import { StoreError } from './errors.js';
import { WriteAheadLog, type Recovery, type Replayed } from './wal.js';

export type { StoredVersion } from './table.js';
export { StoreError } from './errors.js';

/** Read side used by the GraphQL layer. Blocks are block numbers; "latest" is `head().number`. */
export interface VersionedStore extends EntityStore {
  readonly schema: SchemaInfo;
  /** The version of `type`/`id` visible at `block`. */
  getAt(type: string, id: string, block: number): StoredVersion | null;
  /** Every version of `type` visible at `block` (unordered). */
  entitiesAt(type: string, block: number): Iterable<StoredVersion>;
  /** Number of entities of `type` visible at `block` (cheap at the head). */
  countAt(type: string, block: number): number;
  /** Versions of `type` visible at `block` whose reference field `field` (single or list) contains `targetId`. */
  referencing(type: string, field: string, targetId: string, block: number): StoredVersion[];
  /**
   * Versions of `type` visible at the head, sorted ascending by (`field`, id) with nulls last; reading it
   * backwards gives graph-node's descending order (nulls first, id descending). Cached until the next write.
   */
  sortedAtHead(type: string, field: string): readonly StoredVersion[];
  /** Position of each live entity of `type` in `sortedAtHead(type, field)` (cached like it). */
  rankAtHead(type: string, field: string): ReadonlyMap<string, number>;
  /** A committed block by number, if remembered. */
  block(number: number): BlockPtr | null;
  /** Block number of a committed block by hash. */
  blockNumberByHash(hash: string): number | null;
  /** Earliest block with data (graph-node `earliest_block_number`). */
  earliestBlock(): number;
  /** Increases on every committed change (for caches). */
  generation(): number;
  /** Compact the on-disk log into the snapshot now (no-op in memory). */
  compact(): void;
}

export interface CreateStoreOptions {
  dir?: string;
  schema: SchemaInfo;
  /** Compact when the log grows beyond this many bytes (default 64 MiB). */
  compactAfterBytes?: number;
}

class MemoryStore implements VersionedStore {
  private readonly tables = new Map<string, VersionedTable>();
  private readonly blocks = new Map<number, BlockPtr>();
  private readonly blocksByHash = new Map<string, number>();
  private headPtr: BlockPtr | null = null;
  private fatal: FatalError | null = null;
  private sources: DynamicDataSource[] = [];
  /** Block number -> the (type, id) pairs whose versions that block opened or closed, for reverts. */
  private changedInBlock = new Map<number, Array<[string, string]>>();
  private gen = 0;
  private readonly buffer = new BlockBuffer();
  private readonly wal: WriteAheadLog | null = null;
  private closed = false;

  constructor(
    readonly schema: SchemaInfo,
    dir: string | undefined,
    compactAfterBytes: number | undefined,
  ) {
    for (const e of schema.entities.values()) this.tables.set(e.name, new VersionedTable(e));
    if (dir) {
      this.wal = new WriteAheadLog(dir, compactAfterBytes ?? 64 * 1024 * 1024, this.recovery(dir));
      if (this.wal.full()) this.compact();
    }
  }

  // ------------------------------------------------------------------------------------------ writer side

  beginBlock(block: BlockPtr): void {
    this.assertOpen();
    const open = this.buffer.block;
    if (open) {
      throw new StoreError(`beginBlock(${block.number}) while block ${open.number} is still open: commit or discard it first`);
    }
    if (this.headPtr && block.number <= this.headPtr.number) {
      throw new StoreError(`beginBlock(${block.number}) does not advance the head (block ${this.headPtr.number}); call revertTo first`);
    }
    this.buffer.open(block);
  }

  get(entityType: string, id: string): Entity | null {
    const table = this.table(entityType);
    const key = table.key(id);
    const p = this.buffer.get(entityType, key);
    if (p) return p.data ? new Map(p.data) : null;
    const live = table.live.get(key);
    return live ? new Map(live.data) : null;
  }

  getInBlock(entityType: string, id: string): Entity | null {
    const table = this.table(entityType);
    const p = this.buffer.get(entityType, table.key(id));
    return p?.data ? new Map(p.data) : null;
  }

  loadRelated(entityType: string, id: string, derivedField: string): Entity[] {
    const table = this.table(entityType);
    const field = table.info.fieldMap.get(derivedField);
    if (!field || field.derivedFrom === undefined) {
      throw new StoreError(`Entity type \`${entityType}\` has no derived field \`${derivedField}\``);
    }
    const key = table.key(id);
    const out: Entity[] = [];
    for (const t of this.concrete(field.typeName)) {
      const back = field.derivedFrom;
      const candidates = new Set<string>();
      if (back === 'id') candidates.add(key);
      else for (const cid of t.referencedBy(back, key) ?? []) candidates.add(cid);
      for (const cid of this.buffer.keys(t.info.name)) candidates.add(cid);
      for (const cid of candidates) {
        const e = this.get(t.info.name, cid);
        if (!e) continue;
        const v = e.get(back);
        if (v && refKeys(v).includes(key)) out.push(e);
      }
    }
    return out;
  }

  set(entityType: string, id: string, data: Entity): void {
    const block = this.requireBlock('set');
    const table = this.table(entityType);
    const key = table.key(id);
    const p = this.buffer.get(entityType, key);
    const current = p ? p.data : (table.live.get(key)?.data ?? null);
    // graph-node merges the update onto the current entity and drops Null fields (one copy, not two).
    const merged: Entity = current ? new Map(current) : new Map();
    for (const [k, v] of data) {
      const f = table.info.fieldMap.get(k);
      if (f?.derivedFrom !== undefined) {
        throw new StoreError(`Entity \`${entityType}\`[${id}]: field \`${k}\` is derived (@derivedFrom) and can not be set`);
      }
      if (v.kind === 'Null') merged.delete(k);
      else merged.set(k, normalizeValue(v));
    }
    if (table.info.immutable) {
      const committed = table.live.get(key);
      if (committed && !entitiesEqual(committed.data, merged)) {
        throw new StoreError(
          `entity ${entityType}[${key}] is immutable; updating it at block ${block.number} is not possible as it was already inserted at block ${committed.start}`,
        );
      }
    }
    this.buffer.put(entityType, key, merged);
  }

  remove(entityType: string, id: string): void {
    const block = this.requireBlock('remove');
    const table = this.table(entityType);
    const key = table.key(id);
    if (table.info.immutable) {
      const committed = table.live.get(key);
      if (committed) {
        throw new StoreError(
          `immutable entity type ${entityType} only allows inserts, not removing ${entityType}[${key}] at block ${block.number}`,
        );
      }
    }
    this.buffer.put(entityType, key, null);
  }

  commitBlock(): void {
    const block = this.requireBlock('commitBlock');
    const changes = this.buffer.changes(this.tables);
    const ds = this.buffer.sources;
    this.wal?.commit(block, changes, ds);
    this.applyCommit(block, changes, ds);
    this.buffer.clear();
    if (this.wal?.full()) this.compact();
  }

  discardBlock(): void {
    this.buffer.clear();
  }

  revertTo(block: BlockPtr): void {
    this.assertOpen();
    this.discardBlock();
    this.wal?.revert(block);
    this.applyRevert(block);
  }

  head(): BlockPtr | null {
    return this.headPtr;
  }

  blockHash(number: number): `0x${string}` | null {
    return this.blocks.get(number)?.hash ?? null;
  }

  fatalError(): FatalError | null {
    return this.fatal;
  }

  setFatalError(error: FatalError | null): void {
    this.assertOpen();
    this.wal?.fatal(error);
    this.fatal = error;
    this.gen++;
  }

  dataSources(): DynamicDataSource[] {
    return [...this.sources, ...this.buffer.sources];
  }

  addDataSource(ds: DynamicDataSource): void {
    this.assertOpen();
    if (this.buffer.block) {
      this.buffer.sources.push(ds);
      return;
    }
    this.wal?.dataSource(ds);
    this.sources.push(ds);
  }

  close(): void {
    if (this.closed) return;
    this.wal?.close();
    this.closed = true;
  }

  // ------------------------------------------------------------------------------------------ reader side

  getAt(type: string, id: string, block: number): StoredVersion | null {
    const table = this.tables.get(type);
    if (!table) return null;
    return table.at(table.key(id), block);
  }

  entitiesAt(type: string, block: number): Iterable<StoredVersion> {
    const table = this.tables.get(type);
    if (!table) return [];
    return table.visibleAt(block, this.atHead(block));
  }

  countAt(type: string, block: number): number {
    const table = this.tables.get(type);
    if (!table) return 0;
    if (this.atHead(block)) return table.live.size;
    let n = 0;
    for (const _ of table.visibleAt(block, false)) n++;
    return n;
  }

  referencing(type: string, field: string, targetId: string, block: number): StoredVersion[] {
    return this.tables.get(type)?.referencing(field, targetId, block) ?? [];
  }

  sortedAtHead(type: string, field: string): readonly StoredVersion[] {
    return this.tables.get(type)?.sortedAtHead(field) ?? [];
  }

  rankAtHead(type: string, field: string): ReadonlyMap<string, number> {
    return this.tables.get(type)?.rankAtHead(field) ?? new Map();
  }

  block(number: number): BlockPtr | null {
    return this.blocks.get(number) ?? null;
  }

  blockNumberByHash(hash: string): number | null {
    return this.blocksByHash.get(hash.toLowerCase()) ?? null;
  }

  earliestBlock(): number {
    let min = Infinity;
    for (const n of this.blocks.keys()) if (n < min) min = n;
    return min === Infinity ? 0 : min;
  }

  generation(): number {
    return this.gen;
  }

  compact(): void {
    if (!this.wal || this.closed) return;
    const tables = this.tables;
    this.wal.compact({
      head: this.headPtr,
      blocks: this.blocks.values(),
      fatal: this.fatal,
      dataSources: this.sources,
      types: (function* () {
        for (const [name, table] of tables) {
          yield [name, (function* () {
            for (const vs of table.versions.values()) yield* vs;
          })()] as [string, Iterable<StoredVersion>];
        }
      })(),
    });
  }

  // ------------------------------------------------------------------------------------------ internals

  private atHead(block: number): boolean {
    return this.headPtr !== null && block >= this.headPtr.number;
  }

  private applyCommit(block: BlockPtr, changes: readonly Change[], ds: readonly DynamicDataSource[]) {
    const n = block.number;
    const touched: Array<[string, string]> = [];
    for (const [type, id, data] of changes) {
      const table = this.tables.get(type);
      if (!table) throw new StoreError(`log refers to unknown entity type ${type}`);
      table.write(id, data, n);
      touched.push([type, id]);
    }
    if (touched.length > 0) this.changedInBlock.set(n, touched);
    this.sources.push(...ds);
    this.headPtr = block;
    this.blocks.set(n, block);
    this.blocksByHash.set(block.hash.toLowerCase(), n);
    this.gen++;
  }

  private applyRevert(block: BlockPtr) {
    const n = block.number;
    for (const [bn, touched] of [...this.changedInBlock]) {
      if (bn <= n) continue;
      for (const [type, id] of touched) this.tables.get(type)!.revert(id, n);
      this.changedInBlock.delete(bn);
    }
    for (const [bn, b] of [...this.blocks]) {
      if (bn > n) {
        this.blocks.delete(bn);
        this.blocksByHash.delete(b.hash.toLowerCase());
      }
    }
    // Keep what we know about the block (timestamp, parent) when the caller only passes number and hash.
    const known = this.blocks.get(n);
    const ptr = known && known.hash.toLowerCase() === block.hash.toLowerCase() ? { ...known, ...block, ...pick(known) } : block;
    this.blocks.set(n, ptr);
    this.blocksByHash.set(ptr.hash.toLowerCase(), n);
    this.sources = this.sources.filter((d) => d.createdAtBlock <= n);
    if (this.fatal && this.fatal.block.number > n) this.fatal = null;
    this.headPtr = ptr;
    this.gen++;
  }

  /** How the write-ahead log hands back what it holds when the store opens `dir`. */
  private recovery(dir: string): Recovery {
    return {
      restore: (image, snapshotPath) => {
        for (const ptr of image.blocks) {
          this.blocks.set(ptr.number, ptr);
          this.blocksByHash.set(ptr.hash.toLowerCase(), ptr.number);
        }
        this.headPtr = image.head;
        this.fatal = image.fatal;
        this.sources = image.dataSources;
        for (const [type, versions] of Object.entries(image.types)) {
          const table = this.tables.get(type);
          if (!table) {
            if (versions.length > 0) {
              throw new StoreError(
                `${snapshotPath} holds entities of type \`${type}\` that the schema no longer has; delete ${dir} to re-index`,
              );
            }
            continue;
          }
          for (const v of versions) {
            table.restore(v);
            this.touch(v.start, type, v.id);
            // The block that closed a version must be revertable too.
            if (v.end !== Infinity) this.touch(v.end, type, v.id);
          }
        }
        for (const table of this.tables.values()) table.sortVersions();
      },
      replay: (record: Replayed) => {
        switch (record.kind) {
          case 'commit':
            this.applyCommit(record.block, record.changes, record.dataSources);
            break;
          case 'revert':
            this.applyRevert(record.block);
            break;
          case 'fatal':
            this.fatal = record.error;
            break;
          case 'dataSource':
            this.sources.push(record.dataSource);
            break;
        }
      },
    };
  }

  private touch(block: number, type: string, id: string) {
    let touched = this.changedInBlock.get(block);
    if (!touched) this.changedInBlock.set(block, (touched = []));
    touched.push([type, id]);
  }

  private table(entityType: string): VersionedTable {
    const t = this.tables.get(entityType);
    if (!t) {
      if (this.schema.interfaces.has(entityType)) {
        throw new StoreError(`\`${entityType}\` is an interface; entities are stored under their concrete type`);
      }
      throw new StoreError(`Unknown entity type \`${entityType}\``);
    }
    return t;
  }

  private concrete(typeName: string): VersionedTable[] {
    const t = this.tables.get(typeName);
    if (t) return [t];
    const i = this.schema.interfaces.get(typeName);
    return i ? i.implementers.map((n) => this.tables.get(n)!) : [];
  }

  private requireBlock(what: string): BlockPtr {
    this.assertOpen();
    const block = this.buffer.block;
    if (!block) throw new StoreError(`${what} called outside beginBlock … commitBlock`);
    return block;
  }

  private assertOpen() {
    if (this.closed) throw new StoreError('store is closed');
  }
}

/** The optional block fields that are set. */
function pick(b: BlockPtr): Partial<BlockPtr> {
  return {
    ...(b.parentHash !== undefined ? { parentHash: b.parentHash } : {}),
    ...(b.timestamp !== undefined ? { timestamp: b.timestamp } : {}),
  };
}

function normalizeValue(v: Value): Value {
  switch (v.kind) {
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: normalizeBigDecimalString(v.value) };
    case 'List':
      return { kind: 'List', value: v.value.map(normalizeValue) };
    default:
      return v;
  }
}

/** Create a versioned entity store; persistent under `dir` when given, in memory otherwise. */
export function createStore(opts: CreateStoreOptions): VersionedStore {
  return new MemoryStore(opts.schema, opts.dir, opts.compactAfterBytes);
}
