/**
 * The contract between the indexing runtime (WASM host functions, block ingestion, reorgs) and the
 * versioned entity store that the GraphQL layer reads. Both sides code against these types only.
 *
 * Values mirror graph-node's `store::Value` enum so that what a mapping writes through `store.set`
 * is exactly what the GraphQL layer serialises.
 */

export type Value =
  | { kind: 'String'; value: string }
  | { kind: 'Int'; value: number } // i32
  | { kind: 'Int8'; value: bigint } // i64
  | { kind: 'BigDecimal'; value: string } // canonical graph-node string form (already normalised)
  | { kind: 'Bool'; value: boolean }
  | { kind: 'List'; value: Value[] }
  | { kind: 'Null' }
  | { kind: 'Bytes'; value: Uint8Array }
  | { kind: 'BigInt'; value: bigint }
  | { kind: 'Timestamp'; value: bigint }; // microseconds since epoch, as graph-node stores it

/** One entity's fields, `id` included, as written by a mapping. */
export type Entity = Map<string, Value>;

export interface BlockPtr {
  number: number;
  hash: `0x${string}`;
  parentHash?: `0x${string}`;
  timestamp?: bigint;
}

/** Failure recorded when a handler traps or logs critical: the subgraph stops at that block. */
export interface FatalError {
  message: string;
  block: BlockPtr;
  handler?: string;
  deterministic: boolean;
}

/**
 * A versioned entity store: every write is stamped with the block it happened in, so that any past block
 * can be queried (`block: { number }`) and a reorg can revert to a common ancestor.
 *
 * Writes of one block are buffered with `beginBlock` … `commitBlock`; `get` sees the buffered writes
 * (graph-node's entity cache semantics). `discardBlock` drops them (a handler failed).
 */
export interface EntityStore {
  /** Start buffering the writes of `block`. */
  beginBlock(block: BlockPtr): void;
  /** Latest version of an entity, including writes buffered for the current block; null if absent/removed. */
  get(entityType: string, id: string): Entity | null;
  /** Only entities written in the current block (graph-ts `store.get_in_block`). */
  getInBlock(entityType: string, id: string): Entity | null;
  /** Entities of `derivedType` whose `derivedField` points at `id` (graph-ts `store.loadRelated`). */
  loadRelated(entityType: string, id: string, derivedField: string): Entity[];
  /** Write (insert or full update: graph-node merges fields onto the previous version). */
  set(entityType: string, id: string, data: Entity): void;
  remove(entityType: string, id: string): void;
  /** Persist the buffered writes as the new head. */
  commitBlock(): void;
  /** Drop the buffered writes (used when a handler fails). */
  discardBlock(): void;
  /** Undo every write of blocks with number > `blockNumber` and make that block the head. */
  revertTo(block: BlockPtr): void;
  /** The latest committed block, or null before the first one. */
  head(): BlockPtr | null;
  /** Hash of an already committed block (for reorg detection), if still remembered. */
  blockHash(number: number): `0x${string}` | null;
  /** The subgraph's fatal error, if any (persisted: a failed subgraph stays failed across restarts). */
  fatalError(): FatalError | null;
  setFatalError(error: FatalError | null): void;
  /** Dynamic data sources created by templates (persisted, reverted with reorgs). */
  dataSources(): DynamicDataSource[];
  addDataSource(ds: DynamicDataSource): void;
  close(): void;
}

export interface DynamicDataSource {
  template: string;
  address: `0x${string}`;
  /** graph-ts DataSourceContext serialised as entity fields. */
  context: Entity | null;
  createdAtBlock: number;
}
