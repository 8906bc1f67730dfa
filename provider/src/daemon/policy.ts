// What this provider agrees to run: image allow/deny globs, duration, GPUs, memory and CPU, and the network.
import type { JobDocument } from '@necto/keeper/domain';
import type { Policy } from '../config/schema.js';
import type { OfferConfig } from '../config/schema.js';
import type { RunLimits } from '../runtime/types.js';

export type PolicyDecision =
  | { ok: true; limits: RunLimits; network: 'none' | 'bridge'; gpus: number }
  | { ok: false; reason: string };

/** `*` matches any run of characters (slashes included); everything else is literal. */
export function globMatch(glob: string, text: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

export function checkPolicy(
  policy: Policy,
  document: JobDocument,
  job: { duration: number; gpuCount: number },
  offer: Pick<OfferConfig, 'vcpu' | 'ramGb'> | undefined,
): PolicyDecision {
  const image = document.image;
  const denied = policy.denyImages.find((g) => globMatch(g, image));
  if (denied) return { ok: false, reason: `image ${image} is denied by "${denied}"` };
  if (policy.allowImages.length > 0 && !policy.allowImages.some((g) => globMatch(g, image))) {
    return { ok: false, reason: `image ${image} is not on the allow-list` };
  }
  if (job.duration > policy.maxDurationSec) return { ok: false, reason: `duration ${job.duration} s is over the ${policy.maxDurationSec} s maximum` };
  if (job.gpuCount > policy.maxGpus) return { ok: false, reason: `${job.gpuCount} GPUs requested, at most ${policy.maxGpus}` };
  const minMemory = document.minRamGb * 1024 ** 3;
  if (minMemory > policy.maxMemory) return { ok: false, reason: `${document.minRamGb} GB RAM requested, at most ${Math.floor(policy.maxMemory / 1024 ** 3)} GB` };
  if (document.minVcpu > policy.maxVcpu) return { ok: false, reason: `${document.minVcpu} vCPU requested, at most ${policy.maxVcpu}` };
  if ((document.ports?.length ?? 0) > 0 && policy.network === 'none') {
    return { ok: false, reason: 'the job publishes ports but this provider runs jobs without a network' };
  }
  // The container gets what the offer sells, bounded by the policy, and never less than the job asked for.
  const memoryBytes = Math.min(policy.maxMemory, Math.max(minMemory, (offer?.ramGb ?? 0) * 1024 ** 3 || policy.maxMemory));
  const vcpu = Math.min(policy.maxVcpu, Math.max(document.minVcpu, offer?.vcpu ?? policy.maxVcpu));
  return {
    ok: true,
    limits: { memoryBytes, nanoCpus: Math.round(vcpu * 1e9), pids: policy.maxPids },
    network: policy.network,
    gpus: job.gpuCount,
  };
}
