// What every JobMarket job handler starts from: the job of the event, the Protocol singleton and the block time.
import { Address, BigInt, ethereum, log } from '@graphprotocol/graph-ts';
import { ActivityEvent, Job, Protocol } from '../../generated/schema';
import { involve, newActivity } from '../common/activity';
import { JobStatus, ONE } from '../common/constants';
import { getProtocol } from '../common/getters';

/** Adds `delta` to the Protocol counter of jobs in `status`. */
export function countStatus(protocol: Protocol, status: string, delta: BigInt): void {
  if (status == JobStatus.OPEN) protocol.jobsOpen = protocol.jobsOpen.plus(delta);
  else if (status == JobStatus.ROUTED) protocol.jobsRouted = protocol.jobsRouted.plus(delta);
  else if (status == JobStatus.ACCEPTED) protocol.jobsAccepted = protocol.jobsAccepted.plus(delta);
  else if (status == JobStatus.RUNNING) protocol.jobsRunning = protocol.jobsRunning.plus(delta);
  else if (status == JobStatus.COMPLETED) protocol.jobsCompleted = protocol.jobsCompleted.plus(delta);
  else if (status == JobStatus.SETTLED) protocol.jobsSettled = protocol.jobsSettled.plus(delta);
  else if (status == JobStatus.CANCELLED) protocol.jobsCancelled = protocol.jobsCancelled.plus(delta);
  else if (status == JobStatus.EXPIRED) protocol.jobsExpired = protocol.jobsExpired.plus(delta);
  else if (status == JobStatus.DISPUTED) protocol.jobsDisputed = protocol.jobsDisputed.plus(delta);
  else if (status == JobStatus.RESOLVED) protocol.jobsResolved = protocol.jobsResolved.plus(delta);
}

/** A job event being handled: the job, the Protocol singleton (both saved by `save`) and the block timestamp. */
export class JobEvent {
  job: Job;
  protocol: Protocol;
  timestamp: BigInt;

  constructor(job: Job, protocol: Protocol, timestamp: BigInt) {
    this.job = job;
    this.protocol = protocol;
    this.timestamp = timestamp;
  }

  /** Moves the job to `status`, keeping the Protocol's per-status counters. */
  setStatus(status: string): void {
    countStatus(this.protocol, this.job.status, ONE.neg());
    countStatus(this.protocol, status, ONE);
    this.job.status = status;
    this.job.updatedAt = this.timestamp;
  }

  save(): void {
    this.job.save();
    this.protocol.save();
  }
}

/**
 * Opens a job event: every JobMarket job event follows its JobSubmitted, so an unknown job is a bug worth a log
 * (and null, which the handler returns on).
 */
export function openJobEvent(event: ethereum.Event, jobId: BigInt, name: string): JobEvent | null {
  let job = Job.load(jobId.toString());
  if (job === null) {
    log.error('{}: unknown job {}', [name, jobId.toString()]);
    return null;
  }
  let timestamp = event.block.timestamp;
  return new JobEvent(job, getProtocol(timestamp), timestamp);
}

/** Starts a job's feed entry, linked to the job, its current provider and team, involving buyer and provider. */
export function jobActivity(event: ethereum.Event, kind: string, job: Job, summary: string): ActivityEvent {
  let activity = newActivity(event, kind, summary);
  activity.job = job.id;
  activity.provider = job.provider;
  activity.team = job.team;
  involve(activity, Address.fromString(job.buyer));
  let provider = job.provider;
  if (provider !== null) involve(activity, Address.fromString(provider));
  return activity;
}

export function jobLabel(job: Job): string {
  return 'Job #' + job.id;
}
