/**
 * Block ingestion: pulls logs for every active data source from an EVM JSON-RPC in adaptive block ranges,
 * fetches the blocks (with transactions) and receipts the triggers need in batched requests, and runs the
 * handlers in graph-node order:
 *   - triggers of a block sorted by log index; for each log, matching data sources in creation order
 *     (static ones first), and each matching handler of a data source in manifest order;
 *   - data sources created by a handler (templates) are instantiated after the block's triggers ran, and the
 *     block's logs matching them are processed right away, in a loop (graph-node `handle_created_data_sources`);
 *     indexing then continues with the new addresses in the log filter;
 *   - a failing handler discards the whole block; a deterministic failure is recorded as the subgraph's
 *     fatal error and indexing stops there; a non-deterministic one (RPC trouble) is retried with back-off.
 * Reorgs: before each step the head block's hash is compared with the chain's; on mismatch the store is
 * reverted to the newest block both agree on, dynamic data sources reloaded, and indexing resumes.
 */
import type { BlockPtr, DynamicDataSource, EntityStore, FatalError } from '../store/api.js';
import type { SchemaInfo } from '../schema/index.js';
import type { DataSourceSpec, EventHandlerSpec, Manifest } from '../manifest.js';
import { MappingModule, MappingError, type HostFunctionResolver, type InstancePolicy, type MappingRunner } from '../runtime/module.js';
import { newEvent, type BlockData, type EventData, type ReceiptData, type TransactionData } from '../runtime/ethereum.js';
import { hexToBytes } from '../hex.js';
import { PROBE_TRIGGER, type DataSourceView, type HostState, type HostTrigger, type Logger } from '../host/context.js';
import { hostFunctionResolver } from '../host/functions.js';
import { SyncRpc } from '../host/sync-rpc.js';
import { readFileSync } from 'node:fs';
import { JsonRpcClient, RpcError, type RpcBlock, type RpcLog, type RpcReceipt, type RpcTransaction } from './rpc.js';
import { toBlockData, toReceiptData, toTransactionData } from './convert.js';
import { decodeEventParams } from './decode.js';

export interface IndexerOptions {
  manifest: Manifest;
  schema: SchemaInfo;
  store: EntityStore;
  rpcUrl: string;
  /** blocks to stay behind the chain head (default 0) */
  confirmations?: number;
  pollMs?: number;
  /** first eth_getLogs range (adapts afterwards) */
  initialRange?: number;
  maxRange?: number;
  /** how handlers get a clean WASM instance (default `reset`, see MappingRunner) */
  instancePolicy?: InstancePolicy;
  log: Logger;
}

export interface IndexerProgress {
  chainHead: BlockPtr | null;
  synced: boolean;
  /** events handled since start */
  events: number;
  /** blocks advanced since start */
  blocks: number;
  startedAt: number;
}

interface ActiveDataSource {
  spec: DataSourceSpec;
  address: `0x${string}`;
  startBlock: number;
  view: DataSourceView;
  runner: MappingRunner<HostTrigger>;
  handlersByTopic0: Map<string, EventHandlerSpec[]>;
}

class TransientError extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Indexer {
  private readonly rpc: JsonRpcClient;
  private readonly syncRpc: SyncRpc;
  private readonly modules = new Map<string, MappingModule>();
  private readonly hostState: HostState;
  private readonly resolveHost: HostFunctionResolver;
  private active: ActiveDataSource[] = [];
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private range: number;
  private readonly maxRange: number;
  private readonly confirmations: number;
  private readonly pollMs: number;
  private readonly waiters: Array<{ block: number; resolve: () => void; reject: (e: Error) => void }> = [];
  readonly progress: IndexerProgress = { chainHead: null, synced: false, events: 0, blocks: 0, startedAt: Date.now() };
  private lastError: string | null = null;

  constructor(private readonly options: IndexerOptions) {
    this.rpc = new JsonRpcClient(options.rpcUrl);
    this.syncRpc = new SyncRpc(options.rpcUrl);
    this.range = options.initialRange ?? 2_000;
    this.maxRange = options.maxRange ?? 100_000;
    this.confirmations = options.confirmations ?? 0;
    this.pollMs = options.pollMs ?? 500;
    this.hostState = {
      store: options.store,
      schema: options.schema,
      templates: options.manifest.templates.map((t) => t.name),
      rpc: this.syncRpc,
      log: options.log,
      created: [],
      trigger: null,
    };
    this.resolveHost = hostFunctionResolver(this.hostState);
    // compile every mapping up front: a broken build fails at start, not at the first event
    for (const ds of [...options.manifest.dataSources, ...options.manifest.templates]) this.module(ds);
    this.loadDataSources();
  }

  private module(spec: DataSourceSpec): MappingModule {
    let module = this.modules.get(spec.mapping.wasmFile);
    if (!module) {
      module = MappingModule.compile(spec.name, readFileSync(spec.mapping.wasmFile));
      for (const handler of spec.mapping.eventHandlers) {
        if (!module.handlers.has(handler.handler)) {
          throw new Error(`data source ${spec.name}: handler \`${handler.handler}\` is not exported by ${spec.mapping.wasmFile}`);
        }
      }
      this.modules.set(spec.mapping.wasmFile, module);
    }
    return module;
  }

  private activate(spec: DataSourceSpec, address: `0x${string}`, startBlock: number, context: DynamicDataSource['context']): ActiveDataSource {
    const handlersByTopic0 = new Map<string, EventHandlerSpec[]>();
    for (const handler of spec.mapping.eventHandlers) {
      const list = handlersByTopic0.get(handler.topic0) ?? [];
      list.push(handler);
      handlersByTopic0.set(handler.topic0, list);
    }
    return {
      spec,
      address,
      startBlock,
      handlersByTopic0,
      view: { name: spec.name, address: hexToBytes(address), network: spec.network, context, abis: spec.mapping.abis },
      runner: this.module(spec).createRunner(this.resolveHost, this.hostState, PROBE_TRIGGER, this.options.instancePolicy ?? 'reset'),
    };
  }

  /** Static data sources plus the dynamic ones persisted in the store (after a restart or a revert). */
  private loadDataSources(): void {
    const { manifest, store } = this.options;
    this.active = manifest.dataSources.map((ds) => this.activate(ds, ds.address!, ds.startBlock, null));
    for (const dynamic of store.dataSources()) {
      const template = manifest.templates.find((t) => t.name === dynamic.template);
      if (!template) throw new Error(`the store holds a data source of template \`${dynamic.template}\`, which the manifest no longer has`);
      this.active.push(this.activate(template, dynamic.address.toLowerCase() as `0x${string}`, dynamic.createdAtBlock, dynamic.context));
    }
  }

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('indexer stopped'));
    await this.syncRpc.close();
  }

  /** Resolves once the store head reaches `block` (rejects if the subgraph fails before). */
  waitForBlock(block: number, timeoutMs = 30_000): Promise<void> {
    const head = this.options.store.head();
    if (head && head.number >= block) return Promise.resolve();
    const fatal = this.options.store.fatalError();
    if (fatal) return Promise.reject(new Error(`subgraph failed: ${fatal.message}`));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.findIndex((w) => w.resolve === done);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for block ${block} (head: ${this.options.store.head()?.number ?? 'none'}${this.lastError ? `, last error: ${this.lastError}` : ''})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({
        block,
        resolve: done,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.wake?.();
    });
  }

  private notifyWaiters(): void {
    const head = this.options.store.head()?.number ?? -1;
    const fatal = this.options.store.fatalError();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (head >= waiter.block) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      } else if (fatal) {
        this.waiters.splice(i, 1);
        waiter.reject(new Error(`subgraph failed: ${fatal.message}`));
      }
    }
  }

  private async idle(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  private async run(): Promise<void> {
    let backoff = 250;
    while (!this.stopped) {
      try {
        const advanced = await this.step();
        this.lastError = null;
        backoff = 250;
        this.notifyWaiters();
        if (!advanced) await this.idle(this.pollMs);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.lastError = message;
        this.options.log('warning', `indexing step failed, retrying in ${backoff} ms: ${message}`, {});
        await this.idle(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  /** One unit of work. Returns false when there is nothing to do right now. */
  private async step(): Promise<boolean> {
    const { store } = this.options;
    const chainHeadNumber = Number(BigInt(await this.rpc.call<string>('eth_blockNumber', [])));
    const target = chainHeadNumber - this.confirmations;
    if (store.fatalError()) {
      this.progress.chainHead = { number: chainHeadNumber, hash: '0x' };
      return false;
    }
    const head = store.head();
    if (head) {
      const onChain = await this.rpc.call<RpcBlock | null>('eth_getBlockByNumber', [toQuantity(head.number), false]);
      if (!onChain || onChain.hash !== head.hash) {
        await this.revertToCommonAncestor(head);
        return true;
      }
    }
    this.progress.chainHead = { number: chainHeadNumber, hash: '0x' };
    const from = head ? head.number + 1 : Math.min(...this.active.map((ds) => ds.startBlock));
    if (from > target) {
      this.progress.synced = true;
      return false;
    }
    this.progress.synced = false;
    const to = Math.min(target, from + this.range - 1);
    await this.processRange(from, to);
    return true;
  }

  private async revertToCommonAncestor(head: BlockPtr): Promise<void> {
    const { store } = this.options;
    let number = head.number - 1;
    for (;;) {
      if (number < 0) {
        throw new Error('reorg deeper than every remembered block: delete the database and re-index');
      }
      const remembered = store.blockHash(number);
      if (remembered) {
        const onChain = await this.rpc.call<RpcBlock | null>('eth_getBlockByNumber', [toQuantity(number), false]);
        if (onChain && onChain.hash === remembered) {
          this.options.log('warning', `reorg detected at block ${head.number}: reverting to block ${number}`, {});
          store.revertTo({ number, hash: remembered });
          this.loadDataSources();
          return;
        }
      }
      number -= 1;
      if (head.number - number > 10_000) throw new Error(`reorg deeper than 10000 blocks below ${head.number}`);
    }
  }

  private logFilter(from: number, to: number, sources: ActiveDataSource[]) {
    const addresses = [...new Set(sources.filter((ds) => !(ds.spec.endBlock !== null && ds.spec.endBlock < from)).map((ds) => ds.address))];
    const topics = [...new Set(sources.flatMap((ds) => [...ds.handlersByTopic0.keys()]))];
    return { fromBlock: toQuantity(from), toBlock: toQuantity(to), address: addresses, topics: [topics] };
  }

  private async getLogs(from: number, to: number): Promise<{ logs: RpcLog[]; to: number }> {
    for (;;) {
      try {
        const logs = await this.rpc.call<RpcLog[]>('eth_getLogs', [this.logFilter(from, to, this.active)]);
        if (logs.length < 5_000 && to - from + 1 >= this.range) this.range = Math.min(this.range * 2, this.maxRange);
        return { logs, to };
      } catch (error) {
        if (!(error instanceof RpcError) || to === from || error.code === null) throw error;
        // too many results / range too large: halve the range and try again
        to = from + Math.floor((to - from) / 2);
        this.range = Math.max(1, to - from + 1);
      }
    }
  }

  private async processRange(from: number, requestedTo: number): Promise<void> {
    const { logs, to } = await this.getLogs(from, requestedTo);
    const byBlock = new Map<number, RpcLog[]>();
    for (const log of logs) {
      if (log.removed) continue;
      const number = Number(BigInt(log.blockNumber));
      const list = byBlock.get(number) ?? [];
      list.push(log);
      byBlock.set(number, list);
    }
    const numbers = [...byBlock.keys()].sort((a, b) => a - b);
    const withLogs = new Set(numbers);
    const calls: Array<[string, unknown[]]> = numbers.map((n) => ['eth_getBlockByNumber', [toQuantity(n), true]]);
    if (!withLogs.has(to)) calls.push(['eth_getBlockByNumber', [toQuantity(to), false]]);
    const blocks = await this.rpc.batch<RpcBlock | null>(calls);
    for (const block of blocks) if (!block) throw new TransientError('block not found (reorg in progress?)');

    // receipts for handlers that asked for them
    const needReceipts = new Set<string>();
    for (const number of numbers) {
      for (const log of byBlock.get(number)!) {
        if (this.handlersFor(log, number).some(({ handler }) => handler.receipt)) needReceipts.add(log.transactionHash);
      }
    }
    const receiptList = await this.rpc.batch<RpcReceipt | null>([...needReceipts].map((hash) => ['eth_getTransactionReceipt', [hash]]));
    const receipts = new Map<string, RpcReceipt>();
    for (const receipt of receiptList) if (receipt) receipts.set(receipt.transactionHash, receipt);

    for (let i = 0; i < numbers.length; i++) {
      if (this.stopped) return;
      const number = numbers[i]!;
      const block = blocks[i]!;
      const blockLogs = byBlock.get(number)!.sort((a, b) => Number(BigInt(a.logIndex) - BigInt(b.logIndex)));
      if (blockLogs.some((log) => log.blockHash !== block.hash)) throw new TransientError(`logs and block ${number} disagree (reorg in progress?)`);
      const createdSources = await this.processBlock(block, blockLogs, receipts);
      if (createdSources) return; // continue from the next block with the new data sources in the filter
    }
    if (!withLogs.has(to) && !this.stopped) {
      const last = blocks[blocks.length - 1]!;
      this.commitEmpty(last);
    }
  }

  private commitEmpty(block: RpcBlock): void {
    const { store } = this.options;
    store.beginBlock(blockPtr(block));
    store.commitBlock();
    this.progress.blocks += 1;
  }

  private handlersFor(log: RpcLog, blockNumber: number, sources: ActiveDataSource[] = this.active) {
    const out: Array<{ ds: ActiveDataSource; handler: EventHandlerSpec }> = [];
    const address = log.address.toLowerCase();
    const topic0 = log.topics[0];
    if (!topic0) return out;
    for (const ds of sources) {
      if (ds.address !== address || blockNumber < ds.startBlock) continue;
      if (ds.spec.endBlock !== null && blockNumber > ds.spec.endBlock) continue;
      for (const handler of ds.handlersByTopic0.get(topic0) ?? []) {
        if (handler.topicFilters.every((allowed, i) => allowed === null || allowed.includes((log.topics[i + 1] ?? '').toLowerCase() as `0x${string}`))) {
          out.push({ ds, handler });
        }
      }
    }
    return out;
  }

  /** Runs one block. Returns true when handlers created data sources (the caller refetches logs). */
  private async processBlock(block: RpcBlock, logs: RpcLog[], receipts: Map<string, RpcReceipt>): Promise<boolean> {
    const { store } = this.options;
    const ptr = blockPtr(block);
    const blockData = toBlockData(block);
    const transactions = new Map<string, RpcTransaction>();
    for (const tx of block.transactions) if (typeof tx !== 'string') transactions.set(tx.hash, tx);
    const txCache = new Map<string, TransactionData>();
    const receiptCache = new Map<string, ReceiptData>();
    this.hostState.created = [];
    let createdAny = false;

    store.beginBlock(ptr);
    try {
      await this.runTriggers(block, blockData, logs, this.active, transactions, txCache, receipts, receiptCache);
      while (this.hostState.created.length > 0) {
        createdAny = true;
        const created = this.hostState.created;
        this.hostState.created = [];
        const fresh: ActiveDataSource[] = [];
        for (const request of created) {
          const template = this.options.manifest.templates.find((t) => t.name === request.template)!;
          store.addDataSource({ template: template.name, address: request.address, context: request.context, createdAtBlock: ptr.number });
          fresh.push(this.activate(template, request.address, ptr.number, request.context));
        }
        this.active.push(...fresh);
        const freshLogs = await this.rpc.call<RpcLog[]>('eth_getLogs', [
          { blockHash: block.hash, address: [...new Set(fresh.map((ds) => ds.address))], topics: [[...new Set(fresh.flatMap((ds) => [...ds.handlersByTopic0.keys()]))]] },
        ]);
        freshLogs.sort((a, b) => Number(BigInt(a.logIndex) - BigInt(b.logIndex)));
        const missing = freshLogs
          .filter((log) => this.handlersFor(log, ptr.number, fresh).some(({ handler }) => handler.receipt) && !receipts.has(log.transactionHash))
          .map((log): [string, unknown[]] => ['eth_getTransactionReceipt', [log.transactionHash]]);
        for (const receipt of await this.rpc.batch<RpcReceipt | null>(missing)) if (receipt) receipts.set(receipt.transactionHash, receipt);
        await this.runTriggers(block, blockData, freshLogs, fresh, transactions, txCache, receipts, receiptCache);
      }
    } catch (error) {
      store.discardBlock();
      this.loadDataSources();
      if (error instanceof HandlerFailure && error.deterministic) {
        const fatal: FatalError = { message: error.message, block: ptr, handler: error.handler, deterministic: true };
        store.setFatalError(fatal);
        this.options.log('critical', `subgraph failed: ${error.message} in handler \`${error.handler}\` at block #${ptr.number} (${ptr.hash})`, {});
        this.notifyWaiters();
        return true;
      }
      throw error;
    }
    store.commitBlock();
    this.progress.blocks += 1;
    return createdAny;
  }

  private async runTriggers(
    block: RpcBlock,
    blockData: BlockData,
    logs: RpcLog[],
    sources: ActiveDataSource[],
    transactions: Map<string, RpcTransaction>,
    txCache: Map<string, TransactionData>,
    receipts: Map<string, RpcReceipt>,
    receiptCache: Map<string, ReceiptData>,
  ): Promise<void> {
    const blockNumber = Number(blockData.number);
    for (const log of logs) {
      const matches = this.handlersFor(log, blockNumber, sources);
      if (matches.length === 0) continue;
      let tx = txCache.get(log.transactionHash);
      if (!tx) {
        const raw = transactions.get(log.transactionHash);
        if (!raw) throw new TransientError(`transaction ${log.transactionHash} missing from block ${blockNumber}`);
        tx = toTransactionData(raw, blockData.baseFeePerGas);
        txCache.set(log.transactionHash, tx);
      }
      const logIndex = BigInt(log.logIndex);
      for (const { ds, handler } of matches) {
        let receipt: ReceiptData | null = null;
        if (handler.receipt) {
          receipt = receiptCache.get(log.transactionHash) ?? null;
          if (!receipt) {
            const raw = receipts.get(log.transactionHash);
            if (!raw) throw new TransientError(`receipt of ${log.transactionHash} not available`);
            receipt = toReceiptData(raw);
            receiptCache.set(log.transactionHash, receipt);
          }
        }
        let params;
        try {
          params = decodeEventParams(handler.event, log.topics, log.data);
        } catch (error) {
          throw new HandlerFailure(
            `block #${blockNumber} (${block.hash}), transaction ${log.transactionHash.slice(2)}: Unable to decode event \`${handler.signature}\`: ${(error as Error).message}`,
            handler.handler,
            true,
          );
        }
        const event: EventData = {
          address: ds.view.address,
          logIndex,
          transactionLogIndex: logIndex,
          block: blockData,
          transaction: tx,
          params,
          receipt,
        };
        try {
          ds.runner.run(
            { handler: handler.handler, dataSource: ds.view, blockNumber: blockData.number, blockHash: block.hash as `0x${string}` },
            (heap) => newEvent(heap, event),
          );
        } catch (error) {
          if (error instanceof MappingError) {
            throw new HandlerFailure(
              `block #${blockNumber} (${block.hash}), transaction ${log.transactionHash.slice(2)}: ${error.message}`,
              handler.handler,
              error.deterministic,
            );
          }
          throw error;
        }
        this.progress.events += 1;
      }
    }
  }
}

class HandlerFailure extends Error {
  constructor(
    message: string,
    readonly handler: string,
    readonly deterministic: boolean,
  ) {
    super(message);
  }
}

function toQuantity(n: number): string {
  return `0x${n.toString(16)}`;
}

function blockPtr(block: RpcBlock): BlockPtr {
  return {
    number: Number(BigInt(block.number)),
    hash: block.hash as `0x${string}`,
    parentHash: block.parentHash as `0x${string}`,
    timestamp: BigInt(block.timestamp),
  };
}

export { sleep };
