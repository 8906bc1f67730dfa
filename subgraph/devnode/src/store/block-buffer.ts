/**
 * The writes of the block being indexed, buffered between `beginBlock` and `commitBlock` as graph-node's entity cache
 * buffers them (graph/src/components/store/entity_cache.rs): the last write of each entity wins, a removal is kept as
 * a tombstone, and nothing reaches the versioned tables until the block commits.
 */
import type { BlockPtr, DynamicDataSource, Entity } from './api.js';
import type { VersionedTable } from './table.js';
import { entitiesEqual } from './values.js';

/** A buffered write: the entity as it will be after the block, or null for a removal. */
export interface PendingWrite {
  data: Entity | null;
}

/** A committed change: entity type, id (key) and the new entity, or null for a removal. */
export type Change = [string, string, Entity | null];

export class BlockBuffer {
  /** The open block, or null between blocks. */
  block: BlockPtr | null = null;
  /** Data sources created in the open block. */
  sources: DynamicDataSource[] = [];
  private writes = new Map<string, Map<string, PendingWrite>>();

  open(block: BlockPtr): void {
    this.block = block;
  }

  /** The buffered write of `type`/`key`, if the open block wrote it. */
  get(type: string, key: string): PendingWrite | undefined {
    return this.writes.get(type)?.get(key);
  }

  /** Keys of `type` written in the open block. */
  keys(type: string): Iterable<string> {
    return this.writes.get(type)?.keys() ?? [];
  }

  put(type: string, key: string, data: Entity | null): void {
    let m = this.writes.get(type);
    if (!m) this.writes.set(type, (m = new Map()));
    m.set(key, { data });
  }

  /** What the buffered writes change against the committed tables (writes that change nothing are left out). */
  changes(tables: ReadonlyMap<string, VersionedTable>): Change[] {
    const changes: Change[] = [];
    for (const [type, ops] of this.writes) {
      const table = tables.get(type)!;
      for (const [id, op] of ops) {
        const live = table.live.get(id);
        if (op.data === null) {
          if (live) changes.push([type, id, null]);
        } else if (!live || !entitiesEqual(live.data, op.data)) {
          changes.push([type, id, op.data]);
        }
      }
    }
    return changes;
  }

  /** Forgets the open block and its writes. */
  clear(): void {
    this.block = null;
    this.writes = new Map();
    this.sources = [];
  }
}
