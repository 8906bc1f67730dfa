/**
 * `ethereum.Value` and the chain objects handed to event handlers (`ethereum.Event`, `Block`, `Transaction`,
 * `TransactionReceipt`, `Log`), laid out as graph-node's `chain/ethereum/src/runtime/abi.rs` does for
 * apiVersion ≥ 0.0.7.
 */
import type { AbiParameter } from 'viem';
import { AscHeap, HostError } from './asc.js';
import { bytesToHex, hexToBytes } from '../hex.js';
import { TypeId } from './type-ids.js';
import { newBigInt, readBigInt } from './values.js';

/** graph-ts `ethereum.ValueKind` */
export const EthKind = {
  Address: 0,
  FixedBytes: 1,
  Bytes: 2,
  Int: 3,
  Uint: 4,
  Bool: 5,
  String: 6,
  FixedArray: 7,
  Array: 8,
  Tuple: 9,
} as const;

export type EthValue =
  | { kind: 'address'; value: Uint8Array }
  | { kind: 'fixedBytes'; value: Uint8Array }
  | { kind: 'bytes'; value: Uint8Array }
  | { kind: 'int'; value: bigint }
  | { kind: 'uint'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'fixedArray'; items: EthValue[] }
  | { kind: 'array'; items: EthValue[] }
  | { kind: 'tuple'; items: EthValue[] };

// ---- WASM <-> EthValue -----------------------------------------------------------------------------

export function newEthValue(heap: AscHeap, value: EthValue): number {
  switch (value.kind) {
    case 'address':
      return heap.newEnum(TypeId.EthereumValue, EthKind.Address, heap.newBytes(value.value));
    case 'fixedBytes':
      return heap.newEnum(TypeId.EthereumValue, EthKind.FixedBytes, heap.newBytes(value.value));
    case 'bytes':
      return heap.newEnum(TypeId.EthereumValue, EthKind.Bytes, heap.newBytes(value.value));
    case 'int':
      return heap.newEnum(TypeId.EthereumValue, EthKind.Int, newBigInt(heap, value.value));
    case 'uint':
      return heap.newEnum(TypeId.EthereumValue, EthKind.Uint, newBigInt(heap, value.value));
    case 'bool':
      return heap.newEnum(TypeId.EthereumValue, EthKind.Bool, value.value ? 1 : 0);
    case 'string':
      return heap.newEnum(TypeId.EthereumValue, EthKind.String, heap.newString(value.value));
    case 'fixedArray':
    case 'array':
    case 'tuple': {
      const items = value.items.map((item) => newEthValue(heap, item));
      const kind = value.kind === 'fixedArray' ? EthKind.FixedArray : value.kind === 'array' ? EthKind.Array : EthKind.Tuple;
      return heap.newEnum(TypeId.EthereumValue, kind, heap.newArrayU32(items, TypeId.ArrayEthereumValue));
    }
  }
}

export function newEthValueArray(heap: AscHeap, values: readonly EthValue[]): number {
  return heap.newArrayU32(
    values.map((v) => newEthValue(heap, v)),
    TypeId.ArrayEthereumValue,
  );
}

export function readEthValue(heap: AscHeap, ptr: number): EthValue {
  const kind = heap.enumKind(ptr);
  const payload = heap.enumPayloadU32(ptr);
  switch (kind) {
    case EthKind.Address: {
      const value = heap.readBytes(payload);
      if (value.length !== 20) throw new HostError(`Ethereum address must be 20 bytes, got ${value.length}`);
      return { kind: 'address', value };
    }
    case EthKind.FixedBytes:
      return { kind: 'fixedBytes', value: heap.readBytes(payload) };
    case EthKind.Bytes:
      return { kind: 'bytes', value: heap.readBytes(payload) };
    case EthKind.Int:
      return { kind: 'int', value: readBigInt(heap, payload) };
    case EthKind.Uint:
      return { kind: 'uint', value: readBigInt(heap, payload) };
    case EthKind.Bool:
      return { kind: 'bool', value: payload !== 0 };
    case EthKind.String:
      return { kind: 'string', value: heap.readString(payload) };
    case EthKind.FixedArray:
      return { kind: 'fixedArray', items: heap.readArrayU32(payload).map((p) => readEthValue(heap, p)) };
    case EthKind.Array:
      return { kind: 'array', items: heap.readArrayU32(payload).map((p) => readEthValue(heap, p)) };
    case EthKind.Tuple:
      return { kind: 'tuple', items: heap.readArrayU32(payload).map((p) => readEthValue(heap, p)) };
    default:
      throw new HostError(`invalid discriminant for ethereum value kind: ${kind}`);
  }
}

// ---- ABI values (viem) <-> EthValue ----------------------------------------------------------------

type TupleParameter = AbiParameter & { components: readonly AbiParameter[] };

function arrayShape(type: string): { inner: string; size: number | null } | null {
  const match = /^(.*)\[(\d*)\]$/.exec(type);
  if (!match) return null;
  return { inner: match[1]!, size: match[2] === '' ? null : Number(match[2]) };
}

/** Turn a value decoded by viem for `param` into an EthValue (graph-node's token kinds). */
export function abiToEth(param: AbiParameter, value: unknown): EthValue {
  const type = param.type;
  const shape = arrayShape(type);
  if (shape) {
    const inner = { ...param, type: shape.inner } as AbiParameter;
    const items = (value as readonly unknown[]).map((item) => abiToEth(inner, item));
    return shape.size === null ? { kind: 'array', items } : { kind: 'fixedArray', items };
  }
  if (type === 'tuple') {
    const components = (param as TupleParameter).components;
    const items = components.map((component, i) => {
      const field = Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[component.name ?? String(i)];
      return abiToEth(component, field);
    });
    return { kind: 'tuple', items };
  }
  if (type === 'address') return { kind: 'address', value: hexToBytes(value as string) };
  if (type === 'bool') return { kind: 'bool', value: value as boolean };
  if (type === 'string') return { kind: 'string', value: value as string };
  if (type === 'bytes') return { kind: 'bytes', value: hexToBytes(value as string) };
  if (type.startsWith('bytes')) return { kind: 'fixedBytes', value: hexToBytes(value as string) };
  if (type.startsWith('int')) return { kind: 'int', value: BigInt(value as bigint | number) };
  if (type.startsWith('uint')) return { kind: 'uint', value: BigInt(value as bigint | number) };
  throw new HostError(`unsupported ABI type \`${type}\``);
}

/** The value viem expects when encoding `value` as `param`. */
export function ethToAbi(param: AbiParameter, value: EthValue): unknown {
  const shape = arrayShape(param.type);
  if (shape) {
    if (value.kind !== 'array' && value.kind !== 'fixedArray') throw mismatch(param, value);
    const inner = { ...param, type: shape.inner } as AbiParameter;
    return value.items.map((item) => ethToAbi(inner, item));
  }
  if (param.type === 'tuple') {
    if (value.kind !== 'tuple') throw mismatch(param, value);
    const components = (param as TupleParameter).components;
    return components.map((component, i) => ethToAbi(component, value.items[i] ?? missing(param)));
  }
  switch (value.kind) {
    case 'address':
    case 'fixedBytes':
    case 'bytes':
      return bytesToHex(value.value);
    case 'int':
    case 'uint':
      return value.value;
    case 'bool':
    case 'string':
      return value.value;
    default:
      throw mismatch(param, value);
  }
}

function missing(param: AbiParameter): never {
  throw new HostError(`missing tuple component for ABI type \`${param.type}\``);
}

function mismatch(param: AbiParameter, value: EthValue): HostError {
  return new HostError(`value of kind ${value.kind} does not match ABI type \`${param.type}\``);
}

/** The ABI type an EthValue encodes as by itself (`ethereum.encode`): ints are 256-bit. */
export function parameterOf(value: EthValue): AbiParameter {
  switch (value.kind) {
    case 'address':
      return { type: 'address' };
    case 'fixedBytes':
      return { type: `bytes${value.value.length}` };
    case 'bytes':
      return { type: 'bytes' };
    case 'int':
      return { type: 'int256' };
    case 'uint':
      return { type: 'uint256' };
    case 'bool':
      return { type: 'bool' };
    case 'string':
      return { type: 'string' };
    case 'fixedArray':
    case 'array': {
      const inner = value.items[0] ? parameterOf(value.items[0]) : { type: 'uint256' };
      const suffix = value.kind === 'array' ? '[]' : `[${value.items.length}]`;
      return { ...inner, type: `${inner.type}${suffix}` } as AbiParameter;
    }
    case 'tuple':
      return { type: 'tuple', components: value.items.map(parameterOf) } as AbiParameter;
  }
}

/** `value` in viem's shape for `parameterOf(value)`. */
export function ethToAbiSelf(value: EthValue): unknown {
  return ethToAbi(parameterOf(value), value);
}

// ---- chain objects ---------------------------------------------------------------------------------

/** Block fields in host form, converted once per block and written into every trigger's instance. */
export interface BlockData {
  hash: Uint8Array;
  parentHash: Uint8Array;
  unclesHash: Uint8Array;
  author: Uint8Array;
  stateRoot: Uint8Array;
  transactionsRoot: Uint8Array;
  receiptsRoot: Uint8Array;
  number: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  timestamp: bigint;
  difficulty: bigint;
  totalDifficulty: bigint;
  size: bigint | null;
  baseFeePerGas: bigint | null;
}

export interface TransactionData {
  hash: Uint8Array;
  index: bigint;
  from: Uint8Array;
  to: Uint8Array | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  input: Uint8Array;
  nonce: bigint;
}

export interface LogData {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
  blockHash: Uint8Array | null;
  blockNumber: bigint | null;
  transactionHash: Uint8Array | null;
  transactionIndex: bigint | null;
  logIndex: bigint | null;
  removed: boolean;
}

export interface ReceiptData {
  transactionHash: Uint8Array;
  transactionIndex: bigint;
  blockHash: Uint8Array | null;
  blockNumber: bigint | null;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  contractAddress: Uint8Array | null;
  logs: LogData[];
  /** null before EIP-658 */
  status: bigint | null;
  root: Uint8Array | null;
  logsBloom: Uint8Array;
}

export interface EventData {
  address: Uint8Array;
  logIndex: bigint;
  /** graph-node passes the block-wide log index here too */
  transactionLogIndex: bigint;
  block: BlockData;
  transaction: TransactionData;
  params: Array<{ name: string; value: EthValue }>;
  receipt: ReceiptData | null;
}

function bytesOrNull(heap: AscHeap, value: Uint8Array | null): number {
  return value === null ? 0 : heap.newBytes(value);
}

function bigIntOrNull(heap: AscHeap, value: bigint | null): number {
  return value === null ? 0 : newBigInt(heap, value);
}

export function newBlock(heap: AscHeap, block: BlockData): number {
  return heap.newObject(TypeId.EthereumBlock, [
    heap.newBytes(block.hash),
    heap.newBytes(block.parentHash),
    heap.newBytes(block.unclesHash),
    heap.newBytes(block.author),
    heap.newBytes(block.stateRoot),
    heap.newBytes(block.transactionsRoot),
    heap.newBytes(block.receiptsRoot),
    newBigInt(heap, block.number),
    newBigInt(heap, block.gasUsed),
    newBigInt(heap, block.gasLimit),
    newBigInt(heap, block.timestamp),
    newBigInt(heap, block.difficulty),
    newBigInt(heap, block.totalDifficulty),
    bigIntOrNull(heap, block.size),
    bigIntOrNull(heap, block.baseFeePerGas),
  ]);
}

export function newTransaction(heap: AscHeap, tx: TransactionData): number {
  return heap.newObject(TypeId.EthereumTransaction, [
    heap.newBytes(tx.hash),
    newBigInt(heap, tx.index),
    heap.newBytes(tx.from),
    bytesOrNull(heap, tx.to),
    newBigInt(heap, tx.value),
    newBigInt(heap, tx.gasLimit),
    newBigInt(heap, tx.gasPrice),
    heap.newBytes(tx.input),
    newBigInt(heap, tx.nonce),
  ]);
}

function newLog(heap: AscHeap, log: LogData): number {
  const topics = heap.newArrayU32(
    log.topics.map((t) => heap.newBytes(t)),
    TypeId.ArrayH256,
  );
  const removed = heap.newWrappedBool(log.removed);
  return heap.newObject(TypeId.Log, [
    heap.newBytes(log.address),
    topics,
    heap.newBytes(log.data),
    bytesOrNull(heap, log.blockHash),
    bigIntOrNull(heap, log.blockNumber),
    bytesOrNull(heap, log.transactionHash),
    bigIntOrNull(heap, log.transactionIndex),
    bigIntOrNull(heap, log.logIndex),
    0, // transactionLogIndex: not available from JSON-RPC (null in graph-node too)
    0, // logType: null in graph-node
    removed,
  ]);
}

export function newReceipt(heap: AscHeap, receipt: ReceiptData): number {
  const logs = heap.newArrayU32(
    receipt.logs.map((log) => newLog(heap, log)),
    TypeId.ArrayLog,
  );
  return heap.newObject(TypeId.TransactionReceipt, [
    heap.newBytes(receipt.transactionHash),
    newBigInt(heap, receipt.transactionIndex),
    bytesOrNull(heap, receipt.blockHash),
    bigIntOrNull(heap, receipt.blockNumber),
    newBigInt(heap, receipt.cumulativeGasUsed),
    newBigInt(heap, receipt.gasUsed),
    bytesOrNull(heap, receipt.contractAddress),
    logs,
    bigIntOrNull(heap, receipt.status),
    bytesOrNull(heap, receipt.root),
    heap.newBytes(receipt.logsBloom),
  ]);
}

export function newEvent(heap: AscHeap, event: EventData): number {
  const params = heap.newArrayU32(
    event.params.map((param) => heap.newObject(TypeId.EventParam, [heap.newString(param.name), newEthValue(heap, param.value)])),
    TypeId.ArrayEventParam,
  );
  const address = heap.newBytes(event.address);
  const logIndex = newBigInt(heap, event.logIndex);
  const transactionLogIndex = newBigInt(heap, event.transactionLogIndex);
  const block = newBlock(heap, event.block);
  const transaction = newTransaction(heap, event.transaction);
  const receipt = event.receipt ? newReceipt(heap, event.receipt) : 0;
  return heap.newObject(TypeId.EthereumEvent, [address, logIndex, transactionLogIndex, 0, block, transaction, params, receipt]);
}
