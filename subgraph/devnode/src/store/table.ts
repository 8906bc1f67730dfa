/**
 * One entity type's versioned table: every version carries the block range [start, end) in which it is valid, as
 * graph-node's `block_range` column does (docs/implementation/time-travel.md). A change at block B closes the open
 * version at B; a read at block B sees the version with start <= B < end; reverting to block N drops the versions
 * that start after N and reopens the one closed after N. Keeps a reference index (for `@derivedFrom` and nested
 * filters) and, per field, the head sorted by that field (for `orderBy`), both rebuilt lazily after a write.
 */
import type { Entity, Value } from './api.js';
import type { EntityTypeInfo, FieldInfo } from '../schema/index.js';
import { hexToBytes } from '../hex.js';
import { compareBytes, compareValues, storedHex } from './values.js';

export interface StoredVersion {
  readonly id: string;
  readonly data: Entity;
  /** First block at which this version is visible. */
  readonly start: number;
  /** First block at which it is no longer visible (Infinity while current). */
  end: number;
}

/** The index keys of a reference value: the ids it points at. */
export function refKeys(v: Value): string[] {
  switch (v.kind) {
    case 'String':
      return [v.value];
    case 'Bytes':
      return [storedHex(v.value)];
    case 'Int8':
      return [v.value.toString()];
    case 'List':
      return v.value.flatMap(refKeys);
    default:
      return [];
  }
}

const NULL: Value = { kind: 'Null' };

export class VersionedTable {
  /** Every version of each id, oldest first. */
  readonly versions = new Map<string, StoredVersion[]>();
  /** The current version of each live id. */
  readonly live = new Map<string, StoredVersion>();
  /** field -> target id -> ids of entities that referenced it in some version (verified on read). */
  private readonly refIndex = new Map<string, Map<string, Set<string>>>();
  private readonly refFields: FieldInfo[];
  private sorted = new Map<string, StoredVersion[]>();
  private ranks = new Map<string, Map<string, number>>();

  constructor(readonly info: EntityTypeInfo) {
    this.refFields = info.fields.filter((f) => (f.kind === 'entity' || f.kind === 'interface') && f.derivedFrom === undefined);
    for (const f of this.refFields) this.refIndex.set(f.name, new Map());
  }

  /** The stored form of an id: Bytes ids are lowercase hex. */
  key(id: string): string {
    return this.info.idType === 'Bytes' ? id.toLowerCase() : id;
  }

  /** The version of `id` (a key) visible at `block`. */
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

  /** Applies a committed change made at block `n`: closes the live version, opens `data`'s unless it is a removal. */
  write(id: string, data: Entity | null, n: number): void {
    const live = this.live.get(id);
    if (live) {
      live.end = n;
      this.live.delete(id);
    }
    if (data) {
      const v: StoredVersion = { id, data, start: n, end: Infinity };
      let vs = this.versions.get(id);
      if (!vs) this.versions.set(id, (vs = []));
      vs.push(v);
      this.live.set(id, v);
      this.index(v);
    }
    this.invalidate();
  }

  /** Undoes the changes to `id` made after block `n`. */
  revert(id: string, n: number): void {
    const vs = this.versions.get(id);
    if (!vs) return;
    while (vs.length > 0 && vs[vs.length - 1]!.start > n) vs.pop();
    this.live.delete(id);
    const last = vs[vs.length - 1];
    if (last && last.end > n) {
      last.end = Infinity;
      this.live.set(id, last);
    }
    if (vs.length === 0) this.versions.delete(id);
    this.invalidate();
  }

  /** Adds a version read back from a snapshot; call `sortVersions` once all are in. */
  restore(v: StoredVersion): void {
    let vs = this.versions.get(v.id);
    if (!vs) this.versions.set(v.id, (vs = []));
    vs.push(v);
    if (v.end === Infinity) this.live.set(v.id, v);
    this.index(v);
  }

  sortVersions(): void {
    for (const list of this.versions.values()) list.sort((a, b) => a.start - b.start);
  }

  /** Every version visible at `block` (unordered); `atHead` reads the live versions directly. */
  visibleAt(block: number, atHead: boolean): Iterable<StoredVersion> {
    if (atHead) return this.live.values();
    const out: StoredVersion[] = [];
    for (const vs of this.versions.values()) {
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

  /** Ids of entities whose reference `field` pointed at `target` in some version (may hold stale ids). */
  referencedBy(field: string, target: string): ReadonlySet<string> | undefined {
    return this.refIndex.get(field)?.get(target);
  }

  /** Versions visible at `block` whose reference field `field` (single or list) contains `targetId`. */
  referencing(field: string, targetId: string, block: number): StoredVersion[] {
    if (field === 'id') {
      const v = this.at(targetId, block);
      return v ? [v] : [];
    }
    const out: StoredVersion[] = [];
    const ids = this.referencedBy(field, targetId);
    if (!ids) return out;
    // The index may hold ids whose reference changed since: verify against the visible version.
    let targetBytes: Uint8Array | null | undefined;
    const matches = (val: Value): boolean => {
      switch (val.kind) {
        case 'String':
          return val.value === targetId;
        case 'Bytes':
          if (targetBytes === undefined) targetBytes = bytesOrNull(targetId);
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
      const v = this.at(id, block);
      if (!v) continue;
      const val = v.data.get(field);
      if (val && matches(val)) out.push(v);
    }
    return out;
  }

  /** The live versions sorted ascending by (`field`, id), nulls last; cached until the next write. */
  sortedAtHead(field: string): readonly StoredVersion[] {
    let s = this.sorted.get(field);
    if (!s) {
      s = [...this.live.values()];
      s.sort((a, b) => {
        const c = compareValues(a.data.get(field) ?? NULL, b.data.get(field) ?? NULL);
        return c !== 0 ? c : compareValues(a.data.get('id') ?? NULL, b.data.get('id') ?? NULL);
      });
      this.sorted.set(field, s);
    }
    return s;
  }

  /** Position of each live entity in `sortedAtHead(field)` (cached like it). */
  rankAtHead(field: string): ReadonlyMap<string, number> {
    let r = this.ranks.get(field);
    if (!r) {
      r = new Map();
      const sorted = this.sortedAtHead(field);
      for (let i = 0; i < sorted.length; i++) r.set(sorted[i]!.id, i);
      this.ranks.set(field, r);
    }
    return r;
  }

  private index(v: StoredVersion): void {
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

  private invalidate(): void {
    this.sorted.clear();
    this.ranks.clear();
  }
}

function bytesOrNull(hex: string): Uint8Array | null {
  try {
    return hexToBytes(hex);
  } catch {
    return null;
  }
}
