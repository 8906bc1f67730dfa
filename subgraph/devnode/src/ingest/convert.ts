/** RPC objects (hex strings) → the host-side chain data written into WASM memory. */
import { hexToBytes } from '../hex.js';
import type { BlockData, LogData, ReceiptData, TransactionData } from '../runtime/ethereum.js';
import type { RpcBlock, RpcLog, RpcReceipt, RpcTransaction } from './rpc.js';

const big = (hex: string | undefined | null): bigint => (hex ? BigInt(hex) : 0n);
const ZERO_HASH = new Uint8Array(32);

export function toBlockData(block: RpcBlock): BlockData {
  return {
    hash: hexToBytes(block.hash),
    parentHash: hexToBytes(block.parentHash),
    unclesHash: hexToBytes(block.sha3Uncles),
    author: hexToBytes(block.miner),
    stateRoot: hexToBytes(block.stateRoot),
    transactionsRoot: hexToBytes(block.transactionsRoot),
    receiptsRoot: hexToBytes(block.receiptsRoot),
    number: big(block.number),
    gasUsed: big(block.gasUsed),
    gasLimit: big(block.gasLimit),
    timestamp: big(block.timestamp),
    difficulty: big(block.difficulty),
    totalDifficulty: big(block.totalDifficulty),
    size: block.size ? BigInt(block.size) : null,
    baseFeePerGas: block.baseFeePerGas ? BigInt(block.baseFeePerGas) : null,
  };
}

/** graph-node reports the effective gas price (EIP-1559: min(maxFee, baseFee + priorityFee)). */
export function toTransactionData(tx: RpcTransaction, baseFeePerGas: bigint | null): TransactionData {
  let gasPrice = big(tx.gasPrice);
  if (tx.maxFeePerGas && tx.maxPriorityFeePerGas && baseFeePerGas !== null) {
    const maxFee = BigInt(tx.maxFeePerGas);
    const tip = baseFeePerGas + BigInt(tx.maxPriorityFeePerGas);
    gasPrice = tip < maxFee ? tip : maxFee;
  }
  return {
    hash: hexToBytes(tx.hash),
    index: big(tx.transactionIndex),
    from: hexToBytes(tx.from),
    to: tx.to ? hexToBytes(tx.to) : null,
    value: big(tx.value),
    gasLimit: big(tx.gas),
    gasPrice,
    input: hexToBytes(tx.input),
    nonce: big(tx.nonce),
  };
}

export function toLogData(log: RpcLog): LogData {
  return {
    address: hexToBytes(log.address),
    topics: log.topics.map(hexToBytes),
    data: hexToBytes(log.data),
    blockHash: log.blockHash ? hexToBytes(log.blockHash) : null,
    blockNumber: log.blockNumber ? BigInt(log.blockNumber) : null,
    transactionHash: log.transactionHash ? hexToBytes(log.transactionHash) : null,
    transactionIndex: log.transactionIndex ? BigInt(log.transactionIndex) : null,
    logIndex: log.logIndex ? BigInt(log.logIndex) : null,
    removed: log.removed ?? false,
  };
}

export function toReceiptData(receipt: RpcReceipt): ReceiptData {
  return {
    transactionHash: hexToBytes(receipt.transactionHash),
    transactionIndex: big(receipt.transactionIndex),
    blockHash: receipt.blockHash ? hexToBytes(receipt.blockHash) : null,
    blockNumber: receipt.blockNumber ? BigInt(receipt.blockNumber) : null,
    cumulativeGasUsed: big(receipt.cumulativeGasUsed),
    gasUsed: big(receipt.gasUsed),
    contractAddress: receipt.contractAddress ? hexToBytes(receipt.contractAddress) : null,
    logs: receipt.logs.map(toLogData),
    status: receipt.status !== undefined && receipt.status !== null ? BigInt(receipt.status) : null,
    root: receipt.root && receipt.root !== '0x' ? hexToBytes(receipt.root) : null,
    logsBloom: receipt.logsBloom ? hexToBytes(receipt.logsBloom) : ZERO_HASH,
  };
}
