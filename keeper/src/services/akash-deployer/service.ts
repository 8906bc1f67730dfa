// The deployer wired into the keeper: Akash routes that bind (accepted, by the buyer or autoAccept) are deployed
// with the managed wallet; the keeper's tx queue reports startJob / completeJob as the Akash market's operator;
// result manifests and logs go to the keeper's content store. A round that never started asks for a re-route.
import { jobMarketAbi } from '@necto/contracts';
import { createChainClient } from '../../akash/chain-client.js';
import { createGatewayClient } from '../../akash/gateway-client.js';
import { akashWalletFrom } from '../../akash/wallet.js';
import type { JobBook } from '../../chain/job-book.js';
import { readOnchainJob } from '../../chain/route-job.js';
import type { ChainClients } from '../../chain/clients.js';
import type { TxQueue } from '../../chain/tx-queue.js';
import type { Config } from '../../config.js';
import type { AkashDeploymentView } from '../../domain/api.js';
import type { Hex, LogStore } from '../../domain/types.js';
import { errorSummary, type Logger } from '../../logger.js';
import { createAkashDeployer, type AkashDeployer } from './deployer.js';
import { createSelfSign, type SelfSign } from './self-sign.js';
import { DeployerStore, type DeploymentRecord } from './store.js';

export interface AkashServiceDeps {
  akash: NonNullable<Config['akash']>;
  chainId: number;
  dataDir: string;
  jobMarket: Hex;
  operator: Hex;
  clients: Pick<ChainClients, 'publicClient'>;
  txQueue: TxQueue;
  book: JobBook;
  logStore: LogStore;
  /** The SDL the keeper committed for the job's latest round. */
  sdlOf: (jobId: bigint) => Promise<{ round: number; yaml: string; hash: Hex } | null>;
  requestReroute: (jobId: bigint) => void;
  /** The Akash address the job's document names as its own signer (Keplr self-sign), or null (managed wallet). */
  akashSignerOf?: (jobId: bigint) => string | null;
  /** First block of the JobMarket deployment (top-ups are read from there). */
  startBlock: bigint;
  logger: Logger;
  pollMs?: number;
  onTransition?: (r: DeploymentRecord) => void;
}

export interface AkashService {
  deployer: AkashDeployer;
  /** Rounds the buyer signs with their own wallet (grants, relays). */
  selfSign: SelfSign;
  address: string;
  /** The job's latest deployed round, for the API. */
  view(jobId: bigint): AkashDeploymentView | null;
  /**
   * The run log of the job's latest deployed round: read from the provider's gateway while the lease runs
   * (`live`), the collected log once the deployment is closed; null before a lease exists.
   */
  logText(jobId: bigint): Promise<{ round: number; text: string; live: boolean } | null>;
  /** One pass: track newly bound Akash routes, advance every deployment. */
  tick(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/** The most of a live Akash log relayed at once (the tail). */
const LIVE_LOG_BYTES = 1024 * 1024;

export async function createAkashService(deps: AkashServiceDeps): Promise<AkashService> {
  const log = deps.logger.child({ component: 'akash' });
  const wallet = await akashWalletFrom(deps.akash.secret);
  const chain = createChainClient({ rest: deps.akash.nodeUrl, chainId: deps.akash.chainId });
  const complete = (label: string, functionName: 'startJob' | 'completeJob', args: readonly unknown[]) =>
    deps.txQueue.submit({ label, address: deps.jobMarket, abi: jobMarketAbi, functionName, args: args as never, doneErrors: ['JobMarket_InvalidStatus'] });
  const gateway = createGatewayClient();
  const store = new DeployerStore(deps.dataDir, deps.chainId, deps.jobMarket);
  const deployer = createAkashDeployer({
    chain,
    wallet,
    gateway,
    market: {
      job: async (jobId) => {
        const j = await readOnchainJob({ clients: deps.clients, jobMarket: deps.jobMarket }, jobId);
        return { status: j.status, round: j.round };
      },
      startJob: async (jobId) => void (await complete(`startJob job=${jobId} (akash)`, 'startJob', [jobId])),
      completeJob: async (jobId, root) => void (await complete(`completeJob job=${jobId} (akash)`, 'completeJob', [jobId, root])),
    },
    content: { put: async (bytes) => ({ root: (await deps.logStore.put(bytes)).root }) },
    store,
    logger: deps.logger,
    chainId: deps.chainId,
    jobMarket: deps.jobMarket,
    operator: deps.operator,
    runtimeKind: deps.akash.standin ? 'akash-standin' : 'akash',
    bidWindowMs: deps.akash.bidWindowMs,
    onReroute: (jobId, round, reason) => {
      log.warn('akash round ended before the job started; re-routing', { jobId: jobId.toString(), round, reason });
      deps.requestReroute(jobId);
    },
    ...(deps.onTransition ? { onTransition: deps.onTransition } : {}),
    buyerToken: (r) => selfSign.tokenFor(r),
  });
  const selfSign: SelfSign = createSelfSign({
    chain,
    wallet,
    gateway: createGatewayClient(),
    deployer,
    dataDir: deps.dataDir,
    chainId: deps.chainId,
    jobMarket: deps.jobMarket,
    akash: { chainId: deps.akash.chainId, nodeUrl: deps.akash.nodeUrl, standin: deps.akash.standin },
    logger: deps.logger,
  });

  const trackBound = async () => {
    for (const job of deps.book.all()) {
      const route = job.routes.at(-1);
      if (!route || route.market !== 'akash' || job.phase !== 'accepted') continue;
      if (deployer.get(job.jobId, route.round)) continue;
      const sdl = await deps.sdlOf(job.jobId);
      if (!sdl || sdl.round !== route.round || sdl.hash.toLowerCase() !== route.sdlHash.toLowerCase()) continue;
      const signer = deps.akashSignerOf?.(job.jobId) ?? null;
      if (signer) {
        // The buyer signs this round (one deployment per round: theirs); the deployer follows it once reported.
        try {
          await selfSign.ensureGranted({ jobId: job.jobId, round: route.round, grantee: signer, provider: route.externalId, sdl: sdl.yaml, sdlHash: route.sdlHash, durationSec: job.submitted.duration, startBy: Number(job.submitted.startBy) });
        } catch (err) {
          log.error('akash self-sign grant failed', { jobId: job.jobId.toString(), round: route.round, err: errorSummary(err) });
        }
        continue;
      }
      try {
        await deployer.track({ jobId: job.jobId, round: route.round, sdl: sdl.yaml, sdlHash: route.sdlHash, provider: route.externalId, durationSec: job.submitted.duration });
      } catch (err) {
        log.error('akash route cannot be deployed', { jobId: job.jobId.toString(), round: route.round, err: errorSummary(err) });
      }
    }
  };

  // A buyer's top-up (JobToppedUp) of a job deployed on Akash deposits as much more (uact is USD-denominated).
  const applyTopUps = async () => {
    const open = new Set(deployer.open().map((r) => r.jobId));
    for (const jobId of open) {
      const events = await deps.clients.publicClient.getContractEvents({ address: deps.jobMarket, abi: jobMarketAbi, eventName: 'JobToppedUp', args: { jobId: BigInt(jobId) }, fromBlock: deps.startBlock });
      for (const e of events) {
        if (e.transactionHash === null || e.logIndex === null || e.args.amount === undefined) continue;
        deployer.topUp(BigInt(jobId), `${e.transactionHash}:${e.logIndex}`, e.args.amount, Number(e.args.extraDuration ?? 0));
      }
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const tick = async () => {
    await trackBound();
    await applyTopUps();
    await deployer.tick();
  };
  const network = deps.akash.standin ? ('akash-standin' as const) : ('akash' as const);
  return {
    deployer,
    selfSign,
    address: wallet.address,
    view(jobId) {
      const r = deployer.latest(jobId);
      if (!r) return null;
      return {
        jobId: r.jobId,
        round: r.round,
        state: r.state,
        network,
        label: network === 'akash-standin' ? 'local Akash stand-in' : `Akash (${deps.akash.chainId})`,
        owner: r.owner,
        dseq: r.dseq,
        provider: r.provider,
        lease: r.lease ? { gseq: r.lease.gseq, oseq: r.lease.oseq, provider: r.lease.provider, price: r.lease.price } : null,
        startedAt: r.startedAt,
        end: r.end,
        logRoot: r.log?.root ?? null,
        resultRoot: r.resultRoot,
        lastError: r.lastError,
        // Earlier rounds of the job on Akash (a provider that never bid, a deployment that failed), newest first.
        earlier: store
          .all()
          .filter((x) => x.jobId === r.jobId && x.round < r.round)
          .sort((a, b) => b.round - a.round)
          .map((x) => ({ round: x.round, dseq: x.dseq, provider: x.provider, state: x.state, end: x.end })),
      };
    },
    async logText(jobId) {
      const r = deployer.latest(jobId);
      if (!r || !r.lease) return null;
      if (r.log) {
        const bytes = r.log.root ? await deps.logStore.get(r.log.root as Hex) : null;
        return { round: r.round, text: bytes ? new TextDecoder().decode(bytes) : '', live: false };
      }
      if (r.state !== 'manifest-sent' && r.state !== 'running') return { round: r.round, text: '', live: r.state !== 'closed' };
      const dseq = BigInt(r.dseq);
      const token = await wallet.gatewayToken({ provider: r.provider, dseq, scope: ['logs'], ttlSec: 60 });
      const got = await gateway.logs(await chain.providerHostUri(r.provider), { dseq, gseq: r.lease.gseq, oseq: r.lease.oseq }, token, LIVE_LOG_BYTES);
      return { round: r.round, text: got?.text ?? '', live: true };
    },
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = tick()
          .catch((err) => log.warn('akash tick failed', { err: errorSummary(err) }))
          .finally(() => (running = null));
      }, deps.pollMs ?? 1_000);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
