import { SDL } from '@akashnetwork/akashjs/build/sdl/index.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AKASH_USDC_DENOM, buildSdl, validateSdl } from '../../src/akash/index.js';
import { createCatalog } from '../../src/catalog/index.js';
import type { Candidate, JobRequest } from '../../src/domain/types.js';

const req: JobRequest = {
  jobId: 3n,
  buyer: '0x00000000000000000000000000000000000000b0',
  teamId: 0,
  gpuModels: ['a100'],
  gpuCount: 2,
  minVramGb: 40,
  minVcpu: 12,
  minRamGb: 48,
  regions: [],
  maxPricePerGpuHour: 1_500_000n,
  durationSec: 3600,
  allowExternal: true,
  teamRemainingCap: null,
  budget: null,
  specHash: `0x${'cd'.repeat(32)}`,
  trust: { auditedOnly: false, allowList: [] },
  excludeProviderRefs: [],
};

async function akashCandidate(): Promise<Candidate> {
  const view = await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup();
  return view.candidates.find((c) => c.market === 'akash' && c.gpuModel === 'a100' && c.vramGb === 80)!;
}

describe('Akash SDL', () => {
  it('builds a beta3 SDL that akashjs validates, with GPU model attributes, resources and USDC pricing', async () => {
    const c = await akashCandidate();
    const built = await buildSdl(req, c);
    const doc = parse(built.yaml) as any;
    expect(doc.version).toBe('2.0');
    const resources = doc.profiles.compute.job.resources;
    expect(resources.gpu).toEqual({ units: 2, attributes: { vendor: { nvidia: [{ model: 'a100', ram: '80Gi' }] } } });
    expect(resources.cpu.units).toBe(12);
    expect(resources.memory.size).toBe('48Gi');
    expect(resources.storage.size).toBe('100Gi');
    const pricing = doc.profiles.placement.necto.pricing.job;
    expect(pricing.denom).toBe(AKASH_USDC_DENOM);
    // $3.00/h for the job at ~6.117 s per block → 5,098 micro-USDC per block (rounded up).
    expect(pricing.amount).toBe(5098);
    // Same checks akashjs applies when a deployment is created.
    const sdl = SDL.fromString(built.yaml, 'beta3', 'mainnet');
    expect(sdl.groups()).toHaveLength(1);
    expect(built.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(built.hash).toBe(`0x${Buffer.from(await sdl.manifestVersion()).toString('hex')}`);
    expect(await validateSdl(built.yaml)).toBe(built.hash);
  });

  it('is deterministic and changes its hash when the job changes', async () => {
    const c = await akashCandidate();
    const a = await buildSdl(req, c);
    expect((await buildSdl(req, c)).hash).toBe(a.hash);
    expect((await buildSdl({ ...req, gpuCount: 1 }, c)).hash).not.toBe(a.hash);
  });

  it('prices in uakt when asked', async () => {
    const built = await buildSdl(req, await akashCandidate(), { denom: 'uakt', aktUsd: 2.5 });
    const pricing = (parse(built.yaml) as any).profiles.placement.necto.pricing.job;
    expect(pricing).toEqual({ denom: 'uakt', amount: Math.ceil(5098 / 2.5) });
    await expect(buildSdl(req, await akashCandidate(), { denom: 'uakt' })).rejects.toThrow(/aktUsd/);
  });

  it('rejects an invalid SDL', async () => {
    await expect(validateSdl('version: "2.0"\nservices: {}\n')).rejects.toThrow();
  });
});
