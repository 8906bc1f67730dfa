import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../lib/canonicalJson';
import { zeroGRootHash } from '../../lib/merkle0g';
import { sampleManifest as sampleManifestOf } from '../../test/resultManifest';
import { verifyResultManifest, type OnchainResult } from './verifyResult';

const provider = '0x70997970C51812dc3A010C7d01b50e20d17dc79C';
const jobMarket = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

const sampleManifest = sampleManifestOf();

const enc = (s: string) => new TextEncoder().encode(s);
const bytesOf = (m: unknown) => enc(canonicalJson(m));
const onchainFor = (bytes: Uint8Array, over: Partial<OnchainResult> = {}): OnchainResult => ({
  chainId: 31337, jobMarket: jobMarket.toLowerCase(), jobId: '12', round: 1, resultHash: zeroGRootHash(bytes), operator: provider.toLowerCase(), ...over,
});

describe('verify result', () => {
  it('passes for the stored canonical manifest of this job', () => {
    const bytes = bytesOf(sampleManifest);
    const result = verifyResultManifest(bytes, onchainFor(bytes));
    expect(result.checks.map((c) => [c.id, c.passed])).toEqual([['root', true], ['schema', true], ['canonical', true], ['job', true], ['provider', true]]);
    expect(result.passed).toBe(true);
    expect(result.manifest?.exitCode).toBe(0);
  });

  it('fails on a tampered manifest served under the same root', () => {
    const bytes = bytesOf(sampleManifest);
    const onchain = onchainFor(bytes);
    const tampered = bytesOf({ ...sampleManifest, exitCode: 1, reason: 'nonzero' });
    const result = verifyResultManifest(tampered, onchain);
    expect(result.passed).toBe(false);
    expect(result.checks.find((c) => c.id === 'root')?.passed).toBe(false);
    expect(result.computedRoot).not.toBe(onchain.resultHash);
    // The schema still parses: the failure is the root, not the shape.
    expect(result.checks.find((c) => c.id === 'schema')?.passed).toBe(true);
  });

  it('fails when the bytes are not the canonical form, even with a matching root', () => {
    const pretty = enc(JSON.stringify(sampleManifest, null, 2));
    const result = verifyResultManifest(pretty, onchainFor(pretty));
    expect(result.checks.find((c) => c.id === 'root')?.passed).toBe(true);
    expect(result.checks.find((c) => c.id === 'canonical')?.passed).toBe(false);
    expect(result.passed).toBe(false);
  });

  it('fails for a genuine manifest of another job, round or provider', () => {
    const other = bytesOf({ ...sampleManifest, jobId: '13' });
    expect(verifyResultManifest(other, onchainFor(other)).checks.find((c) => c.id === 'job')?.passed).toBe(false);
    const bytes = bytesOf(sampleManifest);
    expect(verifyResultManifest(bytes, onchainFor(bytes, { round: 2 })).checks.find((c) => c.id === 'job')?.passed).toBe(false);
    const byStranger = verifyResultManifest(bytes, onchainFor(bytes, { operator: '0x00000000000000000000000000000000000000aa' }));
    expect(byStranger.checks.find((c) => c.id === 'provider')?.passed).toBe(false);
    expect(byStranger.passed).toBe(false);
  });

  it('fails visibly on bytes that are not a manifest', () => {
    const junk = enc('<html>not found</html>');
    const result = verifyResultManifest(junk, onchainFor(junk));
    expect(result.manifest).toBeNull();
    expect(result.checks.find((c) => c.id === 'schema')).toMatchObject({ passed: false, actual: 'not JSON' });
    expect(verifyResultManifest(new Uint8Array(), onchainFor(junk)).checks[0]).toMatchObject({ passed: false, actual: 'empty response' });
  });
});
