// The untracked-job hand-off between the dApp and the keeper: the dApp hashes its job document into the on-chain
// specHash; the keeper must accept that same document (POST /jobs/:id/spec) and recompute the same hash.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, validateJobForm } from './jobForm';
import { parseSpecSubmission } from '../../../../keeper/src/chain/spec-document';

describe('untracked spec hand-off (dApp → keeper)', () => {
  it('the keeper accepts the dApp document and recomputes its on-chain specHash', () => {
    const { job, errors } = validateJobForm(
      { ...DEFAULT_FORM, gpuModels: ['H100', 'A100'], regions: ['eu-north'], tracked: false },
      1_795_000_000,
    );
    expect(errors).toEqual({});
    const parsed = parseSpecSubmission({ document: JSON.parse(JSON.stringify(job!.document)) });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.hash).toBe(job!.spec.specHash);
    expect(parsed.document.gpuModels).toEqual(['H100', 'A100']);
    expect(parsed.document.regions).toEqual(['eu-north']);
  });

  it('a changed document no longer matches', () => {
    const { job } = validateJobForm({ ...DEFAULT_FORM, tracked: false }, 1_795_000_000);
    const tampered = { ...job!.document, minVramGb: (job!.document.minVramGb as number) + 1 };
    const parsed = parseSpecSubmission({ document: tampered });
    expect(parsed.ok && parsed.hash).not.toBe(job!.spec.specHash);
  });
});
