/**
 * The state host functions act on. One `HostState` lives as long as a data source's compiled module; the
 * per-trigger parts (`heap`, `trigger`) are swapped in before each handler runs.
 */
import type { Abi } from 'viem';
import type { Entity, EntityStore } from '../store/api.js';
import type { SchemaInfo } from '../schema/index.js';
import type { AscHeap } from '../runtime/asc.js';
import type { TriggerContext, TriggerSlot } from '../runtime/module.js';
import type { SyncRpc } from './sync-rpc.js';

export type LogLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug';

export type Logger = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

/** A data source as the mapping sees it through `dataSource.*`. */
export interface DataSourceView {
  name: string;
  address: Uint8Array;
  network: string;
  context: Entity | null;
  abis: Map<string, Abi>;
}

export interface CreatedDataSource {
  template: string;
  address: `0x${string}`;
  context: Entity | null;
}

/** What the host functions read about the trigger being handled. */
export interface HostTrigger extends TriggerContext {
  dataSource: DataSourceView;
  blockNumber: bigint;
  blockHash: `0x${string}`;
}

export type TriggerState = HostTrigger & { heap: AscHeap };

/** The trigger `_start` sees while the runner probes whether it calls into the host. */
export const PROBE_TRIGGER: HostTrigger = {
  handler: '_start',
  dataSource: { name: '', address: new Uint8Array(20), network: '', context: null, abis: new Map() },
  blockNumber: 0n,
  blockHash: '0x',
};

export interface HostState extends TriggerSlot<HostTrigger> {
  store: EntityStore;
  schema: SchemaInfo;
  /** template names available to `dataSource.create` */
  templates: readonly string[];
  rpc: SyncRpc | null;
  log: Logger;
  /** data sources created by the handlers of the current block, in creation order */
  created: CreatedDataSource[];
  trigger: TriggerState | null;
}

export function currentTrigger(state: HostState): TriggerState {
  if (!state.trigger) throw new Error('host function called outside of a handler');
  return state.trigger;
}
