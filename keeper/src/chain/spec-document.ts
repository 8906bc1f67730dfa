// Untracked jobs publish only `specHash` on-chain; the buyer hands the spec document to the keeper
// (POST /jobs/:id/spec). The document is accepted only if keccak256 of its bytes equals the on-chain specHash:
// either the exact text the buyer hashed (`raw`), or a JSON object hashed as canonical JSON (`document`:
// keys sorted, no whitespace — the same canonical form as the reasoning logs).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MAX_JSON_DEPTH, canonicalJson, deeperThan } from '../domain/canonical.js';
import type { Hex } from '../domain/types.js';
import { jobRoutingShape, specHashOfText } from '../domain/job-document.js';

/** The routing fields an untracked job's document must carry (anything else — image, command, env — is kept as is). */
export const specDocumentSchema = z.object(jobRoutingShape).loose();

export type SpecDocument = z.output<typeof specDocumentSchema>;

export type SpecSubmission = { document: unknown } | { raw: string };

export type ParsedSpec =
  | { ok: true; text: string; hash: Hex; document: SpecDocument }
  | { ok: false; reason: 'invalid'; issues: Array<{ path: string; message: string }> };

/** The exact text that is hashed, and the validated document. */
export function parseSpecSubmission(input: SpecSubmission): ParsedSpec {
  let text: string;
  let value: unknown;
  if ('raw' in input) {
    text = input.raw;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'invalid', issues: [{ path: 'raw', message: 'is not JSON' }] };
    }
    if (deeperThan(value, MAX_JSON_DEPTH)) {
      return { ok: false, reason: 'invalid', issues: [{ path: 'raw', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }] };
    }
  } else {
    value = input.document;
    if (deeperThan(value, MAX_JSON_DEPTH)) {
      return { ok: false, reason: 'invalid', issues: [{ path: 'document', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }] };
    }
    text = canonicalJson(value);
  }
  const parsed = specDocumentSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid', issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })) };
  }
  return { ok: true, text, hash: specHashOfText(text), document: parsed.data };
}


/**
 * Accepted spec documents, kept in DATA_DIR so a restart does not lose them (they are re-verified against the
 * on-chain hash when read back). The buyer's data: never logged.
 */
export class SpecStore {
  private readonly memory = new Map<string, { text: string; document: SpecDocument }>();
  private readonly dir: string;

  constructor(dataDir: string, chainId: number, jobMarket: Hex) {
    this.dir = join(dataDir, 'specs', `${chainId}-${jobMarket.toLowerCase()}`);
  }

  put(jobId: bigint, text: string, document: SpecDocument): void {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${jobId}.json`);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    this.memory.set(jobId.toString(), { text, document });
  }

  /** The exact text of the stored document whose hash is `specHash`, or null (what a routed provider fetches). */
  text(jobId: bigint, specHash: Hex): string | null {
    if (this.get(jobId, specHash) === null) return null;
    return this.memory.get(jobId.toString())?.text ?? null;
  }

  /** The stored document whose hash is `specHash`, or null. */
  get(jobId: bigint, specHash: Hex): SpecDocument | null {
    const hit = this.memory.get(jobId.toString());
    if (hit && specHashOfText(hit.text) === specHash.toLowerCase()) return hit.document;
    let text: string;
    try {
      text = readFileSync(join(this.dir, `${jobId}.json`), 'utf8');
    } catch {
      return null;
    }
    if (specHashOfText(text) !== specHash.toLowerCase()) return null; // a spec of another chain history (reorg, redeploy)
    const parsed = parseSpecSubmission({ raw: text });
    if (!parsed.ok) return null;
    this.memory.set(jobId.toString(), { text, document: parsed.document });
    return parsed.document;
  }
}
