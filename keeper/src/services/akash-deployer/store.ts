// One file per (job, round) under DATA_DIR/akash/<chainId>-<jobMarket>/: the deployer's durable state. Writes
// are atomic (write to a temp file, fsync, rename), so a kill -9 leaves either the old or the new state.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const DEPLOYER_STATES = ['created', 'bidding', 'leased', 'manifest-sent', 'running', 'closed'] as const;
export type DeployerState = (typeof DEPLOYER_STATES)[number];

export const END_REASONS = ['ok', 'timeout', 'cancelled', 'no-bid', 'failed', 'lease-lost'] as const;

const leaseSchema = z.object({ owner: z.string(), dseq: z.string(), gseq: z.number().int(), oseq: z.number().int(), provider: z.string(), bseq: z.number().int(), price: z.object({ denom: z.string(), amount: z.string() }) });

export const recordSchema = z.object({
  v: z.literal(1),
  jobId: z.string().regex(/^\d+$/),
  round: z.number().int().min(1),
  state: z.enum(DEPLOYER_STATES),
  /** `self-sign`: the buyer signs the deployment and lease (Keplr); the keeper follows them and reports. */
  mode: z.enum(['managed', 'self-sign']).default('managed'),
  owner: z.string(),
  /** Chosen before the create tx is sent, so a restart finds the deployment it may already have created. */
  dseq: z.string().regex(/^\d+$/),
  sdl: z.string(),
  sdlHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  /** The routed provider's Akash address (the route's externalId). */
  provider: z.string(),
  durationSec: z.number().int().positive(),
  deposit: z.object({ denom: z.string(), amount: z.string().regex(/^\d+$/) }),
  createdAtMs: z.number(),
  biddingSinceMs: z.number().nullable(),
  lease: leaseSchema.nullable(),
  manifestSentAtMs: z.number().nullable(),
  /** Unix seconds the workload was seen ready (startJob reported). */
  startedAt: z.number().nullable(),
  startReported: z.boolean(),
  /** Set when the end is decided; the close and the completion follow from it after any restart. */
  end: z.object({ reason: z.enum(END_REASONS), at: z.number(), detail: z.string().max(300) }).nullable(),
  closedOnChain: z.boolean(),
  /** The service log collected before the close, stored content-addressed (an empty log has no root: 0G stores no empty file). */
  log: z.object({ root: z.string().nullable(), bytes: z.number().int(), truncated: z.boolean() }).nullable(),
  resultRoot: z.string().nullable(),
  completeReported: z.boolean(),
  rerouteSignalled: z.boolean(),
  deposits: z.array(z.object({ amount: z.string(), txhash: z.string() })),
  /** Top-ups asked for but not yet deposited (USD micros), applied in order. */
  pendingTopUps: z.array(z.object({ id: z.string(), usdMicros: z.string().regex(/^\d+$/) })),
  /** Every top-up event considered for this round (applied, or already in the first deposit). */
  seenTopUps: z.array(z.string()),
  lastError: z.string().max(300).nullable(),
});
export type DeploymentRecord = z.output<typeof recordSchema>;

export class DeployerStore {
  private readonly dir: string;

  constructor(dataDir: string, chainId: number, jobMarket: string) {
    this.dir = join(dataDir, 'akash', `${chainId}-${jobMarket.toLowerCase()}`);
    mkdirSync(this.dir, { recursive: true });
  }

  private file(jobId: string, round: number): string {
    return join(this.dir, `${jobId}-${round}.json`);
  }

  get(jobId: string, round: number): DeploymentRecord | null {
    let text: string;
    try {
      text = readFileSync(this.file(jobId, round), 'utf8');
    } catch {
      return null;
    }
    return recordSchema.parse(JSON.parse(text));
  }

  put(r: DeploymentRecord): void {
    const file = this.file(r.jobId, r.round);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(recordSchema.parse(r)));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }

  all(): DeploymentRecord[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => recordSchema.parse(JSON.parse(readFileSync(join(this.dir, f), 'utf8'))));
  }
}
