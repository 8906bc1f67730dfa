// The two hashes a reasoning log (and any content the keeper stores) is known by: its 0G Storage Merkle root and
// the keccak256 of its bytes. Both run on a WebAssembly keccak (hash-wasm): the JS keccaks (viem's, and the
// ethers one inside the 0G SDK) cost ~50 ms per 60 KB log, which made hashing most of a routing decision's CPU.
// The root is computed exactly as the 0G SDK's MemData.merkleTree() does (tests compare the two over every
// padding and segment boundary).
import { createKeccak, type IHasher } from 'hash-wasm';
import { keccak256 } from 'viem';
import type { Hex } from '../domain/types.js';

/** 0G's chunk (a Merkle leaf) and segment (a subtree of up to 1,024 chunks). */
const CHUNK_SIZE = 256;
const SEGMENT_CHUNKS = 1024;

let hasher: IHasher | null = null;
const hasherReady: Promise<IHasher> = createKeccak(256).then((h) => (hasher = h));

async function keccakHasher(): Promise<IHasher> {
  return hasher ?? (await hasherReady);
}

function digest(h: IHasher, ...parts: Uint8Array[]): Uint8Array {
  h.init();
  for (const p of parts) h.update(p);
  return h.digest('binary');
}

/** The chunk count the 0G flow pads a file to (the SDK's computePaddedSize). */
function paddedChunkCount(chunks: number): number {
  let pow2 = 1;
  while (pow2 < chunks) pow2 *= 2;
  if (pow2 === chunks) return chunks;
  const minChunk = pow2 >= 16 ? Math.floor(pow2 / 16) : 1;
  return Math.ceil(chunks / minChunk) * minChunk;
}

/** A Merkle root over `leaves` pairing neighbours level by level, an odd last node carried up unchanged. */
function merkleRoot(h: IHasher, leaves: Uint8Array[]): Uint8Array {
  let level = leaves;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(digest(h, level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

function toHex(bytes: Uint8Array): Hex {
  let hex = '0x';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex as Hex;
}

/** The 0G Storage Merkle root of `bytes` (the root 0G reports after an upload, as the 0G SDK computes it). */
export async function zgRootOf(bytes: Uint8Array): Promise<Hex> {
  if (bytes.length === 0) throw new Error('0G cannot store an empty file');
  const h = await keccakHasher();
  const chunks = Math.ceil(bytes.length / CHUNK_SIZE);
  const padded = paddedChunkCount(chunks);
  let zeroLeaf: Uint8Array | null = null;
  const segmentRoots: Uint8Array[] = [];
  for (let first = 0; first < padded; first += SEGMENT_CHUNKS) {
    const leaves: Uint8Array[] = [];
    for (let c = first; c < Math.min(first + SEGMENT_CHUNKS, padded); c++) {
      const start = c * CHUNK_SIZE;
      if (start + CHUNK_SIZE <= bytes.length) leaves.push(digest(h, bytes.subarray(start, start + CHUNK_SIZE)));
      else if (start < bytes.length) {
        // The last partial chunk is zero-padded to a whole chunk.
        const chunk = new Uint8Array(CHUNK_SIZE);
        chunk.set(bytes.subarray(start));
        leaves.push(digest(h, chunk));
      } else leaves.push((zeroLeaf ??= digest(h, new Uint8Array(CHUNK_SIZE))));
    }
    segmentRoots.push(merkleRoot(h, leaves));
  }
  return toHex(merkleRoot(h, segmentRoots));
}

/** keccak256 of the canonical JSON bytes (the on-chain decisionHash). */
export function decisionHashOf(bytes: Uint8Array): Hex {
  // Before the WebAssembly keccak has loaded (the first milliseconds of a process), viem's gives the same hash.
  return hasher ? toHex(digest(hasher, bytes)) : keccak256(bytes);
}
