// The routing engine's hard constraints in the words a buyer reads. The engine starts every exclusion detail with
// these words and the dApp shows them as they are: one wording for the log, the quote and the UI.
import type { ConstraintName } from './types.js';

export const CONSTRAINT_WORDS: Readonly<Record<ConstraintName, string>> = Object.freeze({
  external: 'external markets not allowed',
  launcher: 'no launcher configured',
  image: 'no container image to deploy',
  stale: 'stale quote',
  excludedRef: 'provider excluded by an earlier round',
  auditedOnly: 'provider not audited',
  allowList: 'provider not in the trust allow-list',
  gpuModel: 'wrong GPU model',
  gpuCount: 'too few GPUs per machine',
  vram: 'not enough VRAM',
  vcpu: 'not enough vCPU',
  ram: 'not enough RAM',
  region: 'region not allowed',
  capacity: 'no capacity',
  maxPrice: 'price above your max',
  budget: 'cost above your budget',
  teamCap: "cost above the team's remaining cap",
});

/** The words for a constraint name; an unknown name (a newer keeper) is shown as it is. */
export const constraintWords = (c: string): string => (CONSTRAINT_WORDS as Record<string, string>)[c] ?? c;

/** What a buyer can relax, per constraint that excluded offers (the keeper's no-candidate advice and the dApp). */
export const CONSTRAINT_RELAX: Readonly<Record<ConstraintName, string>> = Object.freeze({
  external: 'allow external markets',
  launcher: 'pick an offer from a market that can launch here',
  image: 'name a container image in the job document',
  stale: 'name the provider in the trust allow-list to accept its recorded price',
  excludedRef: 'providers already tried for this job are excluded',
  auditedOnly: 'accept unaudited providers',
  allowList: 'widen the provider allow-list',
  gpuModel: 'accept more GPU models',
  gpuCount: 'ask for fewer GPUs',
  vram: 'lower the minimum VRAM',
  vcpu: 'lower the minimum vCPUs',
  ram: 'lower the minimum RAM',
  region: 'accept more regions',
  capacity: 'wait for capacity or ask for fewer GPUs',
  maxPrice: 'raise the maximum price per GPU-hour',
  budget: 'raise the budget or shorten the duration',
  teamCap: "raise the team's spending cap",
});
