import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SdlError, buildSdl, manifestJson, manifestOf, validateSdl } from '../../src/akash/index.js';
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
  workload: {
    image: 'ghcr.io/acme/llama-finetune:0.3',
    command: ['python', 'train.py', '--epochs', '3'],
    env: { MODEL: 'llama-3-8b', BATCH: '8' },
  },
};

async function akashCandidate(): Promise<Candidate> {
  const view = await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup();
  return view.candidates.find((c) => c.market === 'akash' && c.gpuModel === 'a100' && c.vramGb === 80)!;
}

const sha256 = (s: string) => `0x${createHash('sha256').update(s).digest('hex')}`;

describe('Akash SDL', () => {
  it('gives each job the version of its own SDL when many jobs are built in a row (remembered versions)', async () => {
    const c = await akashCandidate();
    const variants = Array.from({ length: 40 }, (_, i) => ({ ...req, workload: { ...req.workload!, env: { RUN: String(i % 20) } } }));
    const built = await Promise.all(variants.map((r) => buildSdl(r, c)));
    for (const b of built) expect(b.hash).toBe(await validateSdl(b.yaml));
    expect(new Set(built.map((b) => b.hash)).size).toBe(20);
    expect(built[0]!.hash).toBe(built[20]!.hash);
  });

  it("deploys the buyer's image, argv and env with the job's resources, priced in uact", async () => {
    const built = await buildSdl(req, await akashCandidate());
    const doc = parse(built.yaml) as any;
    expect(doc.version).toBe('2.0');
    expect(doc.services.job).toEqual({
      image: 'ghcr.io/acme/llama-finetune:0.3',
      args: ['python', 'train.py', '--epochs', '3'],
      env: ['BATCH=8', 'MODEL=llama-3-8b'],
    });
    const resources = doc.profiles.compute.job.resources;
    expect(resources.gpu).toEqual({ units: 2, attributes: { vendor: { nvidia: [{ model: 'a100', ram: '80Gi' }] } } });
    expect(resources.cpu.units).toBe(12);
    expect(resources.memory.size).toBe('48Gi');
    // $3.00/h for the job at ~6.117 s per block → 5,098 micro-ACT (= micro-USD) per block, rounded up.
    expect(doc.profiles.placement.necto.pricing.job).toEqual({ denom: 'uact', amount: 5098 });
    expect(built.pricing).toMatchObject({ denom: 'uact', amountPerBlock: '5098', usdPerToken: 1, maxUsdMicrosPerHour: '3000000' });
    expect(built.pricing.source).toMatch(/ACT/);
    expect(await validateSdl(built.yaml)).toBe(built.hash);
  });

  it('exposes nothing the document does not list, and exactly the listed ports', async () => {
    const c = await akashCandidate();
    const closed = parse((await buildSdl(req, c)).yaml) as any;
    expect(closed.services.job.expose).toBeUndefined();
    const open = parse((await buildSdl({ ...req, workload: { ...req.workload!, ports: [{ port: 8080, protocol: 'tcp' }, { port: 9000, protocol: 'udp' }] } }, c)).yaml) as any;
    expect(open.services.job.expose).toEqual([
      { port: 8080, as: 8080, proto: 'tcp', to: [{ global: true }] },
      { port: 9000, as: 9000, proto: 'udp', to: [{ global: true }] },
    ]);
  });

  it('refuses a job whose document names no image (no default image is deployed)', async () => {
    const { workload: _w, ...bare } = req;
    await expect(buildSdl(bare, await akashCandidate())).rejects.toThrow(SdlError);
  });

  it('hashes the manifest the way a provider does: sha256 of the sorted manifest JSON, without "params": null', async () => {
    const built = await buildSdl({ ...req, gpuCount: 1, minVcpu: 2, minRamGb: 4, workload: { image: 'necto/demo:1' } }, await akashCandidate());
    // Written out by hand from the provider's manifest types (akash manifest v2beta3, JSON keys sorted,
    // resource quantities as decimal strings, omitempty fields absent).
    const expected =
      '[{"name":"necto","services":[{"args":null,"command":null,"count":1,"credentials":null,"env":null,"expose":[],' +
      '"image":"necto/demo:1","name":"job","resources":{"cpu":{"units":{"val":"2000"}},"endpoints":[],' +
      '"gpu":{"attributes":[{"key":"vendor/nvidia/model/a100/ram/80Gi","value":"true"}],"units":{"val":"1"}},"id":1,' +
      '"memory":{"size":{"val":"4294967296"}},"storage":[{"name":"default","size":{"val":"21474836480"}}]}}]}]';
    expect(manifestJson(manifestOf(built.yaml).groups)).toBe(expected);
    expect(built.hash).toBe(sha256(expected));
    // akashjs 0.11 serialised each service with "params": null — a different hash, which providers answer with 422.
    const akashjsStyle = expected.replace('"name":"job",', '"name":"job","params":null,');
    expect(sha256(akashjsStyle)).not.toBe(built.hash);
  });

  it('is deterministic and changes its hash when the job changes', async () => {
    const c = await akashCandidate();
    const a = await buildSdl(req, c);
    expect((await buildSdl(req, c)).hash).toBe(a.hash);
    expect((await buildSdl({ ...req, gpuCount: 1 }, c)).hash).not.toBe(a.hash);
    expect((await buildSdl({ ...req, workload: { ...req.workload!, image: 'ghcr.io/acme/other:1' } }, c)).hash).not.toBe(a.hash);
  });

  it('prices in uakt when asked, with the rate and its source', async () => {
    const built = await buildSdl(req, await akashCandidate(), { pricing: { denom: 'uakt', aktUsd: 2.5, aktUsdSource: 'config AKASH_AKT_USD' } });
    const pricing = (parse(built.yaml) as any).profiles.placement.necto.pricing.job;
    expect(pricing).toEqual({ denom: 'uakt', amount: Math.ceil(5098 / 2.5) });
    expect(built.pricing).toMatchObject({ denom: 'uakt', usdPerToken: 2.5, source: 'config AKASH_AKT_USD' });
    await expect(buildSdl(req, await akashCandidate(), { pricing: { denom: 'uakt', aktUsd: 0, aktUsdSource: 'x' } })).rejects.toThrow(/aktUsd/);
  });

  it('rejects an invalid SDL', async () => {
    await expect(validateSdl('version: "2.0"\nservices: {}\n')).rejects.toThrow(SdlError);
  });
});
