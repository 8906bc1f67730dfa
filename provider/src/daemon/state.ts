// The agent's durable state: the log cursor and one record per job round. Every change is written to a temp file,
// fsynced and renamed over the old one, so a kill -9 leaves either the old or the new state, never half of one.
// Phases only move forward; the record of a round says which transaction was already sent.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Address } from 'viem';
import { z } from 'zod';

export const jobPhaseSchema = z.enum([
  /** Routed to this wallet; waiting for acceptance, the document, the policy check or the image. */
  'routed',
  /** Refused by policy, an invalid document or a failed pull: never started. Terminal. */
  'refused',
  /** The container is being created/started; startJob not confirmed yet. */
  'starting',
  /** startJob is mined; the container runs under supervision. */
  'running',
  /** The container exited; the manifest and completeJob are pending. */
  'exited',
  /** completeJob is mined (or the job ended on-chain without it). Terminal. */
  'done',
  /** The round is no longer this wallet's (re-routed, cancelled or expired before the start). Terminal. */
  'abandoned',
]);
export type JobPhase = z.infer<typeof jobPhaseSchema>;

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);

export const jobRecordSchema = z.object({
  jobId: z.string().regex(/^\d+$/),
  round: z.number().int().positive(),
  offerId: z.string().regex(/^\d+$/),
  phase: jobPhaseSchema,
  /** Deterministic per job round: the container is found again by name or labels after a crash. */
  containerName: z.string(),
  containerId: z.string().optional(),
  image: z.string().optional(),
  imageDigest: z.string().nullable().optional(),
  command: z.array(z.string()).optional(),
  note: z.string().optional(),
  startTx: hex.optional(),
  /** Chain time of JobStarted. */
  startedAt: z.number().int().optional(),
  /** Why the agent stopped the container, written before the stop is sent. */
  agentStop: z.enum(['timeout', 'cancelled']).optional(),
  exit: z.object({ exitCode: z.number().int().nullable(), oomKilled: z.boolean(), finishedAt: z.number() }).optional(),
  manifestRoot: hex.optional(),
  completeTx: hex.optional(),
  updatedAt: z.number(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  /** Last block whose RouteCommitted logs were read (decimal), null before the first scan. */
  cursor: z.string().regex(/^\d+$/).nullable(),
  /** Hash of the cursor block: a different hash at that height later means a reorg. */
  cursorHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).optional(),
  jobs: z.record(z.string(), jobRecordSchema),
});
type State = z.infer<typeof stateSchema>;

export const TERMINAL: ReadonlySet<JobPhase> = new Set(['refused', 'done', 'abandoned']);

export class StateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateError';
  }
}

export const jobKey = (jobId: bigint | string, round: number) => `${jobId}:${round}`;

export class StateStore {
  readonly file: string;
  private state: State;

  constructor(stateDir: string, chainId: number, jobMarket: Address) {
    mkdirSync(stateDir, { recursive: true });
    this.file = join(stateDir, `state-${chainId}-${jobMarket.toLowerCase()}.json`);
    this.state = this.read();
  }

  private read(): State {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, cursor: null, jobs: {} };
      throw err;
    }
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new StateError(`state file ${this.file} is not valid: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  private write(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.state, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  get cursor(): bigint | null {
    return this.state.cursor === null ? null : BigInt(this.state.cursor);
  }

  get cursorHash(): string | undefined {
    return this.state.cursorHash;
  }

  setCursor(block: bigint, hash?: string): void {
    this.state.cursor = block.toString();
    if (hash) this.state.cursorHash = hash;
    else delete this.state.cursorHash;
    this.write();
  }

  job(key: string): JobRecord | undefined {
    const r = this.state.jobs[key];
    return r ? { ...r } : undefined;
  }

  jobs(): JobRecord[] {
    return Object.values(this.state.jobs).map((r) => ({ ...r }));
  }

  /** Adds a record unless one exists for the key; returns whether it was added. */
  add(record: Omit<JobRecord, 'updatedAt'>): boolean {
    const key = jobKey(record.jobId, record.round);
    if (this.state.jobs[key]) return false;
    this.state.jobs[key] = { ...record, updatedAt: Date.now() };
    this.write();
    return true;
  }

  update(key: string, patch: Partial<Omit<JobRecord, 'jobId' | 'round'>>): JobRecord {
    const current = this.state.jobs[key];
    if (!current) throw new StateError(`no job record ${key}`);
    if (TERMINAL.has(current.phase) && patch.phase && patch.phase !== current.phase) {
      throw new StateError(`job ${key} is ${current.phase}; it cannot become ${patch.phase}`);
    }
    const next = jobRecordSchema.parse({ ...current, ...patch, updatedAt: Date.now() });
    this.state.jobs[key] = next;
    this.write();
    return { ...next };
  }
}
