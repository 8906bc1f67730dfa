/**
 * The managed-wallet Akash deployer: per job round a persisted state machine
 *   created → bidding → leased → manifest-sent → running → closed
 * driven by `tick()`. Every step is idempotent and checks the chain before acting, so a restart (kill -9) in any
 * state resumes with exactly one deployment and one lease per job round:
 *  - created: the dseq is chosen and persisted before MsgCreateDeployment is sent; on resume an existing
 *    deployment with that dseq is adopted.
 *  - bidding: the routed provider's open bid is leased (an active lease found on resume is adopted). No bid from
 *    it within `bidWindowMs` → the deployment is closed and a re-route is signalled once.
 *  - leased: the manifest goes to the provider's gateway with a short-lived JWT scoped to this deployment,
 *    retried while the provider has not seen the lease yet (404).
 *  - manifest-sent: lease status is polled until every service is ready, then `startJob` is reported.
 *  - running: followed until the paid duration, the workload stopping, the job's cancellation (or re-route), or
 *    the lease closing; then the log is collected, the deployment closed and `completeJob` reported with the
 *    result manifest's root.
 * Top-ups deposit more into the deployment's escrow (MsgAccountDeposit).
 *
 * Self-signed rounds (`mode: 'self-sign'`): the buyer's own wallet owns the deployment and signs the create and
 * the lease; the deployer sends none of them (one deployment per round, the buyer's). It follows the buyer's
 * lease with the gateway token the buyer handed over (`buyerToken`), moves to manifest-sent when the relayed
 * manifest was accepted (`manifestSent`), and reports startJob / completeJob as for a managed round. It cannot
 * close a deployment it does not own: the buyer closes it, or Akash does when its escrow runs out.
 */
import { fromHex } from '@cosmjs/encoding';
import { accountDepositMsg, closeDeploymentMsg, createDeploymentMsg, createLeaseMsg } from '../../akash/messages.js';
import { AKASH_BLOCK_MS } from '../../akash/pricing.js';
import { manifestJson, manifestOf, manifestVersionOf } from '../../akash/sdl.js';
import type { AkashChainClient } from '../../akash/chain-client.js';
import type { GatewayClient, LeaseStatus } from '../../akash/gateway-client.js';
import type { AkashWallet } from '../../akash/wallet.js';
import { canonicalBytes } from '../../domain/canonical.js';
import { resultManifestSchema } from '../../domain/result-manifest.js';
import type { Hex } from '../../domain/types.js';
import { errorSummary, type Logger } from '../../logger.js';
import { DeployerStore, type DeploymentRecord } from './store.js';

export class DeployerError extends Error {
  override name = 'DeployerError';
}

/** On-chain job status codes the deployer reads (DataTypes.JobStatus). */
const Status = { Running: 4, Cancelled: 7, Expired: 8 } as const;

/** The market side, as the Akash market's operator (the keeper). Both reports must be idempotent. */
export interface MarketPort {
  job(jobId: bigint): Promise<{ status: number; round: number }>;
  startJob(jobId: bigint): Promise<void>;
  completeJob(jobId: bigint, resultHash: Hex): Promise<void>;
}
export interface ContentPort {
  put(bytes: Uint8Array): Promise<{ root: Hex }>;
}

export interface DeployerOptions {
  chain: AkashChainClient;
  wallet: AkashWallet;
  gateway: GatewayClient;
  market: MarketPort;
  content: ContentPort;
  store: DeployerStore;
  logger: Logger;
  /** For the result manifest. */
  chainId: number;
  jobMarket: Hex;
  operator: Hex;
  /** 'akash-standin' when pointed at the local stand-ins. */
  runtimeKind: 'akash' | 'akash-standin';
  bidWindowMs?: number;
  /** Polls (without a ready service) before a sent manifest counts as failed. */
  readyTimeoutMs?: number;
  minDeposit?: { denom: string; amount: bigint };
  maxLogBytes?: number;
  nowMs?: () => number;
  /** Called once per round that ended before the job started (no bid, deployment failed). */
  onReroute?: (jobId: bigint, round: number, reason: string) => void;
  /** Fault injection for restart tests: called after each side effect, before its state is persisted. */
  afterEffect?: (point: string, r: DeploymentRecord) => void;
  /** Called after every persisted transition (metrics, benches). */
  onTransition?: (r: DeploymentRecord) => void;
  /** Self-signed rounds: the buyer's gateway token for this round's lease (null until the buyer sent one). */
  buyerToken?: (r: DeploymentRecord) => string | null;
}

export interface TrackInput {
  jobId: bigint;
  round: number;
  sdl: string;
  /** The on-chain route's sdlHash: the SDL must hash to it. */
  sdlHash: Hex;
  /** Akash address of the routed provider (the route's externalId). */
  provider: string;
  durationSec: number;
  /** A deployment the buyer created and signs for (its owner is the buyer's Akash address). */
  selfSign?: { owner: string; dseq: string };
}

export function createAkashDeployer(opts: DeployerOptions) {
  const now = opts.nowMs ?? Date.now;
  const log = opts.logger.child({ component: 'akash-deployer' });
  const bidWindowMs = opts.bidWindowMs ?? 90_000;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 10 * 60_000;
  const minDeposit = opts.minDeposit ?? { denom: 'uact', amount: 5_000_000n };
  const hostUris = new Map<string, string>();
  const busy = new Set<string>();

  const save = (r: DeploymentRecord, patch: Partial<DeploymentRecord>): DeploymentRecord => {
    const next = { ...r, ...patch };
    opts.store.put(next);
    if (patch.state && patch.state !== r.state) log.info('akash deployment', { jobId: r.jobId, round: r.round, dseq: r.dseq, state: patch.state });
    opts.onTransition?.(next);
    return next;
  };
  const effect = (point: string, r: DeploymentRecord) => opts.afterEffect?.(point, r);
  const owner = opts.wallet.address;
  const dseqOf = (r: DeploymentRecord) => BigInt(r.dseq);
  const hostUri = async (provider: string) => {
    let u = hostUris.get(provider);
    if (!u) {
      u = await opts.chain.providerHostUri(provider);
      hostUris.set(provider, u);
    }
    return u;
  };
  const token = async (r: DeploymentRecord, scope: Array<'send-manifest' | 'status' | 'logs'>) => {
    if (r.mode !== 'self-sign') return opts.wallet.gatewayToken({ provider: r.provider, dseq: dseqOf(r), scope, ttlSec: 120 });
    const t = opts.buyerToken?.(r) ?? null;
    if (!t) throw new DeployerError('waiting for the buyer to hand over a gateway token for the lease');
    return t;
  };
  const selfSigned = (r: DeploymentRecord) => r.mode === 'self-sign';

  /** Deposit for the whole paid duration at the SDL's price ceiling (at least the chain's minimum). */
  const depositFor = (sdl: string, durationSec: number) => {
    const { groupSpecs } = manifestOf(sdl);
    const price = groupSpecs[0]?.resources[0]?.price;
    if (!price) throw new DeployerError('SDL has no price');
    const blocks = BigInt(Math.ceil((durationSec * 1000) / AKASH_BLOCK_MS));
    const perBlock = BigInt(price.amount.split('.')[0] ?? '0');
    const amount = perBlock * blocks;
    return { denom: price.denom, amount: (amount > minDeposit.amount ? amount : minDeposit.amount).toString() };
  };

  async function track(input: TrackInput): Promise<DeploymentRecord> {
    const jobId = input.jobId.toString();
    const existing = opts.store.get(jobId, input.round);
    if (existing) return existing;
    const hash = await manifestVersionOf(manifestOf(input.sdl).groups);
    if (hash !== input.sdlHash.toLowerCase()) throw new DeployerError(`the SDL hashes to ${hash}, the route committed ${input.sdlHash}`);
    const record: DeploymentRecord = {
      v: 1,
      jobId,
      round: input.round,
      state: 'created',
      mode: input.selfSign ? 'self-sign' : 'managed',
      owner: input.selfSign?.owner ?? owner,
      dseq: input.selfSign?.dseq ?? (await opts.chain.latestHeight()).toString(),
      sdl: input.sdl,
      sdlHash: hash,
      provider: input.provider,
      durationSec: input.durationSec,
      deposit: depositFor(input.sdl, input.durationSec),
      createdAtMs: now(),
      biddingSinceMs: null,
      lease: null,
      manifestSentAtMs: null,
      startedAt: null,
      startReported: false,
      end: null,
      closedOnChain: false,
      log: null,
      resultRoot: null,
      completeReported: false,
      rerouteSignalled: false,
      deposits: [],
      pendingTopUps: [],
      seenTopUps: [],
      lastError: null,
    };
    opts.store.put(record);
    opts.onTransition?.(record);
    return record;
  }

  const end = (r: DeploymentRecord, reason: NonNullable<DeploymentRecord['end']>['reason'], detail: string) => save(r, { end: { reason, at: Math.floor(now() / 1000), detail: detail.slice(0, 300) } });

  async function step(r0: DeploymentRecord): Promise<DeploymentRecord> {
    let r = r0;
    const dseq = dseqOf(r);
    // The market's view first: a cancelled or re-routed job ends this round wherever it is.
    if (!r.end && r.state !== 'created') {
      const job = await opts.market.job(BigInt(r.jobId));
      if (job.status === Status.Cancelled || job.status === Status.Expired || job.round > r.round) r = end(r, 'cancelled', `job status ${job.status}, round ${job.round}`);
    }
    if (r.end) return finish(r);

    switch (r.state) {
      case 'created': {
        const onchain = await opts.chain.deployment(r.owner, dseq);
        if (selfSigned(r)) {
          if (!onchain) throw new DeployerError(`the buyer's deployment ${r.owner}/${dseq} is not on chain`);
          return save(r, { state: 'bidding', biddingSinceMs: now() });
        }
        if (!onchain) {
          const { groupSpecs } = manifestOf(r.sdl);
          await opts.chain.sendTx(opts.wallet, [createDeploymentMsg({ owner, dseq, groupSpecs, hash: fromHex(r.sdlHash.slice(2)), deposit: r.deposit })], `necto job ${r.jobId} round ${r.round}`);
          effect('deployment-created', r);
        }
        return save(r, { state: 'bidding', biddingSinceMs: now(), deposits: onchain ? r.deposits : [...r.deposits, { amount: r.deposit.amount, txhash: 'create' }] });
      }
      case 'bidding': {
        const active = (await opts.chain.leases(r.owner, dseq)).find((l) => l.state === 'active');
        if (active && selfSigned(r) && active.id.provider !== r.provider) return finish(end(r, 'failed', `the buyer leased ${active.id.provider}, not the routed provider ${r.provider}`));
        if (active) return save(r, { state: 'leased', lease: { ...active.id, price: active.price } });
        if (selfSigned(r)) {
          // The buyer accepts the bid; no lease within the window ends the round as for a provider that never bid.
          if (now() - (r.biddingSinceMs ?? r.createdAtMs) > bidWindowMs) return finish(end(r, 'no-bid', `no lease with ${r.provider} within ${Math.round(bidWindowMs / 1000)} s`));
          return r;
        }
        const bid = (await opts.chain.bids(owner, dseq)).find((b) => b.state === 'open' && b.id.provider === r.provider);
        if (!bid) {
          if (now() - (r.biddingSinceMs ?? r.createdAtMs) > bidWindowMs) return finish(end(r, 'no-bid', `no bid from ${r.provider} within ${Math.round(bidWindowMs / 1000)} s`));
          return r;
        }
        await opts.chain.sendTx(opts.wallet, [createLeaseMsg(bid.id)], `necto job ${r.jobId} round ${r.round}`);
        effect('lease-created', r);
        return save(r, { state: 'leased', lease: { ...bid.id, price: bid.price } });
      }
      case 'leased': {
        if (selfSigned(r)) {
          // The buyer's manifest goes through the keeper's relay, which reports it with manifestSent().
          if (now() - r.createdAtMs > readyTimeoutMs) return finish(end(r, 'failed', 'the buyer never sent the manifest'));
          return r;
        }
        const out = await opts.gateway.sendManifest(await hostUri(r.provider), dseq, manifestJson(manifestOf(r.sdl).groups), await token(r, ['send-manifest']));
        if (!out.ok) {
          // The provider learns of the lease from the chain a little after it is created: try again next tick.
          if (out.reason === 'no-lease' && now() - r.createdAtMs < readyTimeoutMs) return save(r, { lastError: `manifest: ${out.message || 'no lease yet'}` });
          return finish(end(r, 'failed', `manifest refused (${out.status} ${out.reason}): ${out.message}`));
        }
        effect('manifest-sent', r);
        return save(r, { state: 'manifest-sent', manifestSentAtMs: now(), lastError: null });
      }
      case 'manifest-sent': {
        const status = await leaseStatus(r);
        if (status === 'lease-gone') return finish(end(r, 'lease-lost', 'the lease is no longer active'));
        if (status && allReady(status)) {
          const startedAt = r.startedAt ?? Math.floor(now() / 1000);
          if (!r.startReported) {
            r = save(r, { startedAt });
            await opts.market.startJob(BigInt(r.jobId));
            effect('job-started', r);
          }
          return save(r, { state: 'running', startedAt, startReported: true });
        }
        if (now() - (r.manifestSentAtMs ?? now()) > readyTimeoutMs) return finish(end(r, 'failed', 'the workload never became ready'));
        return r;
      }
      case 'running': {
        r = await applyTopUps(r);
        if (r.startedAt !== null && now() / 1000 >= r.startedAt + r.durationSec) return finish(end(r, 'timeout', 'the paid duration is over'));
        const status = await leaseStatus(r);
        if (status === 'lease-gone') return finish(end(r, 'lease-lost', 'the lease is no longer active'));
        if (status && !allReady(status)) return finish(end(r, 'ok', 'the workload stopped'));
        return r;
      }
      case 'closed':
        return r;
    }
  }

  async function leaseStatus(r: DeploymentRecord): Promise<LeaseStatus | null | 'lease-gone'> {
    const lease = r.lease!;
    const onchain = (await opts.chain.leases(r.owner, dseqOf(r))).find((l) => l.id.gseq === lease.gseq && l.id.oseq === lease.oseq && l.id.provider === lease.provider);
    if (!onchain || onchain.state !== 'active') return 'lease-gone';
    return opts.gateway.leaseStatus(await hostUri(r.provider), { dseq: dseqOf(r), gseq: lease.gseq, oseq: lease.oseq }, await token(r, ['status']));
  }
  const allReady = (s: LeaseStatus) => {
    const services = Object.values(s.services);
    return services.length > 0 && services.every((x) => x.ready_replicas >= 1);
  };

  async function applyTopUps(r0: DeploymentRecord): Promise<DeploymentRecord> {
    let r = r0;
    while (r.pendingTopUps.length > 0) {
      const [t, ...rest] = r.pendingTopUps as [DeploymentRecord['pendingTopUps'][number], ...DeploymentRecord['pendingTopUps']];
      if (r.deposits.some((d) => d.txhash === `topup:${t.id}`)) {
        r = save(r, { pendingTopUps: rest });
        continue;
      }
      const amount = t.usdMicros; // uact is USD-denominated: 1 uact = 1 micro-USD
      if (r.deposit.denom !== 'uact') throw new DeployerError('top-ups are converted for uact deposits only');
      await opts.chain.sendTx(opts.wallet, [accountDepositMsg({ signer: owner, owner: r.owner, dseq: dseqOf(r), amount: { denom: 'uact', amount } })], `necto top-up job ${r.jobId}`);
      effect('deposited', r);
      r = save(r, { pendingTopUps: rest, deposits: [...r.deposits, { amount, txhash: `topup:${t.id}` }] });
    }
    return r;
  }

  /** Collect the log, close the deployment, report the completion: each once, in that order. */
  async function finish(r0: DeploymentRecord): Promise<DeploymentRecord> {
    let r = r0;
    const reason = r.end!.reason;
    const dseq = dseqOf(r);
    if (r.lease && r.log === null && r.startReported) {
      let text = '';
      let truncated = false;
      try {
        const got = await opts.gateway.logs(await hostUri(r.provider), { dseq, gseq: r.lease.gseq, oseq: r.lease.oseq }, await token(r, ['logs']), opts.maxLogBytes ?? 4 * 2 ** 20);
        if (got) ({ text, truncated } = got);
      } catch (err) {
        log.warn('akash logs unavailable', { jobId: r.jobId, err: errorSummary(err) });
      }
      const bytes = new TextEncoder().encode(text);
      // 0G stores no empty file: an empty (or unavailable) log has no root, as the result manifest's schema says.
      const root = bytes.length === 0 ? null : (await opts.content.put(bytes)).root;
      r = save(r, { log: { root, bytes: bytes.length, truncated } });
    }
    if (!r.closedOnChain && selfSigned(r)) {
      // Not ours to close: recorded as closed once the buyer (or Akash, when the escrow runs out) closed it.
      const d = await opts.chain.deployment(r.owner, dseq);
      if (!d || d.state !== 'active') r = save(r, { closedOnChain: true });
    } else if (!r.closedOnChain) {
      const d = await opts.chain.deployment(owner, dseq);
      if (d && d.state === 'active') {
        await opts.chain.sendTx(opts.wallet, [closeDeploymentMsg({ owner, dseq })], `necto job ${r.jobId} round ${r.round} ${reason}`);
        effect('deployment-closed', r);
      }
      r = save(r, { closedOnChain: true });
    }
    if (r.startReported && reason !== 'cancelled' && !r.completeReported) {
      if (!r.resultRoot) {
        const { root } = await opts.content.put(canonicalBytes(validManifest(resultManifest(r))));
        r = save(r, { resultRoot: root });
      }
      await opts.market.completeJob(BigInt(r.jobId), r.resultRoot as Hex);
      effect('job-completed', r);
      r = save(r, { completeReported: true });
    }
    if (!r.startReported && !r.rerouteSignalled && reason !== 'cancelled') {
      r = save(r, { rerouteSignalled: true });
      opts.onReroute?.(BigInt(r.jobId), r.round, reason);
    }
    return r.state === 'closed' ? r : save(r, { state: 'closed' });
  }

  /** The manifest in the one format provider agents write (checked, so a malformed one is never committed). */
  function validManifest(m: ReturnType<typeof resultManifest>) {
    const parsed = resultManifestSchema.safeParse(m);
    if (!parsed.success) throw new Error(`result manifest invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  function resultManifest(r: DeploymentRecord) {
    const { groups } = manifestOf(r.sdl);
    const svc = groups[0]!.services[0]!;
    const reason = r.end!.reason === 'ok' || r.end!.reason === 'timeout' ? r.end!.reason : 'nonzero';
    return {
      kind: 'necto.result/1',
      chainId: opts.chainId,
      jobMarket: opts.jobMarket.toLowerCase(),
      jobId: r.jobId,
      round: r.round,
      provider: opts.operator.toLowerCase(),
      market: 'akash',
      image: svc.image,
      imageDigest: null,
      command: [...(svc.command ?? []), ...(svc.args ?? [])],
      startedAt: r.startedAt ?? r.end!.at,
      finishedAt: r.end!.at,
      // Akash reports replica readiness, not container exit codes.
      exitCode: null,
      reason,
      log: r.log ?? { root: null, bytes: 0, truncated: false },
      outputs: [],
      runtime: { kind: opts.runtimeKind },
      lease: { owner: r.owner, dseq: r.dseq, gseq: r.lease!.gseq, oseq: r.lease!.oseq, provider: r.lease!.provider, price: r.lease!.price, status: r.end!.reason, detail: r.end!.detail },
    };
  }

  return {
    track,
    depositFor,
    get: (jobId: bigint, round: number) => opts.store.get(jobId.toString(), round),
    /** A self-signed round's manifest was accepted by the provider (sent through the relay). */
    manifestSent(jobId: bigint, round: number): DeploymentRecord | null {
      const r = opts.store.get(jobId.toString(), round);
      if (!r || !selfSigned(r) || r.state !== 'leased' || r.end) return r;
      return save(r, { state: 'manifest-sent', manifestSentAtMs: now(), lastError: null });
    },
    /** Advances every open deployment by at most one state. Errors are recorded and retried on the next tick. */
    async tick(): Promise<void> {
      for (const r of opts.store.all()) {
        if (r.state === 'closed') continue;
        const key = `${r.jobId}-${r.round}`;
        if (busy.has(key)) continue;
        busy.add(key);
        try {
          await step(r);
        } catch (err) {
          if (isFault(err)) throw err;
          const current = opts.store.get(r.jobId, r.round) ?? r;
          log.warn('akash step failed', { jobId: r.jobId, round: r.round, state: current.state, err: errorSummary(err) });
          save(current, { lastError: errorSummary(err).slice(0, 300) });
        } finally {
          busy.delete(key);
        }
      }
    },
    /** The job's highest tracked round. */
    latest: (jobId: bigint) => opts.store.all().filter((x) => x.jobId === jobId.toString()).sort((a, b) => b.round - a.round)[0] ?? null,
    /** Deployments not yet closed. */
    open: () => opts.store.all().filter((x) => x.state !== 'closed' && !x.end),
    /**
     * A buyer's top-up of the job (`id`: its on-chain event, for idempotency) deposits as much more on Akash once
     * the workload runs, and extends the paid duration.
     */
    topUp(jobId: bigint, id: string, usdMicros: bigint, extraDurationSec: number): boolean {
      const open = opts.store.all().filter((x) => x.jobId === jobId.toString() && x.state !== 'closed' && !x.end);
      const r = open.sort((a, b) => b.round - a.round)[0];
      if (!r || r.seenTopUps.includes(id)) return false;
      save(r, { seenTopUps: [...r.seenTopUps, id], pendingTopUps: [...r.pendingTopUps, { id, usdMicros: usdMicros.toString() }], durationSec: r.durationSec + extraDurationSec });
      return true;
    },
  };
}

/** Errors thrown by an `afterEffect` fault injector carry this mark and are re-thrown by tick(). */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}
const isFault = (err: unknown) => err instanceof InjectedFault;

export type AkashDeployer = ReturnType<typeof createAkashDeployer>;
