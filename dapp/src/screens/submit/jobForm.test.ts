import { describe, expect, it } from 'vitest';
import { keccak256, stringToHex } from 'viem';
import { canonicalJson } from '../../lib/canonicalJson';
import { DEFAULT_FORM, validateJobForm } from './jobForm';

describe('job form validation', () => {
  it('builds the JobSpec, the budget and the spec hash from valid values', () => {
    const { errors, job } = validateJobForm({ ...DEFAULT_FORM, gpuCount: '2', durationHours: '1.5', maxPricePerGpuHour: '2.50', regions: ['eu-west', 'eu-west'] }, 1_700_000_000);
    expect(errors).toEqual({});
    expect(job!.durationSec).toBe(5400);
    expect(job!.budget).toBe(7_500_000n); // 2.5 × 2 × 1.5
    expect(job!.spec).toMatchObject({ gpuCount: 2, duration: 5400, maxPricePerGpuHour: 2_500_000, regions: ['eu-west'], teamId: 0, tracked: true });
    expect(job!.spec.specHash).toBe(keccak256(stringToHex(canonicalJson(job!.document))));
  });

  it('writes the command as argv, as the keeper reads the document', () => {
    expect(validateJobForm({ ...DEFAULT_FORM, command: ' python  train.py --epochs 3 ' }).job!.document.command).toEqual(['python', 'train.py', '--epochs', '3']);
    expect(validateJobForm({ ...DEFAULT_FORM, command: '  ' }).job!.document).not.toHaveProperty('command');
  });

  it('refuses an empty container image', () => {
    const { errors, job } = validateJobForm({ ...DEFAULT_FORM, image: '   ' });
    expect(job).toBeUndefined();
    expect(errors.image).toMatch(/Enter the container image/);
  });

  it('puts the document on-chain for tracked jobs only', () => {
    const tracked = validateJobForm(DEFAULT_FORM, 1_700_000_000).job!;
    expect(tracked.spec.document).toBe(canonicalJson(tracked.document));
    expect(keccak256(stringToHex(tracked.spec.document))).toBe(tracked.spec.specHash);
    const untracked = validateJobForm({ ...DEFAULT_FORM, tracked: false }, 1_700_000_000).job!;
    expect(untracked.spec.document).toBe('');
    expect(untracked.spec.specHash).toBe(keccak256(stringToHex(canonicalJson(untracked.document))));
  });

  it('reports each invalid field', () => {
    const { errors, job } = validateJobForm({ ...DEFAULT_FORM, gpuCount: '0', minVramGb: 'x', durationHours: '', maxPricePerGpuHour: '0' });
    expect(job).toBeUndefined();
    expect(errors.gpuCount).toMatch(/at least 1/);
    expect(errors.minVramGb).toMatch(/whole number/);
    expect(errors.durationHours).toMatch(/hours/);
    expect(errors.maxPricePerGpuHour).toMatch(/greater than zero/);
  });

  it('rejects a price with more than 6 decimals', () => {
    expect(validateJobForm({ ...DEFAULT_FORM, maxPricePerGpuHour: '1.1234567' }).errors.maxPricePerGpuHour).toMatch(/USDC amount/);
  });

  it('charges a team when one is picked', () => {
    expect(validateJobForm({ ...DEFAULT_FORM, teamId: '4' }).job!.spec.teamId).toBe(4);
  });
});

describe('canonical JSON', () => {
  it('sorts keys, drops undefined and writes bigints as strings', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 2n], c: undefined, B: 'x' })).toBe('{"B":"x","a":[true,null,"2"],"b":1}');
  });
});

describe('the job document the form builds', () => {
  it('follows the shared job document schema: argv command, OCI image', async () => {
    const { jobDocumentSchema } = await import('@necto/keeper/domain');
    const { job } = validateJobForm({ ...DEFAULT_FORM, image: 'ghcr.io/acme/llama-finetune:0.3', command: `python finetune.py --note 'two words'` }, 1_795_000_000);
    expect(job!.document.command).toEqual(['python', 'finetune.py', '--note', 'two words']);
    expect(jobDocumentSchema.safeParse(job!.document).success).toBe(true);
    expect('command' in validateJobForm({ ...DEFAULT_FORM, command: '  ' }, 1_795_000_000).job!.document).toBe(false);
  });
  it('refuses an image reference the agent would refuse, and an unclosed quote', () => {
    expect(validateJobForm({ ...DEFAULT_FORM, image: 'Not An Image' }).errors.image).toMatch(/OCI image reference/);
    expect(validateJobForm({ ...DEFAULT_FORM, command: `sh -c 'echo` }).errors.command).toMatch(/unclosed/);
  });

  it('names the buyer’s own Akash signer in the document only when Akash is allowed, and refuses a non-Akash address', () => {
    const address = 'akash1qperwt9wrnkg5k9e5gzfgjppzpqhyav5j24d66';
    expect(validateJobForm({ ...DEFAULT_FORM, akashSigner: address }).job!.document.akashSigner).toBe(address);
    expect(validateJobForm({ ...DEFAULT_FORM, akashSigner: address, allowExternal: false }).job!.document).not.toHaveProperty('akashSigner');
    expect(validateJobForm(DEFAULT_FORM).job!.document).not.toHaveProperty('akashSigner');
    expect(validateJobForm({ ...DEFAULT_FORM, akashSigner: '0x00000000000000000000000000000000000000b0' }).errors.akashSigner).toMatch(/akash1/);
  });
});
