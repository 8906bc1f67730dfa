import { keccak256, stringToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, validateJobForm } from './jobForm';
import { toAbiSpec } from './useSubmitJob';

describe('the on-chain JobSpec', () => {
  it('publishes a tracked job’s document as the exact text its specHash commits to', () => {
    const { job } = validateJobForm({ ...DEFAULT_FORM, tracked: true }, 1_795_000_000);
    const spec = toAbiSpec(job!.spec, job!.document);
    expect(spec.document.length).toBeGreaterThan(0);
    expect(keccak256(stringToHex(spec.document))).toBe(job!.spec.specHash);
    expect(JSON.parse(spec.document)).toEqual(JSON.parse(JSON.stringify(job!.document)));
  });
  it('keeps an untracked job’s document off-chain', () => {
    const { job } = validateJobForm({ ...DEFAULT_FORM, tracked: false }, 1_795_000_000);
    expect(toAbiSpec(job!.spec, job!.document).document).toBe('');
  });
});
