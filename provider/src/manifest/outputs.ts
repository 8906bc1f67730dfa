/**
 * The files a container left in its outputs directory: relative path, size and sha256 of each regular file.
 * The directory was writable by the buyer's code, so nothing in it is trusted: symlinks are not followed (a
 * link to a host file must not leak it), special files are skipped, files are opened with O_NOFOLLOW, and
 * count and total size are bounded.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hex } from 'viem';

export interface OutputLimits {
  maxFiles: number;
  maxTotalBytes: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxFiles: 1000, maxTotalBytes: 512 * 1024 * 1024 };

export interface OutputFile {
  /** Relative to the outputs directory, `/`-separated. */
  path: string;
  size: number;
  sha256: Hex;
  bytes: Uint8Array;
}

export interface OutputScan {
  files: OutputFile[];
  /** Entries not taken as outputs (symlinks, sockets, devices), with why. */
  skipped: Array<{ path: string; why: string }>;
}

/** More output than the provider takes in (the limit is the provider's policy). */
export class OutputLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputLimitError';
  }
}

export async function scanOutputs(dir: string, limits: OutputLimits = DEFAULT_OUTPUT_LIMITS): Promise<OutputScan> {
  const files: OutputFile[] = [];
  const skipped: OutputScan['skipped'] = [];
  let totalBytes = 0;

  async function walk(absolute: string, relative: string): Promise<void> {
    const entries = await readdir(absolute, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = join(absolute, entry.name);
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const stat = await lstat(abs);
      if (stat.isSymbolicLink()) {
        skipped.push({ path: rel, why: 'symbolic link' });
      } else if (stat.isDirectory()) {
        await walk(abs, rel);
      } else if (stat.isFile()) {
        if (files.length + 1 > limits.maxFiles) throw new OutputLimitError(`more than ${limits.maxFiles} output files`);
        if (totalBytes + stat.size > limits.maxTotalBytes) {
          throw new OutputLimitError(`outputs exceed ${limits.maxTotalBytes} bytes (at ${rel})`);
        }
        const bytes = await readNoFollow(abs, limits.maxTotalBytes - totalBytes, rel);
        totalBytes += bytes.length;
        files.push({ path: rel, size: bytes.length, sha256: sha256Hex(bytes), bytes });
      } else {
        skipped.push({ path: rel, why: 'not a regular file' });
      }
    }
  }

  await walk(dir, '');
  // Sorted by full path (the manifest's order), not by directory walk order.
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

async function readNoFollow(path: string, budget: number, rel: string): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new OutputLimitError(`${rel} changed while being read`);
    if (stat.size > budget) throw new OutputLimitError(`outputs exceed the size limit (at ${rel})`);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

export function sha256Hex(bytes: Uint8Array): Hex {
  return `0x${createHash('sha256').update(bytes).digest('hex')}`;
}
