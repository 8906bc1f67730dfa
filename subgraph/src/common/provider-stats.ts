import { BigInt } from '@graphprotocol/graph-ts';
import { ProviderStats } from '../../generated/schema';
import { ZERO, ZERO_DECIMAL } from './constants';

export function newProviderStats(provider: string): ProviderStats {
  let stats = new ProviderStats(provider);
  stats.provider = provider;
  stats.jobsRouted = 0;
  stats.jobsStarted = 0;
  stats.onTimeStarts = 0;
  stats.missedStarts = 0;
  stats.onTimeStartRate = ZERO_DECIMAL;
  stats.jobsCompleted = 0;
  stats.jobsPaid = 0;
  stats.jobsDisputed = 0;
  stats.jobsCancelled = 0;
  stats.totalEarned = ZERO;
  stats.totalFees = ZERO;
  return stats;
}

/** onTimeStartRate = onTimeStarts / (jobsStarted + missedStarts), 0 while no start was due. */
export function refreshOnTimeRate(stats: ProviderStats): void {
  let due = stats.jobsStarted + stats.missedStarts;
  stats.onTimeStartRate =
    due == 0 ? ZERO_DECIMAL : BigInt.fromI32(stats.onTimeStarts).toBigDecimal().div(BigInt.fromI32(due).toBigDecimal());
}

