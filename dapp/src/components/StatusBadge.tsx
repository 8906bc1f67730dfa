import type { JobStatusName } from '../lib/jobStatus';

const TONE: Record<JobStatusName, string> = {
  None: '', Open: 'info', Routed: 'info', Accepted: 'info', Running: 'warn', Completed: 'ok', Settled: 'ok',
  Cancelled: 'bad', Expired: 'bad', Disputed: 'bad', Resolved: 'ok',
};

export function StatusBadge({ status }: { status: JobStatusName }) {
  return <span className={`badge ${TONE[status]}`}>{status}</span>;
}
