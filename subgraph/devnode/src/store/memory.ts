/**
 * The versioned entity store: every entity version carries the block range [start, end) in which it is
 * valid, as graph-node's `block_range` column does (docs/implementation/time-travel.md). An update or a
 * removal at block B closes the open version at B; a query at block B sees the versions with
 * start <= B < end. `revertTo(N)` drops the versions that start after N and reopens those closed after N.
 *
 * Write semantics follow graph-node's entity cache (graph/src/components/store/entity_cache.rs): `set`
 * merges the given fields onto the current entity (graph-ts sends every field the mapping has set on the
 * entity object, which after `load` is all of them), a field set to Null is removed, a `set` that changes
 * nothing creates no new version, and remove-then-set within a block starts from an empty entity.
 * Immutable entities may be written several times within the block that created them, but changing or
 * removing them in a later block fails like graph-node ("entity … is immutable").
 *
 * Persistence (when `dir` is given): `log.jsonl` gets one line per committed block / revert / fatal
 * error, fsync'ed before `commitBlock` returns; `snapshot.json` holds a compacted image (written to a
 * temporary file, fsync'ed and renamed). Log records carry a sequence number so a crash between writing
 * the snapshot and truncating the log replays nothing twice. No native modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BlockPtr, DynamicDataSource, Entity, EntityStore, FatalError, Value } from './api.js';
import type { EntityTypeInfo, FieldInfo, SchemaInfo } from '../schema/index.js';
import {
  bytesToHex,
  compareBytes,
  compareValues,
  hexToBytes,
  decodeEntity,
  encodeEntity,
  entitiesEqual,
  normalizeBigDecimalString,
  type EncodedEntity,
} from './values.js';

export interface StoredVersion {
  readonly id: string;
  readonly data: Entity;
  /** First block at which this version is visible. */
  readonly start: number;
  /** First block at which it is no longer visible (Infinity while current). */
  end: number;
}

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

type PendingOp = { data: Entity | null };

class TypeTable {
  readonly versions = new Map<string, StoredVersion[]>();
  readonly live = new Map<string, StoredVersion>();
  /** field -> target id -> ids of entities that referenced it in some version (verified on read). */
  readonly refIndex = new Map<string, Map<string, Set<string>>>();
  readonly refFields: FieldInfo[];
  sorted = new Map<string, StoredVersion[]>();
  ranks = new Map<string, Map<string, number>>();

  constructor(readonly info: EntityTypeInfo) {
    this.refFields = info.fields.filter(
      (f) => (f.kind === 'entity' || f.kind === 'interface') && f.derivedFrom === undefined,
    );
    for (const f of this.refFields) this.refIndex.set(f.name, new Map());
  }

  index(v: StoredVersion) {
    for (const f of this.refFields) {
      const val = v.data.get(f.name);
      if (!val) continue;
      const idx = this.refIndex.get(f.name)!;
      for (const key of refKeys(val)) {
        let set = idx.get(key);
        if (!set) idx.set(key, (set = new Set()));
        set.add(v.id);
      }
    }
  }

  at(id: string, block: number): StoredVersion | null {
    const live = this.live.get(id);
    if (live && live.start <= block) return live;
    const vs = this.versions.get(id);
    if (!vs) return null;
    for (let i = vs.length - 1; i >= 0; i--) {
      const v = vs[i]!;
      if (v.start <= block) return block < v.end ? v : null;
    }
    return null;
  }
}

function refKeys(v: Value): string[] {
  switch (v.kind) {
    case 'String':
      return [v.value];
    case 'Bytes':
      return [bytesKey(v.value)];
    case 'Int8':
      return [v.value.toString()];
    case 'List':
      return v.value.flatMap(refKeys);
    default:
      return [];
  }
}

const bytesKey = bytesToHex;

interface LogCommit {
  t: 'c';
  q: number;
  b: EncodedBlock;
  ch: Array<[string, string, EncodedEntity | null]>;
  ds?: EncodedDataSource[];
}
interface LogRevert {
  t: 'r';
  q: number;
  b: EncodedBlock;
}
interface LogFatal {
  t: 'f';
  q: number;
  e: EncodedFatal | null;
}
interface LogDataSource {
  t: 'd';
  q: number;
  ds: EncodedDataSource;
}
type LogRecord = LogCommit | LogRevert | LogFatal | LogDataSource;

type EncodedBlock = { n: number; h: string; p?: string; ts?: string };
type EncodedFatal = { m: string; b: EncodedBlock; h?: string; d: boolean };
type EncodedDataSource = { t: string; a: string; c: EncodedEntity | null; n: number };

interface Snapshot {
  version: 1;
  seq: number;
  head: EncodedBlock | null;
  blocks: EncodedBlock[];
  fatal: EncodedFatal | null;
  dataSources: EncodedDataSource[];
  types: Record<string, Array<[string, number, number | null, EncodedEntity]>>;
}

const encBlock = (b: BlockPtr): EncodedBlock => ({
  n: b.number,
  h: b.hash,
  ...(b.parentHash ? { p: b.parentHash } : {}),
  ...(b.timestamp !== undefined ? { ts: b.timestamp.toString() } : {}),
});
const decBlock = (b: EncodedBlock): BlockPtr => ({
  number: b.n,
  hash: b.h as `0x${string}`,
  ...(b.p ? { parentHash: b.p as `0x${string}` } : {}),
  ...(b.ts !== undefined ? { timestamp: BigInt(b.ts) } : {}),
});
const encFatal = (e: FatalError): EncodedFatal => ({
  m: e.message,
  b: encBlock(e.block),
  ...(e.handler !== undefined ? { h: e.handler } : {}),
  d: e.deterministic,
});
const decFatal = (e: EncodedFatal): FatalError => ({
  message: e.m,
  block: decBlock(e.b),
  ...(e.h !== undefined ? { handler: e.h } : {}),
  deterministic: e.d,
});
const encDs = (d: DynamicDataSource): EncodedDataSource => ({
  t: d.template,
  a: d.address,
  c: d.context ? encodeEntity(d.context) : null,
  n: d.createdAtBlock,
});
const decDs = (d: EncodedDataSource): DynamicDataSource => ({
  template: d.t,
  address: d.a as `0x${string}`,
  context: d.c ? decodeEntity(d.c) : null,
  createdAtBlock: d.n,
});

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

class MemoryStore implements VersionedStore {
  private readonly tables = new Map<string, TypeTable>();
  private readonly blocks = new Map<number, BlockPtr>();
  private readonly blocksByHash = new Map<string, number>();
  private headPtr: BlockPtr | null = null;
  private fatal: FatalError | null = null;
  private sources: DynamicDataSource[] = [];
  private changedInBlock = new Map<number, Array<[string, string]>>();
  private gen = 0;

  private pendingBlock: BlockPtr | null = null;
  private pending = new Map<string, Map<string, PendingOp>>();
  private pendingSources: DynamicDataSource[] = [];

  private seq = 0;
  private logFd: number | null = null;
  private logBytes = 0;
  private readonly compactAfter: number;
  private closed = false;

  constructor(
    readonly schema: SchemaInfo,
    private readonly dir: string | undefined,
    compactAfterBytes: number | undefined,
  ) {
    this.compactAfter = compactAfterBytes ?? 64 * 1024 * 1024;
    for (const e of schema.entities.values()) this.tables.set(e.name, new TypeTable(e));
    if (dir) this.open(dir);
  }

  // ------------------------------------------------------------------------------------------ writer side

  beginBlock(block: BlockPtr): void {
    this.assertOpen();
    if (this.pendingBlock) {
      throw new StoreError(
        `beginBlock(${block.number}) while block ${this.pendingBlock.number} is still open: commit or discard it first`,
      );
    }
    if (this.headPtr && block.number <= this.headPtr.number) {
      throw new StoreError(
        `beginBlock(${block.number}) does not advance the head (block ${this.headPtr.number}); call revertTo first`,
      );
    }
    this.pendingBlock = block;
  }

  get(entityType: string, id: string): Entity | null {
    const table = this.table(entityType);
    const key = this.key(table, id);
    const p = this.pending.get(entityType)?.get(key);
    if (p) return p.data ? new Map(p.data) : null;
    const live = table.live.get(key);
    return live ? new Map(live.data) : null;
  }

  getInBlock(entityType: string, id: string): Entity | null {
    const table = this.table(entityType);
    const p = this.pending.get(entityType)?.get(this.key(table, id));
    return p?.data ? new Map(p.data) : null;
  }

  loadRelated(entityType: string, id: string, derivedField: string): Entity[] {
    const table = this.table(entityType);
    const field = table.info.fieldMap.get(derivedField);
    if (!field || field.derivedFrom === undefined) {
      throw new StoreError(`Entity type \`${entityType}\` has no derived field \`${derivedField}\``);
    }
    const key = this.key(table, id);
    const out: Entity[] = [];
    for (const t of this.concrete(field.typeName)) {
      const back = field.derivedFrom;
      const candidates = new Set<string>();
      if (back === 'id') candidates.add(key);
      else for (const cid of t.refIndex.get(back)?.get(key) ?? []) candidates.add(cid);
      for (const cid of this.pending.get(t.info.name)?.keys() ?? []) candidates.add(cid);
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
    const key = this.key(table, id);
    const p = this.pending.get(entityType)?.get(key);
    const current = p ? p.data : (table.live.get(key)?.data ?? null);
    // graph-node merges the update onto the current entity and drops Null fields (one copy, not two).
    const merged: Entity = current ? new Map(current) : new Map();
    for (const [k, v] of data) {
      const f = table.info.fieldMap.get(k);
      if (f?.derivedFrom !== undefined) {
        throw new StoreError(
          `Entity \`${entityType}\`[${id}]: field \`${k}\` is derived (@derivedFrom) and can not be set`,
        );
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
    this.pendingFor(entityType).set(key, { data: merged });
  }

  remove(entityType: string, id: string): void {
    const block = this.requireBlock('remove');
    const table = this.table(entityType);
    const key = this.key(table, id);
    if (table.info.immutable) {
      const committed = table.live.get(key);
      if (committed) {
        throw new StoreError(
          `immutable entity type ${entityType} only allows inserts, not removing ${entityType}[${key}] at block ${block.number}`,
        );
      }
    }
    this.pendingFor(entityType).set(key, { data: null });
  }

  commitBlock(): void {
    const block = this.requireBlock('commitBlock');
    const changes: Array<[string, string, Entity | null]> = [];
    for (const [type, ops] of this.pending) {
      const table = this.tables.get(type)!;
      for (const [id, op] of ops) {
        const live = table.live.get(id);
        if (op.data === null) {
          if (live) changes.push([type, id, null]);
        } else if (!live || !entitiesEqual(live.data, op.data)) {
          changes.push([type, id, op.data]);
        }
      }
    }
    const ds = this.pendingSources;
    if (this.logFd !== null) {
      this.appendLog({
        t: 'c',
        q: ++this.seq,
        b: encBlock(block),
        ch: changes.map(([t, id, d]) => [t, id, d ? encodeEntity(d) : null]),
        ...(ds.length > 0 ? { ds: ds.map(encDs) } : {}),
      });
    }
    this.applyCommit(block, changes, ds);
    this.pendingBlock = null;
    this.pending = new Map();
    this.pendingSources = [];
    this.maybeCompact();
  }

  discardBlock(): void {
    this.pendingBlock = null;
    this.pending = new Map();
    this.pendingSources = [];
  }

  revertTo(block: BlockPtr): void {
    this.assertOpen();
    this.discardBlock();
    if (this.logFd !== null) this.appendLog({ t: 'r', q: ++this.seq, b: encBlock(block) });
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
    if (this.logFd !== null) this.appendLog({ t: 'f', q: ++this.seq, e: error ? encFatal(error) : null });
    this.fatal = error;
    this.gen++;
  }

  dataSources(): DynamicDataSource[] {
    return [...this.sources, ...this.pendingSources];
  }

  addDataSource(ds: DynamicDataSource): void {
    this.assertOpen();
    if (this.pendingBlock) {
      this.pendingSources.push(ds);
      return;
    }
    if (this.logFd !== null) this.appendLog({ t: 'd', q: ++this.seq, ds: encDs(ds) });
    this.sources.push(ds);
  }

  close(): void {
    if (this.closed) return;
    if (this.logFd !== null) {
      fs.closeSync(this.logFd);
      this.logFd = null;
    }
    this.closed = true;
  }

  // ------------------------------------------------------------------------------------------ reader side

  getAt(type: string, id: string, block: number): StoredVersion | null {
    const table = this.tables.get(type);
    if (!table) return null;
    return table.at(this.key(table, id), block);
  }

  entitiesAt(type: string, block: number): Iterable<StoredVersion> {
    const table = this.tables.get(type);
    if (!table) return [];
    if (this.headPtr && block >= this.headPtr.number) return table.live.values();
    const out: StoredVersion[] = [];
    for (const vs of table.versions.values()) {
      for (let i = vs.length - 1; i >= 0; i--) {
        const v = vs[i]!;
        if (v.start <= block) {
          if (block < v.end) out.push(v);
          break;
        }
      }
    }
    return out;
  }

  rankAtHead(type: string, field: string): ReadonlyMap<string, number> {
    const table = this.tables.get(type);
    if (!table) return new Map();
    let r = table.ranks.get(field);
    if (!r) {
      r = new Map();
      const sorted = this.sortedAtHead(type, field);
      for (let i = 0; i < sorted.length; i++) r.set(sorted[i]!.id, i);
      table.ranks.set(field, r);
    }
    return r;
  }

  countAt(type: string, block: number): number {
    const table = this.tables.get(type);
    if (!table) return 0;
    if (this.headPtr && block >= this.headPtr.number) return table.live.size;
    let n = 0;
    for (const _ of this.entitiesAt(type, block)) n++;
    return n;
  }

  referencing(type: string, field: string, targetId: string, block: number): StoredVersion[] {
    const table = this.tables.get(type);
    if (!table) return [];
    const out: StoredVersion[] = [];
    if (field === 'id') {
      const v = table.at(targetId, block);
      return v ? [v] : [];
    }
    const ids = table.refIndex.get(field)?.get(targetId);
    if (!ids) return out;
    // The index may hold ids whose reference changed since: verify against the visible version.
    let targetBytes: Uint8Array | null | undefined;
    const matches = (val: Value): boolean => {
      switch (val.kind) {
        case 'String':
          return val.value === targetId;
        case 'Bytes':
          if (targetBytes === undefined) targetBytes = hexToBytes(targetId);
          return targetBytes !== null && compareBytes(val.value, targetBytes) === 0;
        case 'Int8':
          return val.value.toString() === targetId;
        case 'List':
          return val.value.some(matches);
        default:
          return false;
      }
    };
    for (const id of ids) {
      const v = table.at(id, block);
      if (!v) continue;
      const val = v.data.get(field);
      if (val && matches(val)) out.push(v);
    }
    return out;
  }

  sortedAtHead(type: string, field: string): readonly StoredVersion[] {
    const table = this.tables.get(type);
    if (!table) return [];
    let s = table.sorted.get(field);
    if (!s) {
      s = [...table.live.values()];
      const NULL: Value = { kind: 'Null' };
      s.sort((a, b) => {
        const c = compareValues(a.data.get(field) ?? NULL, b.data.get(field) ?? NULL);
        return c !== 0 ? c : compareValues(a.data.get('id') ?? NULL, b.data.get('id') ?? NULL);
      });
      table.sorted.set(field, s);
    }
    return s;
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
    if (!this.dir || this.closed) return;
    const snap: Snapshot = {
      version: 1,
      seq: this.seq,
      head: this.headPtr ? encBlock(this.headPtr) : null,
      blocks: [...this.blocks.values()].map(encBlock),
      fatal: this.fatal ? encFatal(this.fatal) : null,
      dataSources: this.sources.map(encDs),
      types: {},
    };
    for (const [name, table] of this.tables) {
      const rows: Snapshot['types'][string] = [];
      for (const vs of table.versions.values()) {
        for (const v of vs) rows.push([v.id, v.start, v.end === Infinity ? null : v.end, encodeEntity(v.data)]);
      }
      snap.types[name] = rows;
    }
    const tmp = path.join(this.dir, 'snapshot.json.tmp');
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(snap));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(this.dir, 'snapshot.json'));
    fsyncDir(this.dir);
    if (this.logFd !== null) {
      fs.ftruncateSync(this.logFd, 0);
      fs.fsyncSync(this.logFd);
      this.logBytes = 0;
    }
  }

  // ------------------------------------------------------------------------------------------ internals

  private applyCommit(block: BlockPtr, changes: Array<[string, string, Entity | null]>, ds: DynamicDataSource[]) {
    const n = block.number;
    const touched: Array<[string, string]> = [];
    for (const [type, id, data] of changes) {
      const table = this.tables.get(type);
      if (!table) throw new StoreError(`log refers to unknown entity type ${type}`);
      const live = table.live.get(id);
      if (live) {
        live.end = n;
        table.live.delete(id);
      }
      if (data) {
        const v: StoredVersion = { id, data, start: n, end: Infinity };
        let vs = table.versions.get(id);
        if (!vs) table.versions.set(id, (vs = []));
        vs.push(v);
        table.live.set(id, v);
        table.index(v);
      }
      table.sorted.clear();
        table.ranks.clear();
      touched.push([type, id]);
    }
    if (touched.length > 0) this.changedInBlock.set(n, touched);
    this.sources.push(...ds);
    this.setHead(block);
    this.blocks.set(n, block);
    this.blocksByHash.set(block.hash.toLowerCase(), n);
    this.gen++;
  }

  private applyRevert(block: BlockPtr) {
    const n = block.number;
    for (const [bn, touched] of [...this.changedInBlock]) {
      if (bn <= n) continue;
      for (const [type, id] of touched) {
        const table = this.tables.get(type)!;
        const vs = table.versions.get(id);
        if (!vs) continue;
        while (vs.length > 0 && vs[vs.length - 1]!.start > n) vs.pop();
        table.live.delete(id);
        const last = vs[vs.length - 1];
        if (last && last.end > n) {
          last.end = Infinity;
          table.live.set(id, last);
        }
        if (vs.length === 0) table.versions.delete(id);
        table.sorted.clear();
        table.ranks.clear();
      }
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

  private setHead(block: BlockPtr) {
    this.headPtr = block;
  }

  private table(entityType: string): TypeTable {
    const t = this.tables.get(entityType);
    if (!t) {
      if (this.schema.interfaces.has(entityType)) {
        throw new StoreError(`\`${entityType}\` is an interface; entities are stored under their concrete type`);
      }
      throw new StoreError(`Unknown entity type \`${entityType}\``);
    }
    return t;
  }

  private concrete(typeName: string): TypeTable[] {
    const t = this.tables.get(typeName);
    if (t) return [t];
    const i = this.schema.interfaces.get(typeName);
    return i ? i.implementers.map((n) => this.tables.get(n)!) : [];
  }

  private key(table: TypeTable, id: string): string {
    return table.info.idType === 'Bytes' ? id.toLowerCase() : id;
  }

  private pendingFor(type: string): Map<string, PendingOp> {
    let m = this.pending.get(type);
    if (!m) this.pending.set(type, (m = new Map()));
    return m;
  }

  private requireBlock(what: string): BlockPtr {
    this.assertOpen();
    if (!this.pendingBlock) throw new StoreError(`${what} called outside beginBlock … commitBlock`);
    return this.pendingBlock;
  }

  private assertOpen() {
    if (this.closed) throw new StoreError('store is closed');
  }

  private appendLog(rec: LogRecord) {
    const line = `${JSON.stringify(rec)}\n`;
    fs.writeSync(this.logFd!, line);
    fs.fsyncSync(this.logFd!);
    this.logBytes += Buffer.byteLength(line);
  }

  private maybeCompact() {
    if (this.logFd !== null && this.logBytes > this.compactAfter) this.compact();
  }

  private open(dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    const snapPath = path.join(dir, 'snapshot.json');
    let snapSeq = 0;
    if (fs.existsSync(snapPath)) {
      const snap = JSON.parse(fs.readFileSync(snapPath, 'utf8')) as Snapshot;
      if (snap.version !== 1) throw new StoreError(`${snapPath}: unsupported snapshot version ${String(snap.version)}`);
      snapSeq = snap.seq;
      this.seq = snap.seq;
      for (const b of snap.blocks) {
        const ptr = decBlock(b);
        this.blocks.set(ptr.number, ptr);
        this.blocksByHash.set(ptr.hash.toLowerCase(), ptr.number);
      }
      this.headPtr = snap.head ? decBlock(snap.head) : null;
      this.fatal = snap.fatal ? decFatal(snap.fatal) : null;
      this.sources = snap.dataSources.map(decDs);
      for (const [type, rows] of Object.entries(snap.types)) {
        const table = this.tables.get(type);
        if (!table) {
          if (rows.length > 0) {
            throw new StoreError(
              `${snapPath} holds entities of type \`${type}\` that the schema no longer has; delete ${dir} to re-index`,
            );
          }
          continue;
        }
        for (const [id, start, end, data] of rows) {
          const v: StoredVersion = { id, start, end: end ?? Infinity, data: decodeEntity(data) };
          let vs = table.versions.get(id);
          if (!vs) table.versions.set(id, (vs = []));
          vs.push(v);
          if (v.end === Infinity) table.live.set(id, v);
          table.index(v);
          let touched = this.changedInBlock.get(start);
          if (!touched) this.changedInBlock.set(start, (touched = []));
          touched.push([type, id]);
          if (end !== null) {
            // The block that closed a version must be revertable too.
            let closedBy = this.changedInBlock.get(end);
            if (!closedBy) this.changedInBlock.set(end, (closedBy = []));
            closedBy.push([type, id]);
          }
        }
      }
      for (const vs of this.tables.values()) for (const list of vs.versions.values()) list.sort((a, b) => a.start - b.start);
    }
    const logPath = path.join(dir, 'log.jsonl');
    if (fs.existsSync(logPath)) {
      const text = fs.readFileSync(logPath, 'utf8');
      const lines = text.split('\n');
      let validBytes = 0;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line === '') continue;
        let rec: LogRecord;
        try {
          rec = JSON.parse(line) as LogRecord;
        } catch {
          if (i === lines.length - 1) break; // torn final write: the block was never acknowledged
          throw new StoreError(`${logPath}: corrupt record on line ${i + 1}`);
        }
        validBytes += Buffer.byteLength(line) + 1;
        if (rec.q <= snapSeq) continue;
        this.seq = rec.q;
        this.replay(rec);
      }
      if (validBytes !== Buffer.byteLength(text)) fs.truncateSync(logPath, validBytes);
      this.logBytes = validBytes;
    }
    this.logFd = fs.openSync(logPath, 'a');
    if (this.logBytes > this.compactAfter) this.compact();
  }

  private replay(rec: LogRecord) {
    switch (rec.t) {
      case 'c':
        this.applyCommit(
          decBlock(rec.b),
          rec.ch.map(([t, id, d]) => [t, id, d ? decodeEntity(d) : null]),
          (rec.ds ?? []).map(decDs),
        );
        break;
      case 'r':
        this.applyRevert(decBlock(rec.b));
        break;
      case 'f':
        this.fatal = rec.e ? decFatal(rec.e) : null;
        break;
      case 'd':
        this.sources.push(decDs(rec.ds));
        break;
    }
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

function fsyncDir(dir: string) {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/** Create a versioned entity store; persistent under `dir` when given, in memory otherwise. */
export function createStore(opts: CreateStoreOptions): VersionedStore {
  return new MemoryStore(opts.schema, opts.dir, opts.compactAfterBytes);
}
