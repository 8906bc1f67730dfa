// Submission: a buyer opens a job (budget into escrow), publishes its routing spec and tops it up.
import { Address } from '@graphprotocol/graph-ts';
import {
  JobSpecPublished as JobSpecPublishedEvent,
  JobSubmitted as JobSubmittedEvent,
  JobToppedUp as JobToppedUpEvent,
} from '../../generated/JobMarket/JobMarket';
import { Job } from '../../generated/schema';
import { ActivityKind, JobStatus, MovementKind, ONE, ZERO } from '../common/constants';
import { formatDuration, formatUsdc, shortAddress } from '../common/format';
import { getAccount, getBuyerDaySpend, getProtocol, getProtocolDay } from '../common/getters';
import { eventId, teamMemberId } from '../common/ids';
import { countStatus, jobActivity, jobLabel, openJobEvent } from './job-event';
import { movement } from './movements';
import { addTeamTotals } from './team-totals';

export function handleJobSubmitted(event: JobSubmittedEvent): void {
  let p = event.params;
  let timestamp = event.block.timestamp;
  let job = new Job(p.jobId.toString());
  job.jobId = p.jobId;
  job.buyer = p.buyer.toHexString();
  if (!p.teamId.isZero()) {
    job.team = p.teamId.toString();
    job.teamMember = teamMemberId(p.teamId.toString(), p.buyer);
  }
  job.status = JobStatus.OPEN;
  job.specHash = p.specHash;
  job.tracked = p.tracked;
  job.autoAccept = p.autoAccept;
  job.allowExternal = p.allowExternal;
  job.maxPricePerGpuHour = p.maxPricePerGpuHour;
  job.gpuCount = p.gpuCount;
  job.duration = p.duration;
  job.startBy = p.startBy;
  job.budget = p.budget;
  job.totalDeposited = p.budget;
  job.balance = p.budget;
  job.topUps = 0;
  job.round = 0;
  job.rejections = 0;
  job.payout = ZERO;
  job.fee = ZERO;
  job.refund = ZERO;
  job.submittedAt = timestamp;
  job.updatedAt = timestamp;
  job.submittedAtBlock = event.block.number;
  job.submittedTx = event.transaction.hash;
  let protocol = getProtocol(timestamp);
  job.terms = protocol.currentTerms;
  job.save();

  protocol.jobsTotal = protocol.jobsTotal.plus(ONE);
  countStatus(protocol, JobStatus.OPEN, ONE);
  if (p.tracked) protocol.trackedJobs = protocol.trackedJobs.plus(ONE);
  protocol.volumeDeposited = protocol.volumeDeposited.plus(p.budget);
  protocol.escrowBalance = protocol.escrowBalance.plus(p.budget);
  protocol.save();

  let day = getProtocolDay(timestamp);
  day.jobsSubmitted = day.jobsSubmitted.plus(ONE);
  day.deposited = day.deposited.plus(p.budget);
  day.save();

  let buyer = getAccount(p.buyer);
  buyer.totalDeposited = buyer.totalDeposited.plus(p.budget);
  buyer.jobsSubmitted = buyer.jobsSubmitted.plus(ONE);
  buyer.save();
  let buyerDay = getBuyerDaySpend(buyer.id, timestamp);
  buyerDay.jobsSubmitted += 1;
  buyerDay.deposited = buyerDay.deposited.plus(p.budget);
  buyerDay.save();

  addTeamTotals(job, timestamp, 1, p.budget, ZERO, ZERO);
  movement(eventId(event), MovementKind.DEPOSIT, job.id, buyer.id, p.budget, event);

  let activity = jobActivity(
    event,
    ActivityKind.JOB_SUBMITTED,
    job,
    jobLabel(job) + ' submitted by ' + shortAddress(p.buyer) + ': ' + p.gpuCount.toString() + ' GPU for ' +
      formatDuration(p.duration) + ', budget ' + formatUsdc(p.budget) + ' USDC',
  );
  activity.amount = p.budget;
  activity.save();
}

export function handleJobSpecPublished(event: JobSpecPublishedEvent): void {
  let e = openJobEvent(event, event.params.jobId, 'JobSpecPublished');
  if (e === null) return;
  let job = e.job;
  let spec = event.params.spec;
  job.gpuModels = spec.gpuModels;
  job.regions = spec.regions;
  job.minVramGb = spec.minVramGb;
  job.minVcpu = spec.minVcpu;
  job.minRamGb = spec.minRamGb.toI32();
  job.document = spec.document;
  job.save();
}

export function handleJobToppedUp(event: JobToppedUpEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'JobToppedUp');
  if (e === null) return;
  let job = e.job;
  let protocol = e.protocol;
  let timestamp = e.timestamp;
  job.balance = p.balance;
  job.duration = p.duration;
  job.totalDeposited = job.totalDeposited.plus(p.amount);
  job.topUps += 1;
  job.updatedAt = timestamp;
  protocol.volumeDeposited = protocol.volumeDeposited.plus(p.amount);
  protocol.escrowBalance = protocol.escrowBalance.plus(p.amount);
  e.save();
  let day = getProtocolDay(timestamp);
  day.deposited = day.deposited.plus(p.amount);
  day.save();

  let buyer = getAccount(Address.fromString(job.buyer));
  buyer.totalDeposited = buyer.totalDeposited.plus(p.amount);
  buyer.save();
  let buyerDay = getBuyerDaySpend(job.buyer, timestamp);
  buyerDay.deposited = buyerDay.deposited.plus(p.amount);
  buyerDay.save();
  addTeamTotals(job, timestamp, 0, p.amount, ZERO, ZERO);
  movement(eventId(event), MovementKind.TOP_UP, job.id, job.buyer, p.amount, event);

  let activity = jobActivity(
    event,
    ActivityKind.JOB_TOPPED_UP,
    job,
    jobLabel(job) + ' topped up with ' + formatUsdc(p.amount) + ' USDC (+' + formatDuration(p.extraDuration) + ')',
  );
  activity.amount = p.amount;
  activity.save();
}
