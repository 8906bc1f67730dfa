// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { MemData } from '@0glabs/0g-ts-sdk';
import { paddedChunkCount, zeroGRootHash } from './merkle0g';

async function sdkRoot(bytes: Uint8Array): Promise<string> {
  const [tree, err] = await new MemData(bytes).merkleTree();
  if (err || !tree) throw err ?? new Error('no tree');
  return tree.rootHash()!;
}

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

describe('0G Merkle root in the browser', () => {
  // Sizes around every boundary: one chunk, chunk multiples, the 16-chunk padding step, one segment, several.
  const sizes = [1, 31, 255, 256, 257, 512, 1000, 4096, 4097, 16 * 256 + 1, 17 * 256, 33 * 256 - 3, 100_000,
    262_143, 262_144, 262_145, 600_000, 1_048_576 + 77];

  it.each(sizes)('matches MemData(bytes).merkleTree().rootHash() for %i bytes', async (size) => {
    const bytes = pseudoRandomBytes(size, size);
    expect(zeroGRootHash(bytes)).toBe(await sdkRoot(bytes));
  });

  it('matches the SDK for a canonical JSON reasoning log', async () => {
    const log = new TextEncoder().encode(JSON.stringify({ jobId: '1', choice: { market: 'akash' }, steps: [] }));
    expect(zeroGRootHash(log)).toBe(await sdkRoot(log));
  });

  it('changes when one byte changes', () => {
    const bytes = pseudoRandomBytes(5000, 7);
    const tampered = bytes.slice();
    tampered[4321] = (tampered[4321] ?? 0) ^ 1;
    expect(zeroGRootHash(tampered)).not.toBe(zeroGRootHash(bytes));
  });

  it('pads chunk counts as the SDK does', () => {
    expect(paddedChunkCount(1)).toBe(1);
    expect(paddedChunkCount(3)).toBe(3);
    expect(paddedChunkCount(17)).toBe(18);
    expect(paddedChunkCount(33)).toBe(36);
    expect(paddedChunkCount(1025)).toBe(1152);
  });

  it('rejects empty data', () => {
    expect(() => zeroGRootHash(new Uint8Array())).toThrow(/empty/);
  });
});
