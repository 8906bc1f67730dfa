// The JobMarket as the agent sees it: the routes committed to its wallet, a job's on-chain record, the published
// spec, and the two transactions it sends — each preceded by a fresh `getJob` so a repeat is never sent.
import { jobMarketAbi } from '@necto/contracts';
import { pad, type Address, type Hex } from 'viem';
import { prepareTx, sendPreparedTx, sendTx, type ChainClients, type PreparedTx } from './clients.js';

/** DataTypes.JobStatus */
export const JobStatus = {
  None: 0,
  Open: 1,
  Routed: 2,
  Accepted: 3,
  Running: 4,
  Completed: 5,
  Settled: 6,
  Cancelled: 7,
  Expired: 8,
  Disputed: 9,
  Resolved: 10,
} as const;

export interface OnchainJob {
  buyer: Address;
  status: number;
  round: number;
  tracked: boolean;
  gpuCount: number;
  duration: number;
  operator: Address;
  startedAt: number;
  completedAt: number;
  startDeadline: number;
}

export interface RouteToMe {
  jobId: bigint;
  round: number;
  offerId: bigint;
  blockNumber: bigint;
}

/** A transaction the agent decided not to send: the chain says the step is done or no longer allowed. */
export class NotActionableError extends Error {
  constructor(
    readonly jobId: bigint,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'NotActionableError';
  }
}

export class Market {
  readonly address: Address;
  constructor(
    private readonly clients: ChainClients,
    jobMarket: Address,
    private readonly me: Address,
  ) {
    this.address = jobMarket;
  }

  async head(): Promise<bigint> {
    return this.clients.publicClient.getBlockNumber({ cacheTime: 0 });
  }

  /** The latest block's number and hash. */
  async latest(): Promise<{ number: bigint; hash: string }> {
    const block = await this.clients.publicClient.getBlock({ blockTag: 'latest' });
    return { number: block.number, hash: block.hash };
  }

  /** Hash of the block at `number` (null when the chain is not that long: it moved back). */
  async blockHash(number: bigint): Promise<string | null> {
    try {
      return (await this.clients.publicClient.getBlock({ blockNumber: number })).hash;
    } catch {
      return null;
    }
  }

  /** Timestamp of the latest block: the clock the contract pays by. */
  async chainTime(): Promise<number> {
    const block = await this.clients.publicClient.getBlock({ blockTag: 'latest' });
    return Number(block.timestamp);
  }

  async getJob(jobId: bigint): Promise<OnchainJob> {
    const j = await this.clients.publicClient.readContract({ address: this.address, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] });
    return {
      buyer: j.buyer,
      status: j.status,
      round: j.round,
      tracked: j.tracked,
      gpuCount: j.gpuCount,
      duration: j.duration,
      operator: j.operator,
      startedAt: j.startedAt,
      completedAt: j.completedAt,
      startDeadline: j.startDeadline,
    };
  }

  /** RouteCommitted events naming this wallet in [fromBlock, toBlock] (providerRef is indexed: one filtered query). */
  async routesToMe(fromBlock: bigint, toBlock: bigint): Promise<RouteToMe[]> {
    const logs = await this.clients.publicClient.getContractEvents({
      address: this.address,
      abi: jobMarketAbi,
      eventName: 'RouteCommitted',
      args: { providerRef: pad(this.me, { size: 32 }) },
      fromBlock,
      toBlock,
    });
    return logs
      .filter((l) => l.args.provider?.toLowerCase() === this.me.toLowerCase() && l.blockNumber !== null)
      .map((l) => ({ jobId: l.args.jobId!, round: Number(l.args.round), offerId: l.args.offerId!, blockNumber: l.blockNumber! }));
  }

  /** The job's on-chain specHash (JobSubmitted). */
  async specHash(jobId: bigint, fromBlock: bigint): Promise<Hex | null> {
    const logs = await this.clients.publicClient.getContractEvents({ address: this.address, abi: jobMarketAbi, eventName: 'JobSubmitted', args: { jobId }, fromBlock });
    return (logs[0]?.args.specHash?.toLowerCase() as Hex | undefined) ?? null;
  }

  /** A tracked job's published spec: its hash and, where the deployment publishes it, the document text. */
  async publishedSpec(jobId: bigint, fromBlock: bigint): Promise<{ specHash: Hex; document: string | null } | null> {
    const logs = await this.clients.publicClient.getContractEvents({ address: this.address, abi: jobMarketAbi, eventName: 'JobSpecPublished', args: { jobId }, fromBlock });
    const spec = logs[0]?.args.spec as { specHash: Hex; document?: string } | undefined;
    if (!spec) return null;
    return { specHash: spec.specHash.toLowerCase() as Hex, document: typeof spec.document === 'string' ? spec.document : null };
  }

  /**
   * startJob, only when the chain still has this round accepted and routed to this wallet: checked, estimated
   * and priced by `prepareStartJob`, then sent (`onSent` once the node has it) and waited for.
   */
  async startJob(jobId: bigint, round: number, onSent?: () => void): Promise<Hex> {
    return this.sendPrepared(await this.prepareStartJob(jobId, round), onSent);
  }

  /**
   * The checks and estimates of a startJob, done ahead: while the container starts, so that only the send is
   * left once it runs. Throws NotActionableError when the chain has the round elsewhere, TxError when it reverts.
   */
  async prepareStartJob(jobId: bigint, round: number): Promise<PreparedTx> {
    const job = await this.getJob(jobId);
    this.assertMine(jobId, round, job);
    if (job.status !== JobStatus.Accepted) throw new NotActionableError(jobId, job.status, `job ${jobId} is not waiting for a start (status ${job.status})`);
    return prepareTx(this.clients, `startJob(${jobId})`, { address: this.address, abi: jobMarketAbi, functionName: 'startJob', args: [jobId] });
  }

  /** Sends a prepared transaction and waits for it; its hash. */
  async sendPrepared(prepared: PreparedTx, onSent?: () => void): Promise<Hex> {
    return (await sendPreparedTx(this.clients, prepared, onSent)).transactionHash;
  }

  /** completeJob, only when the chain still has this round running on this wallet. */
  async completeJob(jobId: bigint, round: number, resultHash: Hex): Promise<Hex> {
    const job = await this.getJob(jobId);
    this.assertMine(jobId, round, job);
    if (job.status !== JobStatus.Running) throw new NotActionableError(jobId, job.status, `job ${jobId} is not running (status ${job.status})`);
    const receipt = await sendTx(this.clients, `completeJob(${jobId})`, { address: this.address, abi: jobMarketAbi, functionName: 'completeJob', args: [jobId, resultHash] });
    return receipt.transactionHash;
  }

  private assertMine(jobId: bigint, round: number, job: OnchainJob) {
    if (job.round !== round || job.operator.toLowerCase() !== this.me.toLowerCase()) {
      throw new NotActionableError(jobId, job.status, `job ${jobId} round ${round} is no longer routed to ${this.me} (round ${job.round}, operator ${job.operator})`);
    }
  }
}
