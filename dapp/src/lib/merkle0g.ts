// The 0G Storage file Merkle root, computed in the browser. Mirrors `@0glabs/0g-ts-sdk` 0.3.x
// (`new MemData(bytes).merkleTree()` → `tree.rootHash()`), so a log fetched from anywhere can be checked
// against the `logRoot` committed on-chain without trusting the server that returned it:
// - the file is split into 256-byte chunks; each chunk's leaf is keccak256(chunk);
// - chunks are grouped into segments of 1,024 chunks (256 KiB); each segment has its own Merkle root;
// - the file is zero-padded ("flow padding") to a chunk count the SDK's `computePaddedSize` gives;
// - the file root is the Merkle root over the segment roots;
// - every tree pairs neighbours level by level; an odd last node moves up unchanged (no duplication).
import { concat, keccak256, type Hex } from 'viem';

export const CHUNK_SIZE = 256;
export const SEGMENT_MAX_CHUNKS = 1024;
export const SEGMENT_SIZE = CHUNK_SIZE * SEGMENT_MAX_CHUNKS;

function numSplits(total: number, unit: number): number {
  return Math.floor((total - 1) / unit) + 1;
}

function nextPow2(input: number): number {
  let power = 1;
  while (power < input) power *= 2;
  return power;
}

/** The SDK's flow padding: chunk count padded to a multiple of nextPow2(chunks)/16 (at least 1). */
export function paddedChunkCount(chunks: number): number {
  const next = nextPow2(chunks);
  if (next === chunks) return next;
  const minChunk = next >= 16 ? Math.floor(next / 16) : 1;
  return numSplits(chunks, minChunk) * minChunk;
}

/** Root of a list of node hashes: pair neighbours, carry an odd last node up. */
export function merkleRootOfHashes(leaves: readonly Hex[]): Hex | null {
  if (leaves.length === 0) return null;
  let level = leaves.slice();
  while (level.length > 1) {
    const next: Hex[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(keccak256(concat([level[i]!, level[i + 1]!])));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** The 0G Merkle root of `data`, as a 0x-prefixed lower-case hex string. */
export function zeroGRootHash(data: Uint8Array): Hex {
  if (data.length === 0) throw new Error('0G cannot store an empty file');
  const paddedSize = paddedChunkCount(numSplits(data.length, CHUNK_SIZE)) * CHUNK_SIZE;
  const segmentRoots: Hex[] = [];
  for (let segmentStart = 0; segmentStart < paddedSize; segmentStart += SEGMENT_SIZE) {
    const segmentEnd = Math.min(segmentStart + SEGMENT_SIZE, paddedSize);
    const chunkLeaves: Hex[] = [];
    for (let offset = segmentStart; offset < segmentEnd; offset += CHUNK_SIZE) {
      const chunk = new Uint8Array(CHUNK_SIZE); // zero-filled: padding past the end of the data
      if (offset < data.length) chunk.set(data.subarray(offset, Math.min(offset + CHUNK_SIZE, data.length)));
      chunkLeaves.push(keccak256(chunk));
    }
    segmentRoots.push(merkleRootOfHashes(chunkLeaves)!);
  }
  return merkleRootOfHashes(segmentRoots)!;
}
