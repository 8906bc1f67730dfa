// What cancelling a job pays and refunds, as JobMarket.cancelJob computes it: before the start the whole balance
// is refunded; while running the provider is paid pro rata for the seconds run (the protocol fee comes out of that
// payment) and the rest is refunded.
import type { JobDetail } from '../../subgraph/queries';

export interface CancelOutcome {
  /** Paid for the time run (provider payout plus protocol fee). */
  paid: bigint;
  fee: bigint;
  refund: bigint;
  /** Seconds billed (running jobs). */
  billedSec: number;
}

export function cancelOutcome(
  job: Pick<JobDetail, 'status' | 'balance' | 'gpuCount' | 'duration' | 'pricePerGpuHour' | 'startedAt'>,
  nowSec: number,
  feeBps: number,
): CancelOutcome {
  const balance = BigInt(job.balance);
  if (job.status !== 'Running' || job.startedAt == null || job.pricePerGpuHour == null) return { paid: 0n, fee: 0n, refund: balance, billedSec: 0 };
  const billedSec = Math.max(0, Math.min(nowSec - Number(job.startedAt), Number(job.duration)));
  let due = (BigInt(job.pricePerGpuHour) * BigInt(job.gpuCount) * BigInt(billedSec)) / 3600n;
  if (due > balance) due = balance;
  const fee = (due * BigInt(feeBps)) / 10_000n;
  return { paid: due, fee, refund: balance - due, billedSec };
}
