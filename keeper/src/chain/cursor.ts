// The intake's persisted position: the last block whose jobs are fully handled, plus the hashes of recent
// blocks so a reorg (even across a restart) is noticed. Written atomically (temp file + rename).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Hex } from '../domain/types.js';

const cursorFileSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int(),
  jobMarket: z.string().regex(/^0x[0-9a-f]{40}$/),
  block: z.string().regex(/^-?\d+$/),
  hashes: z.array(z.object({ number: z.string().regex(/^\d+$/), hash: z.string().regex(/^0x[0-9a-f]{64}$/) })),
});

export interface BlockRef {
  number: bigint;
  hash: Hex;
}

export interface CursorState {
  /** Last block fully handled (startBlock − 1 before anything). */
  block: bigint;
  /** Recent block hashes, ascending, all ≤ block. */
  hashes: BlockRef[];
}

export class CursorStore {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly chainId: number,
    private readonly jobMarket: Hex,
  ) {
    this.file = join(dataDir, `cursor-${chainId}-${jobMarket.toLowerCase()}.json`);
  }

  /** The saved cursor, or null when there is none (or it belongs to another deployment, or is unreadable). */
  load(): CursorState | null {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return null;
    }
    const parsed = cursorFileSchema.safeParse(raw);
    if (!parsed.success || parsed.data.chainId !== this.chainId || parsed.data.jobMarket !== this.jobMarket.toLowerCase()) return null;
    return {
      block: BigInt(parsed.data.block),
      hashes: parsed.data.hashes.map((h) => ({ number: BigInt(h.number), hash: h.hash as Hex })),
    };
  }

  save(state: CursorState): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const body = JSON.stringify(
      {
        version: 1,
        chainId: this.chainId,
        jobMarket: this.jobMarket.toLowerCase(),
        block: state.block.toString(),
        hashes: state.hashes.map((h) => ({ number: h.number.toString(), hash: h.hash })),
      },
      null,
      2,
    );
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, body);
    renameSync(tmp, this.file);
  }
}
