// A buyer's dispute evidence: a small canonical JSON document citing the disputed result manifest and giving the
// reason in words. Its 0G root is the `reasonHash` that goes on-chain with `disputeJob`; the buyer uploads it to the
// content store (the keeper accepts it from the job's buyer only), so the arbiter fetches it by that root.
import { z } from 'zod';
import { canonicalJson } from './canonical.js';

export const DISPUTE_EVIDENCE_KIND = 'necto.dispute/1';
export const MAX_REASON_CHARS = 4_000;
/** The most bytes an evidence document can take (a maximal reason, UTF-8, plus the fields). */
export const MAX_EVIDENCE_BYTES = 4 * MAX_REASON_CHARS + 1_024;

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

export const disputeEvidenceSchema = z
  .object({
    kind: z.literal(DISPUTE_EVIDENCE_KIND),
    chainId: z.number().int().positive(),
    jobMarket: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    jobId: z.string().regex(/^\d+$/),
    round: z.number().int().nonnegative(),
    /** The on-chain resultHash the buyer disputes (null when disputing a running job without a result). */
    manifestRoot: hex32.nullable(),
    reason: z.string().trim().min(1).max(MAX_REASON_CHARS),
  })
  .strict();
export type DisputeEvidence = z.infer<typeof disputeEvidenceSchema>;

/** The exact text of an evidence document (canonical JSON). */
export function evidenceText(evidence: DisputeEvidence): string {
  return canonicalJson(disputeEvidenceSchema.parse(evidence));
}

/**
 * The evidence document these bytes are, when they are one: valid, in canonical form (the text the buyer's root
 * commits to) and at most MAX_EVIDENCE_BYTES; null otherwise.
 */
export function parseEvidenceBytes(bytes: Uint8Array): DisputeEvidence | null {
  if (bytes.length === 0 || bytes.length > MAX_EVIDENCE_BYTES) return null;
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = disputeEvidenceSchema.safeParse(value);
  if (!parsed.success || canonicalJson(parsed.data) !== text) return null;
  return parsed.data;
}
