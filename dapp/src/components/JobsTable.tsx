import type { ReactNode } from 'react';
import { formatDuration, formatTimestamp, formatUsdc } from '../lib/format';
import type { JobListItem } from '../subgraph/queries';
import { StatusBadge } from './StatusBadge';

export function JobsTable<T extends JobListItem>({ jobs, label, extra }: { jobs: readonly T[]; label: string; extra?: { header: string; cell: (job: T) => ReactNode } }) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">GPUs</th>
            <th scope="col">Duration</th>
            <th scope="col">Route</th>
            <th scope="col" className="num">Budget</th>
            <th scope="col">Submitted</th>
            {extra && <th scope="col">{extra.header}</th>}
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id}>
              <td>
                <a href={`#/jobs/${job.id}`}>#{job.id}</a>
              </td>
              <td>
                <StatusBadge status={job.status} />
              </td>
              <td>
                {job.gpuCount} × {job.gpuModels?.length ? job.gpuModels.join('/') : job.gpuModels ? 'any' : 'private'}
              </td>
              <td>{formatDuration(Number(job.duration))}</td>
              <td>{job.provider?.name ?? job.market ?? '—'}</td>
              <td className="num">{formatUsdc(job.budget)}</td>
              <td className="small">{formatTimestamp(job.submittedAt)}</td>
              {extra && <td>{extra.cell(job)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
