import { MemData } from '@0glabs/0g-ts-sdk';
import { keccak256 } from 'viem';
import type { Hex } from '../domain/types.js';

/** The 0G Storage Merkle root of `bytes`, computed by the 0G SDK (the root 0G will report after an upload). */
export async function zgRootOf(bytes: Uint8Array): Promise<Hex> {
  if (bytes.length === 0) throw new Error('0G cannot store an empty file');
  const [tree, err] = await new MemData(bytes).merkleTree();
  if (err !== null || tree === null) throw new Error(`0G merkle tree: ${err?.message ?? 'no tree'}`);
  const root = tree.rootHash();
  if (root === null) throw new Error('0G merkle tree has no root');
  return root.toLowerCase() as Hex;
}

/** keccak256 of the canonical JSON bytes (the on-chain decisionHash). */
export function decisionHashOf(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}
