import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemData } from '@0glabs/0g-ts-sdk';
import { keccak256 } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogIntegrityError, canonicalJson, createLogStore, decisionHashOf, zgRootOf } from '../../src/log/index.js';

async function sdkRoot(bytes: Uint8Array): Promise<string> {
  const [tree, err] = await new MemData(bytes).merkleTree();
  expect(err).toBeNull();
  return tree!.rootHash()!;
}

describe('canonical JSON', () => {
  it('sorts keys at every depth, has no whitespace, writes bigints as decimal strings', () => {
    const value = { b: 1, a: { z: [3, { y: 2n, x: null }], c: 'é"\n' }, u: undefined, big: 12345678901234567890n };
    expect(canonicalJson(value)).toBe('{"a":{"c":"é\\"\\n","z":[3,{"x":null,"y":"2"}]},"b":1,"big":"12345678901234567890"}');
  });

  it('gives the same bytes whatever the key insertion order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('refuses non-finite numbers and cycles', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('writes any nesting depth without overflowing the stack, and matches JSON for plain data', () => {
    for (const depth of [8_000, 200_000]) {
      let deep: unknown = { leaf: [1, 'x'] };
      let expected = '{"leaf":[1,"x"]}';
      const opens: string[] = [];
      const closes: string[] = [];
      for (let i = 0; i < depth; i++) {
        deep = i % 2 ? { k: deep } : [deep, null];
        opens.push(i % 2 ? '{"k":' : '[');
        closes.push(i % 2 ? '}' : ',null]');
      }
      expected = opens.reverse().join('') + expected + closes.join('');
      expect(canonicalJson(deep)).toBe(expected);
    }
    // Shared (non-cyclic) references, Maps, Sets, holes and Uint8Arrays keep their canonical forms.
    const shared = { b: 2, a: 1 };
    // eslint-disable-next-line no-sparse-arrays
    const value = { s: [shared, shared], m: new Map<string, unknown>([['z', 1], ['y', new Set([3n])]]), h: [1, , 3], u: new Uint8Array([0, 255]) };
    expect(canonicalJson(value)).toBe('{"h":[1,null,3],"m":{"y":["3"],"z":1},"s":[{"a":1,"b":2},{"a":1,"b":2}],"u":"0x00ff"}');
  });
});

describe('0G root', () => {
  it('equals the 0G SDK merkle root, for one chunk and for many segments', async () => {
    // Chunk (256 B) and segment (256 KiB) edges, the flow's padding steps (a power of two, then sixteenths of
    // one), a partial last segment and several whole ones.
    const sizes = [1, 255, 256, 257, 511, 4096, 4097, 16 * 256 + 1, 17 * 256, 33 * 256 - 3, 59_472, 262_143, 262_144, 262_145, 300_000, 524_288, 1_100_000];
    for (const size of sizes) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
      expect(await zgRootOf(bytes)).toBe((await sdkRoot(bytes)).toLowerCase());
    }
  });

  it('is not a plain keccak of the bytes; the decision hash is', async () => {
    const bytes = new TextEncoder().encode('{"a":1}');
    expect(await zgRootOf(bytes)).not.toBe(keccak256(bytes));
    expect(decisionHashOf(bytes)).toBe(keccak256(bytes));
  });

  it('gives the decision hash viem gives, for any size (the WebAssembly keccak once loaded)', async () => {
    await zgRootOf(new Uint8Array([1])); // the WebAssembly keccak is loaded from here on
    for (const size of [0, 1, 135, 136, 137, 1000, 59_472, 300_001]) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 7 + 3) & 0xff);
      expect(decisionHashOf(bytes)).toBe(keccak256(bytes));
    }
  });
});

describe('local log store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'necto-logs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips bytes under their 0G root', async () => {
    const store = createLogStore({ kind: 'local', dir });
    const bytes = new TextEncoder().encode(canonicalJson({ hello: 'world', n: 1n }));
    const { root } = await store.put(bytes);
    expect(root).toBe((await sdkRoot(bytes)).toLowerCase());
    expect(await store.get(root)).toEqual(bytes);
    expect(await store.get(root.toUpperCase().replace('0X', '0x') as `0x${string}`)).toEqual(bytes);
    // Idempotent.
    expect((await store.put(bytes)).root).toBe(root);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('returns null for an unknown root and rejects a malformed one', async () => {
    const store = createLogStore({ kind: 'local', dir });
    expect(await store.get(`0x${'00'.repeat(32)}`)).toBeNull();
    await expect(store.get('0x1234' as `0x${string}`)).rejects.toThrow();
  });

  it('detects a tampered file', async () => {
    const store = createLogStore({ kind: 'local', dir });
    const bytes = new TextEncoder().encode('{"price":"1000000"}');
    const { root } = await store.put(bytes);
    const file = join(dir, `${root.slice(2)}.json`);
    const tampered = (await readFile(file, 'utf8')).replace('1000000', '9000000');
    await writeFile(file, tampered);
    await expect(store.get(root)).rejects.toBeInstanceOf(LogIntegrityError);
  });
});
