// Execution: the routed provider (or the external market's operator) starts and completes the job.
import { JobCompleted as JobCompletedEvent, JobStarted as JobStartedEvent } from '../../generated/JobMarket/JobMarket';
import { ProviderStats } from '../../generated/schema';
import { ActivityKind, JobStatus } from '../common/constants';
import { shortAddress } from '../common/format';
import { getProviderDayEarnings } from '../common/getters';
import { refreshOnTimeRate } from '../common/provider-stats';
import { jobActivity, jobLabel, openJobEvent } from './job-event';

export function handleJobStarted(event: JobStartedEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'JobStarted');
  if (e === null) return;
  let job = e.job;
  let timestamp = e.timestamp;
  let startedAt = p.startedAt;
  e.setStatus(JobStatus.RUNNING);
  job.startedAt = startedAt;
  job.operator = p.operator;
  e.save();

  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsStarted += 1;
      let deadline = job.startDeadline;
      if (deadline === null || startedAt.le(deadline)) stats.onTimeStarts += 1;
      refreshOnTimeRate(stats);
      stats.lastJobAt = timestamp;
      stats.save();
    }
    let earnings = getProviderDayEarnings(providerId, timestamp);
    earnings.jobsStarted += 1;
    earnings.save();
  }
  jobActivity(event, ActivityKind.JOB_STARTED, job, jobLabel(job) + ' started by ' + shortAddress(p.operator)).save();
}

export function handleJobCompleted(event: JobCompletedEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'JobCompleted');
  if (e === null) return;
  let job = e.job;
  let timestamp = e.timestamp;
  e.setStatus(JobStatus.COMPLETED);
  job.completedAt = p.completedAt;
  job.resultHash = p.resultHash;
  e.save();

  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsCompleted += 1;
      stats.lastJobAt = timestamp;
      stats.save();
    }
    let earnings = getProviderDayEarnings(providerId, timestamp);
    earnings.jobsCompleted += 1;
    earnings.save();
  }
  jobActivity(event, ActivityKind.JOB_COMPLETED, job, jobLabel(job) + ' completed by ' + shortAddress(p.operator)).save();
}
