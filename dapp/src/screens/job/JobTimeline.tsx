import { formatTimestamp } from '../../lib/format';
import { JOB_TIMELINE, type JobStatusName } from '../../lib/jobStatus';
import type { JobDetail } from '../../subgraph/queries';

const TIME_OF: Partial<Record<JobStatusName, keyof JobDetail>> = {
  Open: 'submittedAt', Routed: 'routedAt', Accepted: 'acceptedAt', Running: 'startedAt', Completed: 'completedAt', Settled: 'settledAt',
  Cancelled: 'cancelledAt', Expired: 'expiredAt', Disputed: 'disputedAt', Resolved: 'resolvedAt',
};

/** The job's lifecycle: the happy path, with the side exit (cancelled, expired, disputed…) when it took one. */
export function JobTimeline({ job }: { job: JobDetail }) {
  const side = !JOB_TIMELINE.includes(job.status) ? job.status : null;
  const stages: JobStatusName[] = side ? [...JOB_TIMELINE.filter((s) => job[TIME_OF[s]!] != null), side] : [...JOB_TIMELINE];
  const currentIndex = stages.indexOf(job.status);
  return (
    <ol className="timeline" aria-label="Job lifecycle">
      {stages.map((stage, i) => {
        const at = job[TIME_OF[stage]!] as bigint | null | undefined;
        const done = i < currentIndex || (i === currentIndex && (stage === 'Settled' || stage === 'Resolved' || side !== null));
        const current = i === currentIndex;
        return (
          <li key={stage} className={`${done || current ? 'done' : ''} ${current ? 'current' : ''}`} aria-current={current ? 'step' : undefined}>
            <div>{stage}</div>
            <div className="small muted">{at ? formatTimestamp(at).slice(5, 16) : '—'}</div>
          </li>
        );
      })}
    </ol>
  );
}
