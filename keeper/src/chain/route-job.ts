// One routing round for one job: check the chain, ask the router, commit the decision. Idempotent on
// (jobId, round): the on-chain job is read before deciding and again before committing. A commit that reverts
// with JobMarket_InvalidStatus is "done" only when the chain (latest block, not pending state) shows the round:
// the revert may come from another sender's commit that is still pending and may yet be dropped.
import { JobStatus, jobMarketAbi } from '@necto/contracts';
import { keccak256, stringToHex } from 'viem';
import { canonicalJson } from '../domain/canonical.js';
import { errorSummary, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { AgentStep, Decision, Hex, JobRequest } from '../domain/types.js';
import type { Router } from '../routing/router.js';
import type { ChainClients } from './clients.js';
import { PermanentTxError, TransientChainError, classifyError } from './errors.js';
import type { JobView } from './job-book.js';
import { workloadOf } from '../domain/job-document.js';
import type { SpecDocument } from './spec-document.js';
import type { TxQueue } from './tx-queue.js';

/**
 * Gas bound a commitRoute is sent with instead of an estimate: its gas is ~60-80k (`pnpm bench:gas`; strings are
 * only logged, not stored), so this holds with wide margin. A commit that still runs out is resent with an estimate.
 */
export const COMMIT_ROUTE_GAS_LIMIT = 300_000n;

/** The router; with `quote`, an unchanged no-candidate job is checked without deciding (and storing a log) again. */
export type RouterPort = Pick<Router, 'decide'> & Partial<Pick<Router, 'quote'>>;


export interface OnchainJob {
  status: number;
  round: number;
  startDeadline: number;
  startBy: number;
}

/**
 * How a round ended. `decided`: the router was asked (its steps were reported), so the round has a decision to
 * show, `decision` (null when the router failed).
 */
export type RoundOutcome =
  | { status: 'committed'; hash: Hex; blockNumber: bigint; decided: true; decision: Decision }
  | { status: 'already_routed'; reason: string; decided: boolean; decision: Decision | null }
  | { status: 'not_eligible'; reason: string; decided: boolean; decision: Decision | null }
  | { status: 'no_candidate'; decided: true; decision: Decision; inputs: string | null }
  /** Nothing fits and the inputs are those of the last no-candidate decision: nothing was decided or stored. */
  | { status: 'no_candidate_unchanged'; decided: false; inputs: string }
  | { status: 'failed'; error: string; decided: true; decision: Decision | null };

export interface RouteJobDeps {
  clients: Pick<ChainClients, 'publicClient'>;
  jobMarket: Hex;
  router: RouterPort;
  txQueue: TxQueue;
  logger: Logger;
  metrics: Metrics;
}

export async function readOnchainJob(deps: Pick<RouteJobDeps, 'clients' | 'jobMarket'>, jobId: bigint): Promise<OnchainJob> {
  try {
    const j = await deps.clients.publicClient.readContract({ address: deps.jobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] });
    return { status: Number(j.status), round: Number(j.round), startDeadline: Number(j.startDeadline), startBy: Number(j.startBy) };
  } catch (err) {
    throw new TransientChainError(`getJob(${jobId}) failed: ${errorSummary(err)}`);
  }
}

/** Whether the chain lets the keeper commit `round` now (`now`: chain time, unix s). */
export function eligibility(job: OnchainJob, round: number, now: number): { ok: true } | { ok: false; done: boolean; reason: string } {
  if (job.status === JobStatus.None) return { ok: false, done: false, reason: 'job not on-chain (reorg?)' };
  if (job.round >= round) return { ok: false, done: true, reason: `round ${round} already committed` };
  if (job.round !== round - 1) return { ok: false, done: false, reason: `chain is at round ${job.round}` };
  if (now > job.startBy) return { ok: false, done: true, reason: 'start-by time passed' };
  if (job.status === JobStatus.Open) return { ok: true };
  if (job.status === JobStatus.Routed || job.status === JobStatus.Accepted) {
    if (job.startDeadline !== 0 && now > job.startDeadline) return { ok: true };
    return { ok: false, done: false, reason: job.startDeadline === 0 ? 'waiting for the buyer to accept' : 'start deadline not reached' };
  }
  return { ok: false, done: true, reason: `job status ${job.status}` };
}

/** The JobRequest for a job: on-chain fields from JobSubmitted, the rest from the published spec or the document. */
export function buildJobRequest(job: JobView, document: SpecDocument | null): JobRequest {
  const s = job.submitted;
  const p = job.publishedSpec;
  const pick = <K extends 'gpuModels' | 'regions' | 'minVramGb' | 'minVcpu' | 'minRamGb'>(k: K) => (p ? p[k] : document?.[k]);
  return {
    jobId: job.jobId,
    buyer: s.buyer,
    teamId: Number(s.teamId),
    gpuModels: [...(pick('gpuModels') ?? [])],
    gpuCount: s.gpuCount,
    minVramGb: pick('minVramGb') ?? 0,
    minVcpu: pick('minVcpu') ?? 0,
    minRamGb: pick('minRamGb') ?? 0,
    regions: [...(pick('regions') ?? [])],
    maxPricePerGpuHour: s.maxPricePerGpuHour,
    durationSec: s.duration,
    allowExternal: s.allowExternal,
    // The contract enforces the team cap at submission (the budget is already counted against it).
    teamRemainingCap: null,
    budget: s.budget,
    specHash: s.specHash,
    trust: document?.trust ?? { auditedOnly: false, allowList: [] },
    excludeProviderRefs: [...new Set(job.routes.map((r) => r.providerRef))],
    ...(document?.description ? { description: document.description } : {}),
    ...workloadField(document ?? publishedDocument(p)),
  };
}

/** Tracked jobs publish their document text on-chain (`JobSpec.document`); null when there is none. */
function publishedDocument(p: unknown): unknown {
  const text = p && typeof p === 'object' ? (p as { document?: unknown }).document : undefined;
  if (typeof text !== 'string' || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The document's workload; null when it names no (valid) image, which keeps the job off Akash. */
function workloadField(document: unknown): { workload: JobRequest['workload'] } {
  return { workload: workloadOf(document) };
}

/** The commitRoute argument for a decision. */
export function routeInput(decision: Decision) {
  const c = decision.chosen;
  if (!c) throw new Error('no candidate chosen');
  const scored = decision.ranked.find((r) => r.candidate.id === c.id);
  const price = decision.pricePerGpuHour ?? scored?.pricePerGpuHour ?? c.pricePerGpuHour;
  const onchain = c.market === 'onchain';
  return {
    providerRef: c.providerRef,
    offerId: onchain ? c.offerId : 0n,
    pricePerGpuHour: Number(price),
    logRoot: decision.logRoot,
    decisionHash: decision.decisionHash,
    sdlHash: decision.sdlHash,
    market: onchain ? '' : c.market,
    externalId: onchain ? '' : c.externalId,
  };
}

/**
 * Decides and commits `round` for `job`; `onStep` gets the router's steps as they happen. Throws
 * TransientChainError when the chain cannot be reached (the caller retries; nothing was lost); every other end
 * is the returned outcome.
 */
export async function routeJob(
  deps: RouteJobDeps,
  args: {
    job: JobView;
    round: number;
    document: SpecDocument | null;
    now: () => Promise<number>;
    onStep?: (step: AgentStep) => void;
    /** The commit was handed to the node (its receipt is still awaited). */
    onSent?: () => void;
    /** `inputs` of this round's last no-candidate decision: when nothing changed, the router is not asked again. */
    lastNoCandidate?: string;
  },
): Promise<RoundOutcome> {
  const { job, round } = args;
  const log = deps.logger.child({ jobId: job.jobId.toString(), round });
  const before = await readOnchainJob(deps, job.jobId);
  const ok = eligibility(before, round, await args.now());
  if (!ok.ok) return ok.done ? { status: 'already_routed', reason: ok.reason, decided: false, decision: null } : { status: 'not_eligible', reason: ok.reason, decided: false, decision: null };

  const request = buildJobRequest(job, args.document);
  if (args.lastNoCandidate && deps.router.quote) {
    const inputs = await noCandidateInputs(deps.router, request, log);
    if (inputs !== null && inputs === args.lastNoCandidate) return { status: 'no_candidate_unchanged', decided: false, inputs };
  }

  const started = Date.now();
  let decision: Decision;
  try {
    decision = await deps.router.decide(request, args.onStep ? { onStep: args.onStep } : {});
  } catch (err) {
    deps.metrics.failures.inc({ stage: 'decide' });
    const error = errorSummary(err);
    log.error('router failed', { err: error });
    return { status: 'failed', error, decided: true, decision: null };
  }
  deps.metrics.decideLatency.observe((Date.now() - started) / 1000);

  if (!decision.chosen) {
    deps.metrics.failures.inc({ stage: 'no_candidate' });
    log.warn('no candidate satisfies the job', { excluded: decision.excluded.length });
    return { status: 'no_candidate', decided: true, decision, inputs: deps.router.quote ? await noCandidateInputs(deps.router, request, log) : null };
  }

  // The decision took time: check again so a concurrent keeper's commit is not followed by a useless send.
  const again = eligibility(await readOnchainJob(deps, job.jobId), round, await args.now());
  if (!again.ok) return { status: again.done ? 'already_routed' : 'not_eligible', reason: again.reason, decided: true, decision };

  try {
    const outcome = await deps.txQueue.submit({
      label: `commitRoute job=${job.jobId} round=${round}`,
      address: deps.jobMarket,
      abi: jobMarketAbi,
      functionName: 'commitRoute',
      args: [job.jobId, routeInput(decision)],
      doneErrors: ['JobMarket_InvalidStatus'],
      gasLimit: COMMIT_ROUTE_GAS_LIMIT,
      ...(args.onSent ? { onSent: args.onSent } : {}),
    });
    if (outcome.status === 'already_done') {
      // Gas estimation runs against pending state: the revert may be a commit still in the mempool (a crashed
      // keeper's), which can be dropped. Done only if the mined chain shows this round.
      const after = eligibility(await readOnchainJob(deps, job.jobId), round, await args.now());
      if (!after.ok && after.done) {
        deps.metrics.commits.inc({ result: 'already_done' });
        log.info('round already committed', { reason: after.reason });
        return { status: 'already_routed', reason: after.reason, decided: true, decision };
      }
      log.warn('commit reverts but the round is not on-chain; a pending commit? looking again later', { reason: outcome.reason });
      return { status: 'not_eligible', reason: `commit reverts with ${outcome.reason} but round ${round} is not on-chain (a pending commit?)`, decided: true, decision };
    }
    deps.metrics.commits.inc({ result: 'mined' });
    deps.metrics.jobsRouted.inc();
    deps.metrics.routeLatency.observe((Date.now() - job.firstSeenMs) / 1000);
    log.info('route committed', { tx: outcome.hash, block: outcome.blockNumber, market: decision.chosen.market, logRoot: decision.logRoot });
    return { status: 'committed', hash: outcome.hash, blockNumber: outcome.blockNumber, decided: true, decision };
  } catch (err) {
    if (err instanceof TransientChainError) throw err;
    const error = err instanceof PermanentTxError ? err.message : classifyError(err).message;
    deps.metrics.commits.inc({ result: 'reverted' });
    deps.metrics.failures.inc({ stage: 'commit' });
    log.error('commit failed', { err: error });
    return { status: 'failed', error, decided: true, decision };
  }
}

/**
 * What a no-candidate decision depended on: the request and which offers each constraint excluded (from a quote:
 * nothing is stored). Null when something fits now or the quote failed (then the router decides again).
 */
async function noCandidateInputs(router: RouterPort, request: JobRequest, log: Logger): Promise<string | null> {
  try {
    const q = await router.quote!(request);
    if (q.feasibleCount > 0) return null;
    return keccak256(stringToHex(canonicalJson({ request, excludedCount: q.excludedCount, exclusions: q.exclusions })));
  } catch (err) {
    log.warn('quote for an unroutable job failed; deciding again', { err: errorSummary(err) });
    return null;
  }
}
