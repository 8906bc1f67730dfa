// Verifies a result manifest against the job's on-chain `resultHash`, entirely in the browser: the 0G Merkle root
// of the fetched bytes must equal the on-chain value, the bytes must be the manifest's canonical JSON, and the
// manifest must describe this job (chain, market contract, job id, round, provider).
import { resultManifestSchema, type ResultManifest } from '@necto/keeper/domain';
import { canonicalJson } from '../../lib/canonicalJson';
import { zeroGRootHash } from '../../lib/merkle0g';

export interface OnchainResult {
  chainId: number;
  jobMarket: string;
  jobId: string;
  round: number;
  /** The on-chain `resultHash` (the manifest's 0G root). */
  resultHash: string;
  /** Who completed the job: the routed provider wallet, or the market operator for an external market. */
  operator: string | null;
}

export type ResultCheckId = 'root' | 'schema' | 'canonical' | 'job' | 'provider';

export interface ResultCheck {
  id: ResultCheckId;
  label: string;
  passed: boolean;
  expected: string;
  actual: string;
}

export interface ResultVerification {
  passed: boolean;
  checks: ResultCheck[];
  computedRoot: string | null;
  /** The manifest when it parsed (shown even when a check failed, marked as unverified). */
  manifest: ResultManifest | null;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function decode(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

export function verifyResultManifest(bytes: Uint8Array, onchain: OnchainResult): ResultVerification {
  const computedRoot = bytes.length > 0 ? zeroGRootHash(bytes) : null;
  const checks: ResultCheck[] = [
    {
      id: 'root',
      label: '0G Merkle root of the manifest equals the on-chain resultHash',
      passed: computedRoot !== null && same(computedRoot, onchain.resultHash),
      expected: onchain.resultHash,
      actual: computedRoot ?? 'empty response',
    },
  ];
  const value = decode(bytes);
  const parsed = value === undefined ? null : resultManifestSchema.safeParse(value);
  const manifest = parsed?.success ? parsed.data : null;
  checks.push({
    id: 'schema',
    label: 'The bytes are a valid necto.result/1 manifest',
    passed: manifest !== null,
    expected: 'necto.result/1',
    actual: manifest ? manifest.kind : value === undefined ? 'not JSON' : `invalid: ${parsed?.error?.issues[0]?.path.join('.') || '(root)'} ${parsed?.error?.issues[0]?.message ?? ''}`.trim(),
  });
  const text = new TextDecoder().decode(bytes);
  const canonical = value === undefined ? null : canonicalJson(value);
  checks.push({
    id: 'canonical',
    label: 'The manifest is stored as its canonical JSON',
    passed: canonical !== null && canonical === text,
    expected: 'keys sorted, no whitespace',
    actual: canonical === null ? 'not JSON' : canonical === text ? 'canonical' : 'not canonical',
  });
  const expectedJob = `chain ${onchain.chainId} · ${onchain.jobMarket.toLowerCase()} · job ${onchain.jobId} · round ${onchain.round}`;
  checks.push({
    id: 'job',
    label: 'The manifest is about this job and round',
    passed: Boolean(manifest && manifest.chainId === onchain.chainId && same(manifest.jobMarket, onchain.jobMarket) && manifest.jobId === onchain.jobId && manifest.round === onchain.round),
    expected: expectedJob,
    actual: manifest ? `chain ${manifest.chainId} · ${manifest.jobMarket.toLowerCase()} · job ${manifest.jobId} · round ${manifest.round}` : 'no manifest',
  });
  checks.push({
    id: 'provider',
    label: 'The manifest names the wallet that completed the job',
    passed: Boolean(manifest && onchain.operator && same(manifest.provider, onchain.operator)),
    expected: onchain.operator ?? 'unknown operator',
    actual: manifest ? manifest.provider : 'no manifest',
  });
  return { passed: checks.every((c) => c.passed), checks, computedRoot, manifest };
}
