// Elapsed run time and cost of a job, billed the way JobMarket bills it: per second,
// price × GPUs × min(end − startedAt, duration) / 3600, rounded down.

const SECONDS_PER_HOUR = 3600n;

export interface Billing {
  /** Unix seconds the job started (the on-chain `startedAt`). */
  startedAt: number;
  /** Unix seconds billing stopped (completion, a dispute while running, a cancellation), or null while it runs. */
  endedAt: number | null;
  /** Paid duration, seconds (grows with top-ups). */
  durationSec: number;
  /** Agreed price, USDC base units per GPU-hour. */
  pricePerGpuHour: bigint;
  gpuCount: number;
}

export interface Elapsed {
  /** Billed seconds: from the start to the end (or now), never below 0 nor above the paid duration. */
  seconds: number;
  /** USDC base units owed for `seconds`. */
  cost: bigint;
  /** USDC base units the whole paid duration costs. */
  capCost: bigint;
  /** True once the paid duration is used up. */
  capped: boolean;
  /** Seconds of paid time left (0 once capped or ended). */
  remainingSec: number;
}

/** What the job has cost so far at `nowSec`. */
export function elapsedBilling(billing: Billing, nowSec: number): Elapsed {
  const end = billing.endedAt ?? Math.floor(nowSec);
  const raw = Math.max(0, end - billing.startedAt);
  const duration = Math.max(0, Math.floor(billing.durationSec));
  const seconds = Math.min(raw, duration);
  const rate = billing.pricePerGpuHour * BigInt(billing.gpuCount);
  return {
    seconds,
    cost: (rate * BigInt(seconds)) / SECONDS_PER_HOUR,
    capCost: (rate * BigInt(duration)) / SECONDS_PER_HOUR,
    capped: raw >= duration,
    remainingSec: billing.endedAt === null ? Math.max(0, duration - seconds) : 0,
  };
}
