/**
 * Builds, stores and reads result manifests. The log and every output file are stored first (each under its
 * 0G root), then the manifest's canonical JSON; the manifest's own 0G root is the on-chain `resultHash`.
 */
import { canonicalBytes } from '@necto/keeper/canonical';
import {
  RESULT_MANIFEST_KIND,
  resultManifestSchema,
  type ResultLease,
  type ResultManifest,
  type ResultOutput,
} from '@necto/keeper/domain';
import { zgRootOf } from '@necto/keeper/log';
import { getAddress, type Address, type Hex } from 'viem';
import type { ContentStore } from '../content/store.js';
import type { CollectedLog } from './log.js';
import { DEFAULT_OUTPUT_LIMITS, scanOutputs, type OutputLimits } from './outputs.js';
import { classifyRun, type RunOutcome } from './reason.js';

export interface ManifestJob {
  chainId: number;
  jobMarket: Address;
  jobId: bigint | string;
  round: number;
  /** On-chain provider wallet, or the market operator for external markets. */
  provider: Address;
  market: string;
}

export interface RunRecord {
  image: string;
  imageDigest: string | null;
  command: string[];
  /** Unix seconds. */
  startedAt: number;
  finishedAt: number;
  outcome: RunOutcome;
  /** The collected log; for a failed pull, the pull error as text. */
  log: CollectedLog;
  /** Host directory the container's outputs were mounted from; null when no container ran. */
  outputsDir: string | null;
  runtime: ResultManifest['runtime'];
  lease?: ResultLease;
}

export interface StoredManifest {
  manifest: ResultManifest;
  /** canonicalJson(manifest) as UTF-8: the stored bytes. */
  bytes: Uint8Array;
  /** 0G root of `bytes`: the on-chain resultHash. */
  root: Hex;
}

/** A stored manifest that is missing, does not hash to its root, or is not a valid manifest. */
export class ManifestError extends Error {
  constructor(
    readonly root: Hex,
    message: string,
  ) {
    super(`result manifest ${root}: ${message}`);
    this.name = 'ManifestError';
  }
}

async function putNonEmpty(store: ContentStore, bytes: Uint8Array): Promise<Hex | null> {
  return bytes.length === 0 ? null : (await store.put(bytes)).root;
}

export async function buildResultManifest(
  job: ManifestJob,
  run: RunRecord,
  store: ContentStore,
  opts: { outputLimits?: OutputLimits } = {},
): Promise<StoredManifest> {
  const { reason, exitCode } = classifyRun(run.outcome);
  const logRoot = await putNonEmpty(store, run.log.bytes);

  const outputs: ResultOutput[] = [];
  if (run.outputsDir !== null) {
    const scan = await scanOutputs(run.outputsDir, opts.outputLimits ?? DEFAULT_OUTPUT_LIMITS);
    for (const file of scan.files) {
      outputs.push({ path: file.path, size: file.size, sha256: file.sha256, root: await putNonEmpty(store, file.bytes) });
    }
  }

  const manifest = resultManifestSchema.parse({
    kind: RESULT_MANIFEST_KIND,
    chainId: job.chainId,
    jobMarket: getAddress(job.jobMarket),
    jobId: BigInt(job.jobId).toString(),
    round: job.round,
    provider: getAddress(job.provider),
    market: job.market,
    image: run.image,
    imageDigest: run.imageDigest,
    command: run.command,
    startedAt: run.startedAt,
    finishedAt: Math.max(run.finishedAt, run.startedAt),
    exitCode,
    reason,
    log: { root: logRoot, bytes: run.log.bytes.length, truncated: run.log.truncated },
    outputs,
    runtime: run.runtime,
    ...(run.lease ? { lease: run.lease } : {}),
  } satisfies ResultManifest);

  const bytes = canonicalBytes(manifest);
  const { root } = await store.put(bytes);
  return { manifest, bytes, root };
}

/** Fetches the manifest stored under `root` (the on-chain resultHash), checks its root and its shape. */
export async function readResultManifest(store: ContentStore, root: Hex): Promise<StoredManifest> {
  const bytes = await store.get(root);
  if (bytes === null) throw new ManifestError(root, 'not found');
  const actual = await zgRootOf(bytes);
  if (actual !== root.toLowerCase()) throw new ManifestError(root, `its bytes hash to ${actual}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ManifestError(root, 'not UTF-8 JSON');
  }
  const parsed = resultManifestSchema.safeParse(json);
  if (!parsed.success) throw new ManifestError(root, `not a result manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const canonical = canonicalBytes(parsed.data);
  if (canonical.length !== bytes.length || canonical.some((b, i) => b !== bytes[i])) {
    throw new ManifestError(root, 'not in canonical form');
  }
  return { manifest: parsed.data, bytes, root: actual };
}
