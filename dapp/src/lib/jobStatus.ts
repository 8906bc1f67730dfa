// Job and provider statuses by name: DataTypes.JobStatus and DataTypes.ProviderStatus, generated in enum order.
import { jobStatusNames, providerStatusNames, type JobStatusName, type ProviderStatusName } from '@necto/contracts';

export type { JobStatusName, ProviderStatusName };

/** Accepts the enum index (number/bigint/string digits) or the name as the subgraph stores it. */
export function jobStatusName(value: unknown): JobStatusName {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    const match = jobStatusNames.find((s) => s.toLowerCase() === value.toLowerCase());
    return match ?? 'None';
  }
  return jobStatusNames[Number(value)] ?? 'None';
}

export function providerStatusName(value: unknown): ProviderStatusName {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    const match = providerStatusNames.find((s) => s.toLowerCase() === value.toLowerCase());
    return match ?? 'None';
  }
  return providerStatusNames[Number(value)] ?? 'None';
}

/** The happy path, for the job timeline. */
export const JOB_TIMELINE: readonly JobStatusName[] = ['Open', 'Routed', 'Accepted', 'Running', 'Completed', 'Settled'];

export const TERMINAL_STATUSES: ReadonlySet<JobStatusName> = new Set(['Settled', 'Cancelled', 'Expired', 'Resolved']);
