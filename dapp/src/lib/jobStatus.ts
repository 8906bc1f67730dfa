/** DataTypes.JobStatus, in enum order. */
export const JOB_STATUSES = [
  'None', 'Open', 'Routed', 'Accepted', 'Running', 'Completed', 'Settled', 'Cancelled', 'Expired', 'Disputed', 'Resolved',
] as const;
export type JobStatusName = (typeof JOB_STATUSES)[number];

/** DataTypes.ProviderStatus, in enum order. */
export const PROVIDER_STATUSES = ['None', 'Active', 'Paused', 'Suspended', 'Deregistered'] as const;
export type ProviderStatusName = (typeof PROVIDER_STATUSES)[number];

/** Accepts the enum index (number/bigint/string digits) or the name as the subgraph stores it. */
export function jobStatusName(value: unknown): JobStatusName {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    const match = JOB_STATUSES.find((s) => s.toLowerCase() === value.toLowerCase());
    return match ?? 'None';
  }
  return JOB_STATUSES[Number(value)] ?? 'None';
}

export function providerStatusName(value: unknown): ProviderStatusName {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    const match = PROVIDER_STATUSES.find((s) => s.toLowerCase() === value.toLowerCase());
    return match ?? 'None';
  }
  return PROVIDER_STATUSES[Number(value)] ?? 'None';
}

/** The happy path, for the job timeline. */
export const JOB_TIMELINE: readonly JobStatusName[] = ['Open', 'Routed', 'Accepted', 'Running', 'Completed', 'Settled'];

export const TERMINAL_STATUSES: ReadonlySet<JobStatusName> = new Set(['Settled', 'Cancelled', 'Expired', 'Resolved']);
