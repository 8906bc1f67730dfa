/**
 * Reasoning-log stores keyed by the 0G Merkle root. `local` is the embedded default: content-addressed
 * files under a directory, verified on read. `0g` uploads with the 0G SDK's Indexer (real client code,
 * used when configured) and verifies what it downloads the same way.
 */
import { mkdir, readFile, rename, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Indexer, MemData } from '@0glabs/0g-ts-sdk';
import { JsonRpcProvider, Wallet } from 'ethers';
import { z } from 'zod';
import type { Hex, LogStore } from '../domain/types.js';
import { zgRootOf } from './root.js';

export type LogStoreConfig =
  | { kind: 'local'; dir: string }
  | { kind: '0g'; indexerUrl: string; evmRpc: string; privateKey: string };

const rootSchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte 0x-hex root');

/** Thrown when stored bytes do not hash to the root they are stored under. */
export class LogIntegrityError extends Error {
  constructor(
    readonly root: Hex,
    readonly actual: Hex,
  ) {
    super(`log ${root} failed verification: its bytes hash to ${actual}`);
    this.name = 'LogIntegrityError';
  }
}

export function createLogStore(config: LogStoreConfig): LogStore {
  return config.kind === 'local' ? localLogStore(config.dir) : zeroGLogStore(config);
}

function normaliseRoot(root: string): Hex {
  return rootSchema.parse(root).toLowerCase() as Hex;
}

async function verified(root: Hex, bytes: Uint8Array): Promise<Uint8Array> {
  const actual = await zgRootOf(bytes);
  if (actual !== root) throw new LogIntegrityError(root, actual);
  return bytes;
}

function localLogStore(dir: string): LogStore {
  const pathOf = (root: Hex) => join(dir, `${root.slice(2)}.json`);
  let ready: Promise<unknown> | null = null;
  return {
    kind: 'local',
    async put(bytes) {
      const root = await zgRootOf(bytes);
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      // Write-then-rename so a crash never leaves a half-written log under a valid root.
      const tmp = `${pathOf(root)}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, pathOf(root));
      return { root };
    },
    async get(rootInput) {
      const root = normaliseRoot(rootInput);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(pathOf(root)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      return verified(root, bytes);
    },
  };
}

function zeroGLogStore(config: { indexerUrl: string; evmRpc: string; privateKey: string }): LogStore {
  const indexer = new Indexer(config.indexerUrl);
  // The SDK's typings name ethers' CommonJS build while this ESM module gets ethers' ESM build: same class,
  // same pinned version (6.13.1), different declaration files.
  const signer = new Wallet(config.privateKey, new JsonRpcProvider(config.evmRpc)) as unknown as Parameters<
    Indexer['upload']
  >[2];
  return {
    kind: '0g',
    async put(bytes) {
      const root = await zgRootOf(bytes);
      const [result, err] = await indexer.upload(new MemData(bytes), config.evmRpc, signer);
      if (err !== null) {
        // Content-addressed: the same log uploaded twice is already there, which is what we want.
        if (!/already (exists|uploaded)/i.test(err.message)) throw new Error(`0G upload failed: ${err.message}`);
      } else if (result.rootHash.toLowerCase() !== root) {
        throw new Error(`0G upload returned root ${result.rootHash}, expected ${root}`);
      }
      return { root };
    },
    async get(rootInput) {
      const root = normaliseRoot(rootInput);
      const dir = await mkdtemp(join(tmpdir(), 'necto-0g-'));
      const file = join(dir, 'log.json');
      try {
        const err = await indexer.download(root, file, true);
        if (err !== null) {
          if (/not found|no locations|file not exist/i.test(err.message)) return null;
          throw new Error(`0G download failed: ${err.message}`);
        }
        return await verified(root, new Uint8Array(await readFile(file)));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
