// Settlement and the other exits from escrow: settled after completion, cancelled by the buyer, expired unstarted.
import { Address } from '@graphprotocol/graph-ts';
import {
  JobCancelled as JobCancelledEvent,
  JobExpired as JobExpiredEvent,
  JobSettled as JobSettledEvent,
} from '../../generated/JobMarket/JobMarket';
import { ProviderStats } from '../../generated/schema';
import { involve } from '../common/activity';
import { ActivityKind, JobStatus, ZERO } from '../common/constants';
import { formatUsdc } from '../common/format';
import { isZeroAddress } from '../common/ids';
import { jobActivity, jobLabel, openJobEvent } from './job-event';
import { payOut, Payout } from './payout';
import { recordMissedStart } from './routing';

export function handleJobSettled(event: JobSettledEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'JobSettled');
  if (e === null) return;
  let job = e.job;
  let split = new Payout(p.payout, p.fee, p.refund);
  e.setStatus(JobStatus.SETTLED);
  job.settledAt = e.timestamp;
  payOut(event, e, p.payee, split, true);
  e.save();
  let activity = jobActivity(event, ActivityKind.JOB_SETTLED, job, jobLabel(job) + ' settled: ' + split.summary());
  activity.amount = p.payout;
  if (!isZeroAddress(p.payee)) involve(activity, p.payee);
  activity.save();
}

export function handleJobCancelled(event: JobCancelledEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'JobCancelled');
  if (e === null) return;
  let job = e.job;
  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsCancelled += 1;
      stats.lastJobAt = e.timestamp;
      stats.save();
    }
  }
  let split = new Payout(p.payout, p.fee, p.refund);
  e.setStatus(JobStatus.CANCELLED);
  job.cancelledAt = e.timestamp;
  payOut(event, e, p.payee, split, false);
  e.save();
  let activity = jobActivity(event, ActivityKind.JOB_CANCELLED, job, jobLabel(job) + ' cancelled: ' + split.summary());
  activity.amount = p.refund;
  if (!isZeroAddress(p.payee)) involve(activity, p.payee);
  activity.save();
}

export function handleJobExpired(event: JobExpiredEvent): void {
  let refund = event.params.refund;
  let e = openJobEvent(event, event.params.jobId, 'JobExpired');
  if (e === null) return;
  let job = e.job;
  recordMissedStart(job);
  e.setStatus(JobStatus.EXPIRED);
  job.expiredAt = e.timestamp;
  payOut(event, e, Address.zero(), new Payout(ZERO, ZERO, refund), false);
  e.save();
  let activity = jobActivity(event, ActivityKind.JOB_EXPIRED, job, jobLabel(job) + ' expired: ' + formatUsdc(refund) + ' USDC refunded');
  activity.amount = refund;
  activity.save();
}
