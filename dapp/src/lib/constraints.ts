// The routing engine's hard constraints, as a buyer reads them, and how to loosen each one.

const CONSTRAINT_NAMES: Record<string, string> = {
  external: 'external markets not allowed',
  gpuModel: 'GPU model',
  gpuCount: 'GPU count',
  vram: 'VRAM',
  vcpu: 'vCPU',
  ram: 'RAM',
  region: 'region',
  maxPrice: 'over the max price',
  budget: 'over the budget',
  teamCap: 'over the team’s cap',
  capacity: 'no free capacity',
  excludedRef: 'rejected earlier for this job',
  audited: 'not audited',
  paused: 'provider paused',
  inactive: 'offer inactive',
};
export const constraintName = (c: string) => CONSTRAINT_NAMES[c] ?? c;

/** How a buyer can loosen a requirement that excluded offers (the job's spec is fixed once submitted). */
const RELAX: Record<string, string> = {
  external: 'allow Akash and other markets',
  gpuModel: 'accept more GPU models',
  gpuCount: 'ask for fewer GPUs',
  vram: 'lower the minimum VRAM',
  vcpu: 'lower the minimum vCPU',
  ram: 'lower the minimum RAM',
  region: 'allow more regions',
  maxPrice: 'raise the max price per GPU-hour',
  budget: 'raise the max price (the budget follows it)',
  teamCap: 'charge the job to no team, or raise the team’s cap',
};
export const relaxHint = (c: string): string | null => RELAX[c] ?? null;
