// Disputes: the buyer disputes a completed job inside the window; the arbiter splits the escrow.
import { Address } from '@graphprotocol/graph-ts';
import {
  DisputeResolved as DisputeResolvedEvent,
  DisputeSettledByDefault as DisputeSettledByDefaultEvent,
  JobDisputed as JobDisputedEvent,
} from '../../generated/JobMarket/JobMarket';
import { Job, MarketSettlement, Provider, ProviderStats } from '../../generated/schema';
import { ActivityKind, JobStatus } from '../common/constants';
import { shortAddress } from '../common/format';
import { jobActivity, jobLabel, openJobEvent } from './job-event';
import { payOut, Payout } from './payout';

/**
 * Who is paid for a job's current route (DisputeResolved does not name it): the on-chain provider's payout address,
 * or the external market's settlement account.
 */
function routePayee(job: Job): Address {
  let providerId = job.provider;
  if (providerId !== null) {
    let provider = Provider.load(providerId);
    if (provider !== null) return Address.fromBytes(provider.payout);
  }
  let market = job.market;
  if (market !== null) {
    let settlement = MarketSettlement.load(market);
    if (settlement !== null) {
      let account = settlement.account;
      if (account !== null) return Address.fromBytes(account);
    }
  }
  return Address.zero();
}

/** "12.50" for 1250 basis points. */
function percentOfBps(bps: i32): string {
  return (bps / 100).toString() + '.' + (bps % 100 < 10 ? '0' : '') + (bps % 100).toString();
}

export function handleJobDisputed(event: JobDisputedEvent): void {
  let e = openJobEvent(event, event.params.jobId, 'JobDisputed');
  if (e === null) return;
  let job = e.job;
  e.setStatus(JobStatus.DISPUTED);
  job.disputedAt = e.timestamp;
  job.disputeReasonHash = event.params.reasonHash;
  e.save();
  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsDisputed += 1;
      stats.lastJobAt = e.timestamp;
      stats.save();
    }
  }
  jobActivity(event, ActivityKind.JOB_DISPUTED, job, jobLabel(job) + ' disputed by ' + shortAddress(event.params.buyer)).save();
}

export function handleDisputeResolved(event: DisputeResolvedEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'DisputeResolved');
  if (e === null) return;
  let job = e.job;
  let split = new Payout(p.payout, p.fee, p.refund);
  e.setStatus(JobStatus.RESOLVED);
  job.resolvedAt = e.timestamp;
  job.providerShareBps = p.providerShareBps;
  job.arbiter = p.arbiter;
  payOut(event, e, routePayee(job), split, true);
  e.save();
  let activity = jobActivity(
    event,
    ActivityKind.DISPUTE_RESOLVED,
    job,
    jobLabel(job) + ' dispute resolved (' + percentOfBps(p.providerShareBps) + '% to the provider): ' + split.summary(),
  );
  activity.amount = p.payout;
  activity.save();
}

/** A dispute the arbiter left open past the job's dispute timeout, settled by anyone with the default share. */
export function handleDisputeSettledByDefault(event: DisputeSettledByDefaultEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'DisputeSettledByDefault');
  if (e === null) return;
  let job = e.job;
  let split = new Payout(p.payout, p.fee, p.refund);
  e.setStatus(JobStatus.RESOLVED);
  job.resolvedAt = e.timestamp;
  job.providerShareBps = p.providerShareBps;
  job.settledByDefault = true;
  payOut(event, e, routePayee(job), split, true);
  e.save();
  let activity = jobActivity(
    event,
    ActivityKind.DISPUTE_RESOLVED,
    job,
    jobLabel(job) + ' dispute timed out, settled by default (' + percentOfBps(p.providerShareBps) + '% to the provider): ' +
      split.summary(),
  );
  activity.amount = p.payout;
  activity.save();
}
