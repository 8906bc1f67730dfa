import type { JobDetail } from '../../subgraph/queries';
import { DisputePanel } from './DisputePanel';
import { ElapsedCost } from './ElapsedCost';
import { LiveLogs } from './LiveLogs';
import { ResultPanel } from './ResultPanel';
import { WorkloadPanel } from './WorkloadPanel';

/** What the job runs, how it is running, what came out of it, and disputes over it. */
export function JobExecution({ job, onChange }: { job: JobDetail; onChange: () => void }) {
  return (
    <>
      <WorkloadPanel job={job} />
      {job.startedAt !== null && job.startedAt !== undefined && (
        <div className="panel" aria-labelledby="run-title">
          <h2 id="run-title">Run</h2>
          <ElapsedCost job={job} />
        </div>
      )}
      <LiveLogs job={job} />
      <ResultPanel job={job} />
      <DisputePanel job={job} onDone={onChange} />
    </>
  );
}
