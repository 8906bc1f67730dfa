// The policy decides what this provider runs and with which limits.
import { jobDocumentSchema } from '@necto/keeper/domain';
import { describe, expect, it } from 'vitest';
import { policySchema } from '../../src/config/schema.js';
import { checkPolicy, globMatch } from '../../src/daemon/policy.js';

const policy = policySchema.parse({ allowImages: ['ghcr.io/acme/*', 'necto/demo:*'], denyImages: ['*:latest'], maxDurationSec: 3600, maxGpus: 2, maxMemory: '16g', maxVcpu: 8 });
const doc = (patch: Record<string, unknown> = {}) => jobDocumentSchema.parse({ image: 'ghcr.io/acme/train:0.3', ...patch });
const job = { duration: 600, gpuCount: 1 };
const offer = { vcpu: 4, ramGb: 8 };

describe('policy', () => {
  it('matches globs across path segments and nothing else', () => {
    expect(globMatch('ghcr.io/acme/*', 'ghcr.io/acme/team/train:1')).toBe(true);
    expect(globMatch('ghcr.io/acme/*', 'ghcr.io/acmex/train:1')).toBe(false);
    expect(globMatch('necto/demo:1', 'necto/demo:10')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });

  it('runs an allowed job with the offer’s resources, bounded by the policy', () => {
    expect(checkPolicy(policy, doc(), job, offer)).toEqual({
      ok: true,
      limits: { memoryBytes: 8 * 1024 ** 3, nanoCpus: 4e9, pids: 4096 },
      network: 'none',
      gpus: 1,
    });
    const big = checkPolicy(policy, doc(), job, { vcpu: 64, ramGb: 512 });
    expect(big.ok && big.limits).toEqual({ memoryBytes: 16 * 1024 ** 3, nanoCpus: 8e9, pids: 4096 });
  });

  it('refuses denied, unlisted, too long, too many GPUs, too much memory or CPU, and ports without a network', () => {
    const reason = (d: ReturnType<typeof doc>, j = job) => {
      const r = checkPolicy(policy, d, j, offer);
      return r.ok ? null : r.reason;
    };
    expect(reason(doc({ image: 'ghcr.io/acme/train:latest' }))).toMatch(/denied by "\*:latest"/);
    expect(reason(doc({ image: 'docker.io/evil/miner:1' }))).toMatch(/not on the allow-list/);
    expect(reason(doc(), { duration: 3601, gpuCount: 1 })).toMatch(/duration 3601 s/);
    expect(reason(doc(), { duration: 600, gpuCount: 3 })).toMatch(/3 GPUs/);
    expect(reason(doc({ minRamGb: 17 }))).toMatch(/17 GB RAM/);
    expect(reason(doc({ minVcpu: 9 }))).toMatch(/9 vCPU/);
    expect(reason(doc({ ports: [{ port: 8080, protocol: 'tcp' }] }))).toMatch(/without a network/);
  });
});
