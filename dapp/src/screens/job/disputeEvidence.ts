// The buyer's dispute evidence (its schema: @necto/keeper/domain): a small canonical JSON document citing the result
// manifest root and giving the reason in words. Its 0G root is the `reasonHash` that goes on-chain with
// `disputeJob`, so whoever gets the text (the arbiter, from the content store) recomputes the root and knows it is
// exactly what the buyer committed to.
import { disputeEvidenceSchema, DISPUTE_EVIDENCE_KIND, evidenceText, type DisputeEvidence } from '@necto/keeper/domain';
import { zeroGRootHash } from '../../lib/merkle0g';

export { DISPUTE_EVIDENCE_KIND, MAX_REASON_CHARS, disputeEvidenceSchema, evidenceText, type DisputeEvidence } from '@necto/keeper/domain';

/** The evidence document, its exact text and the on-chain reasonHash (the 0G root of the text). */
export function buildEvidence(input: Omit<DisputeEvidence, 'kind'>): { evidence: DisputeEvidence; text: string; reasonHash: `0x${string}` } {
  const evidence = disputeEvidenceSchema.parse({ kind: DISPUTE_EVIDENCE_KIND, ...input, jobMarket: input.jobMarket.toLowerCase(), manifestRoot: input.manifestRoot?.toLowerCase() ?? null });
  const text = evidenceText(evidence);
  return { evidence, text, reasonHash: zeroGRootHash(new TextEncoder().encode(text)) };
}

export type EvidenceCheck =
  | { ok: true; evidence: DisputeEvidence }
  | { ok: false; reason: 'hash_mismatch' | 'not_evidence'; detail: string };

/** Checks evidence text against the on-chain reasonHash and the job it claims to be about. */
export function checkEvidence(text: string, reasonHash: string, job: { jobId: string; chainId: number; jobMarket: string }): EvidenceCheck {
  const bytes = new TextEncoder().encode(text);
  const root = bytes.length ? zeroGRootHash(bytes) : null;
  if (!root || root.toLowerCase() !== reasonHash.toLowerCase()) {
    return { ok: false, reason: 'hash_mismatch', detail: `the text hashes to ${root ?? 'nothing'}, the on-chain reasonHash is ${reasonHash}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not_evidence', detail: 'the text is not JSON' };
  }
  const parsed = disputeEvidenceSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'not_evidence', detail: `${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
  const e = parsed.data;
  if (e.jobId !== job.jobId || e.chainId !== job.chainId || e.jobMarket.toLowerCase() !== job.jobMarket.toLowerCase()) {
    return { ok: false, reason: 'not_evidence', detail: 'the evidence is about another job' };
  }
  return { ok: true, evidence: e };
}

const STORE = 'necto:dispute-evidence:';

/** Keeps the evidence text in this browser under its root (so the buyer can hand it over later). */
export function saveEvidence(reasonHash: string, text: string): void {
  try {
    window.localStorage.setItem(STORE + reasonHash.toLowerCase(), text);
  } catch {
    // storage unavailable: the buyer still gets the text to copy
  }
}

export function loadEvidence(reasonHash: string): string | null {
  try {
    return window.localStorage.getItem(STORE + reasonHash.toLowerCase());
  } catch {
    return null;
  }
}
