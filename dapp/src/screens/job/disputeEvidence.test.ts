import { describe, expect, it } from 'vitest';
import { zeroGRootHash } from '../../lib/merkle0g';
import { buildEvidence, checkEvidence, loadEvidence, saveEvidence } from './disputeEvidence';

const input = { chainId: 31337, jobMarket: '0x5FbDB2315678afecb367f032d93F642f64180aa3', jobId: '9', round: 1, manifestRoot: `0x${'ab'.repeat(32)}`, reason: 'The output file is empty.' };
const job = { jobId: '9', chainId: 31337, jobMarket: input.jobMarket };

describe('dispute evidence', () => {
  it('commits to the 0G root of its canonical text, citing the manifest root', () => {
    const { evidence, text, reasonHash } = buildEvidence(input);
    expect(evidence.manifestRoot).toBe(input.manifestRoot);
    expect(text).toBe(JSON.stringify({ chainId: 31337, jobId: '9', jobMarket: input.jobMarket.toLowerCase(), kind: 'necto.dispute/1', manifestRoot: input.manifestRoot, reason: 'The output file is empty.', round: 1 }));
    expect(reasonHash).toBe(zeroGRootHash(new TextEncoder().encode(text)));
    expect(checkEvidence(text, reasonHash, job)).toMatchObject({ ok: true, evidence: { reason: 'The output file is empty.' } });
  });

  it('refuses an edited text and evidence about another job', () => {
    const { text, reasonHash } = buildEvidence(input);
    expect(checkEvidence(text.replace('empty', 'fine'), reasonHash, job)).toMatchObject({ ok: false, reason: 'hash_mismatch' });
    const other = buildEvidence({ ...input, jobId: '10' });
    expect(checkEvidence(other.text, other.reasonHash, job)).toMatchObject({ ok: false, reason: 'not_evidence' });
  });

  it('needs a reason', () => {
    expect(() => buildEvidence({ ...input, reason: '   ' })).toThrow();
  });

  it('keeps the text in this browser under its root', () => {
    const { text, reasonHash } = buildEvidence(input);
    saveEvidence(reasonHash, text);
    expect(loadEvidence(reasonHash.toUpperCase().replace('0X', '0x'))).toBe(text);
  });
});
