/**
 * Persistence of the versioned store: a write-ahead log and a compacted snapshot.
 *
 * `log.jsonl` gets one line per committed block / revert / fatal error / data source added between blocks, fsync'ed
 * before the write returns; `snapshot.json` holds a compacted image (written to a temporary file, fsync'ed and
 * renamed), after which the log is truncated. Log records carry a sequence number so a crash between writing the
 * snapshot and truncating the log replays nothing twice; a torn final line (a block never acknowledged) is dropped.
 * No native modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BlockPtr, DynamicDataSource, Entity, FatalError } from './api.js';
import type { Change } from './block-buffer.js';
import { StoreError } from './errors.js';
import type { StoredVersion } from './table.js';
import { decodeEntity, encodeEntity, type EncodedEntity } from './values.js';

type EncodedBlock = { n: number; h: string; p?: string; ts?: string };
type EncodedFatal = { m: string; b: EncodedBlock; h?: string; d: boolean };
type EncodedDataSource = { t: string; a: string; c: EncodedEntity | null; n: number };

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

interface Snapshot {
  version: 1;
  seq: number;
  head: EncodedBlock | null;
  blocks: EncodedBlock[];
  fatal: EncodedFatal | null;
  dataSources: EncodedDataSource[];
  types: Record<string, Array<[string, number, number | null, EncodedEntity]>>;
}

/** A logged event, decoded, for the store to apply again on open. */
export type Replayed =
  | { kind: 'commit'; block: BlockPtr; changes: Change[]; dataSources: DynamicDataSource[] }
  | { kind: 'revert'; block: BlockPtr }
  | { kind: 'fatal'; error: FatalError | null }
  | { kind: 'dataSource'; dataSource: DynamicDataSource };

/** The store's whole state, as the snapshot holds it. */
export interface StoreImage {
  head: BlockPtr | null;
  blocks: Iterable<BlockPtr>;
  fatal: FatalError | null;
  dataSources: readonly DynamicDataSource[];
  /** Entity type -> every version of it. */
  types: Iterable<[string, Iterable<StoredVersion>]>;
}

/** What opening a store directory calls back with: the snapshot first (if any), then every newer log record. */
export interface Recovery {
  restore(image: { head: BlockPtr | null; blocks: BlockPtr[]; fatal: FatalError | null; dataSources: DynamicDataSource[]; types: Record<string, StoredVersion[]> }, snapshotPath: string): void;
  replay(record: Replayed): void;
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
const encEntity = (d: Entity | null): EncodedEntity | null => (d ? encodeEntity(d) : null);

export class WriteAheadLog {
  private seq = 0;
  private fd: number;
  private bytes = 0;

  /** Opens (or creates) the store directory `dir`, recovering its state through `recovery`. */
  constructor(
    private readonly dir: string,
    private readonly compactAfter: number,
    recovery: Recovery,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    const snapSeq = this.readSnapshot(recovery);
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
        recovery.replay(decodeRecord(rec));
      }
      if (validBytes !== Buffer.byteLength(text)) fs.truncateSync(logPath, validBytes);
      this.bytes = validBytes;
    }
    this.fd = fs.openSync(logPath, 'a');
  }

  commit(block: BlockPtr, changes: readonly Change[], dataSources: readonly DynamicDataSource[]): void {
    this.append({
      t: 'c',
      q: ++this.seq,
      b: encBlock(block),
      ch: changes.map(([t, id, d]) => [t, id, encEntity(d)]),
      ...(dataSources.length > 0 ? { ds: dataSources.map(encDs) } : {}),
    });
  }

  revert(block: BlockPtr): void {
    this.append({ t: 'r', q: ++this.seq, b: encBlock(block) });
  }

  fatal(error: FatalError | null): void {
    this.append({ t: 'f', q: ++this.seq, e: error ? encFatal(error) : null });
  }

  dataSource(ds: DynamicDataSource): void {
    this.append({ t: 'd', q: ++this.seq, ds: encDs(ds) });
  }

  /** Whether the log has grown past the compaction threshold. */
  full(): boolean {
    return this.bytes > this.compactAfter;
  }

  /** Writes `image` as the snapshot and truncates the log. */
  compact(image: StoreImage): void {
    const snap: Snapshot = {
      version: 1,
      seq: this.seq,
      head: image.head ? encBlock(image.head) : null,
      blocks: [...image.blocks].map(encBlock),
      fatal: image.fatal ? encFatal(image.fatal) : null,
      dataSources: image.dataSources.map(encDs),
      types: {},
    };
    for (const [name, versions] of image.types) {
      const rows: Snapshot['types'][string] = [];
      for (const v of versions) rows.push([v.id, v.start, v.end === Infinity ? null : v.end, encodeEntity(v.data)]);
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
    fs.ftruncateSync(this.fd, 0);
    fs.fsyncSync(this.fd);
    this.bytes = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private append(rec: LogRecord): void {
    const line = `${JSON.stringify(rec)}\n`;
    fs.writeSync(this.fd, line);
    fs.fsyncSync(this.fd);
    this.bytes += Buffer.byteLength(line);
  }

  /** Restores the snapshot, if there is one; returns the sequence number it covers. */
  private readSnapshot(recovery: Recovery): number {
    const snapPath = path.join(this.dir, 'snapshot.json');
    if (!fs.existsSync(snapPath)) return 0;
    const snap = JSON.parse(fs.readFileSync(snapPath, 'utf8')) as Snapshot;
    if (snap.version !== 1) throw new StoreError(`${snapPath}: unsupported snapshot version ${String(snap.version)}`);
    this.seq = snap.seq;
    const types: Record<string, StoredVersion[]> = {};
    for (const [type, rows] of Object.entries(snap.types)) {
      types[type] = rows.map(([id, start, end, data]) => ({ id, start, end: end ?? Infinity, data: decodeEntity(data) }));
    }
    recovery.restore(
      {
        head: snap.head ? decBlock(snap.head) : null,
        blocks: snap.blocks.map(decBlock),
        fatal: snap.fatal ? decFatal(snap.fatal) : null,
        dataSources: snap.dataSources.map(decDs),
        types,
      },
      snapPath,
    );
    return snap.seq;
  }
}

function decodeRecord(rec: LogRecord): Replayed {
  switch (rec.t) {
    case 'c':
      return {
        kind: 'commit',
        block: decBlock(rec.b),
        changes: rec.ch.map(([t, id, d]) => [t, id, d ? decodeEntity(d) : null]),
        dataSources: (rec.ds ?? []).map(decDs),
      };
    case 'r':
      return { kind: 'revert', block: decBlock(rec.b) };
    case 'f':
      return { kind: 'fatal', error: rec.e ? decFatal(rec.e) : null };
    case 'd':
      return { kind: 'dataSource', dataSource: decDs(rec.ds) };
  }
}

function fsyncDir(dir: string): void {
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
