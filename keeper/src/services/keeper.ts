// The keeper core: clients, tx queue, job book, chain follower, routing scheduler and the services the API reads.
// main.ts adds the brain (catalog, router) and the HTTP server; tests pass a stand-in router.
import { jobMarketAbi } from '@necto/contracts';
import { redactConfig, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Hex, LogStore } from '../domain/types.js';
import { ActivityHub } from './activity.js';
import { createChainClients, type ChainClients } from '../chain/clients.js';
import { CursorStore } from '../chain/cursor.js';
import { createHealth } from './health.js';
import { ChainFollower } from '../chain/follower.js';
import { JobBook } from '../chain/job-book.js';
import { createJobService } from './job-service.js';
import { createLogService } from './log-service.js';
import { RoutingScheduler } from './scheduler.js';
import { createAkashService, type AkashService } from './akash-deployer/service.js';
import { akashSignerOf } from '../domain/job-document.js';
import { errorSummary } from '../logger.js';
import { SignatureError, checkExpiry, nectoDomain, verifySigned } from '../domain/eip712.js';
import type { RouterPort } from '../chain/route-job.js';
import { SpecStore } from '../chain/spec-document.js';
import { createProviderServices, type ProviderServices } from './providers.js';
import type { KeeperServices } from './types.js';
import { createTxQueue, type TxQueue } from '../chain/tx-queue.js';

export interface KeeperCore {
  clients: ChainClients;
  txQueue: TxQueue;
  book: JobBook;
  activity: ActivityHub;
  follower: ChainFollower;
  scheduler: RoutingScheduler;
  /** Everything the API needs except quote and settings. */
  services: KeeperServices & { providers: ProviderServices };
  /** The Akash deployer, when configured (null otherwise). */
  akash: Promise<AkashService | null>;
  start(): void;
  /** Stops the follower after its current tick (in-flight commits finish), drains the queue, saves the cursor. */
  stop(): Promise<void>;
}

export function createKeeperCore(opts: {
  config: Config;
  router: RouterPort;
  logStore: LogStore;
  logger: Logger;
  metrics: Metrics;
  clients?: ChainClients;
}): KeeperCore {
  const { config, logger, metrics } = opts;
  const jobMarket = config.chain.deployment.contracts.JobMarket;
  const clients =
    opts.clients ??
    createChainClients({ rpcUrl: config.chain.rpcUrl, chainId: config.chain.chainId, privateKey: config.keeper.privateKey, pollingIntervalMs: Math.min(config.chain.pollIntervalMs, 1_000) });
  const txQueue = createTxQueue({ clients, confirmations: config.chain.confirmations, retries: config.tx.retries, receiptTimeoutMs: config.tx.receiptTimeoutMs, logger, metrics });
  const book = new JobBook();
  const activity = new ActivityHub();
  const specs = new SpecStore(config.dataDir, config.chain.chainId, jobMarket);
  const scheduler: RoutingScheduler = new RoutingScheduler({
    clients,
    jobMarket,
    book,
    specs,
    activity,
    router: opts.router,
    txQueue,
    logger,
    metrics,
    rerouteIntervalMs: config.chain.rerouteIntervalMs,
    chainTime: () => follower.chainTime(),
    wake: () => follower.wake(),
  });
  const follower: ChainFollower = new ChainFollower({
    clients,
    jobMarket,
    startBlock: BigInt(config.chain.deployment.startBlock),
    confirmations: config.chain.confirmations,
    pollIntervalMs: config.chain.pollIntervalMs,
    logBlockRange: config.chain.logBlockRange,
    reorgDepth: config.chain.reorgDepth,
    cursorStore: new CursorStore(config.dataDir, config.chain.chainId, jobMarket),
    book,
    txQueue,
    logger,
    metrics,
    afterScan: (head) => scheduler.sweep(head.timestamp),
    onRewind: (ids) => scheduler.forget(ids),
  });
  const startedAt = Date.now();
  const jobs = createJobService({ book, activity, specs, logStore: opts.logStore, logger, onSpecAccepted: () => follower.wake() });
  // The Akash deployer (managed wallet), when an Akash node and key are configured.
  const akash: Promise<AkashService | null> = config.akash
    ? createAkashService({
        akash: config.akash,
        chainId: config.chain.chainId,
        dataDir: config.dataDir,
        jobMarket,
        operator: config.keeper.address,
        clients,
        txQueue,
        book,
        logStore: opts.logStore,
        sdlOf: (jobId) => jobs.sdl(jobId),
        requestReroute: (jobId) => void scheduler.requestReroute(jobId),
        // The job's document (published on-chain, or handed to the keeper and hash-checked) may name its own signer.
        akashSignerOf: (jobId) => {
          const job = book.get(jobId);
          if (!job) return null;
          const published = job.publishedSpec?.document;
          if (typeof published === 'string' && published !== '') {
            try {
              return akashSignerOf(JSON.parse(published));
            } catch {
              return null;
            }
          }
          return akashSignerOf(specs.get(jobId, job.submitted.specHash));
        },
        startBlock: BigInt(config.chain.deployment.startBlock),
        logger,
      }).catch((err) => {
        logger.error('Akash deployer disabled', { err: errorSummary(err) });
        return null;
      })
    : Promise.resolve(null);
  const services: KeeperCore['services'] = {
    jobs,
    logs: createLogService({
      logStore: opts.logStore,
      book,
      subgraphUrl: config.subgraphUrl,
      logger,
      // A commit this keeper just made may not be scanned yet: find its job in memory, read that job's commits.
      lookupChain: async (root) => {
        const jobId = activity.findJobByLogRoot(root);
        if (jobId === null) return null;
        const events = await clients.publicClient.getContractEvents({
          address: jobMarket,
          abi: jobMarketAbi,
          eventName: 'RouteCommitted',
          args: { jobId },
          fromBlock: BigInt(config.chain.deployment.startBlock),
        });
        const hit = events.reverse().find((e) => e.args.logRoot?.toLowerCase() === root.toLowerCase());
        if (!hit || hit.blockNumber === null || hit.transactionHash === null) return null;
        return {
          jobId: jobId.toString(),
          round: Number(hit.args.round),
          logRoot: hit.args.logRoot!.toLowerCase() as Hex,
          decisionHash: hit.args.decisionHash!.toLowerCase() as Hex,
          txHash: hit.transactionHash.toLowerCase() as Hex,
          blockNumber: hit.blockNumber.toString(),
          source: 'chain' as const,
        };
      },
    }),
    providers: createProviderServices({
      publicClient: clients.publicClient,
      chainId: config.chain.chainId,
      jobMarket,
      providerRegistry: config.chain.deployment.contracts.ProviderRegistry,
      startBlock: BigInt(config.chain.deployment.startBlock),
      keeper: clients.account.address,
      specs,
      contentStore: opts.logStore,
    }),
    health: createHealth({ clients, chainId: config.chain.chainId, subgraphUrl: config.subgraphUrl, follower, scheduler, txQueue, startedAt }),
    admin: {
      reroute: async (jobId) => {
        const r = scheduler.requestReroute(jobId);
        return r.status === 'started' ? { status: 'started', jobId: jobId.toString(), round: r.round } : r.status === 'not_eligible' ? { ...r, jobId: jobId.toString() } : r;
      },
      config: () => redactConfig(config),
    },
    akash: {
      deployment: async (jobId) => {
        const a = await akash;
        return a ? a.view(jobId) : null;
      },
      selfSign: async () => (await akash)?.selfSign ?? null,
      logs: async (jobId, request) => {
        try {
          checkExpiry(request.expires, Math.floor(Date.now() / 1000));
          await verifySigned({ domain: nectoDomain(config.chain.chainId, jobMarket), primaryType: 'LogRequest', message: { jobId, requester: request.requester, expires: request.expires }, signature: request.signature, claimed: request.requester });
        } catch (err) {
          if (err instanceof SignatureError) return { status: 'unauthorized', reason: err.reason, message: err.message };
          throw err;
        }
        const job = book.get(jobId);
        if (!job || job.submitted.buyer.toLowerCase() !== request.requester.toLowerCase()) return { status: 'forbidden', message: 'only the job’s buyer may read its Akash logs' };
        const got = await (await akash)?.logText(jobId);
        return got ? { status: 'ok', ...got } : { status: 'no_lease' };
      },
    },
  };
  return {
    clients,
    txQueue,
    book,
    activity,
    follower,
    scheduler,
    services,
    akash,
    start: () => {
      follower.start();
      void akash.then((a) => a?.start());
    },
    async stop() {
      await (await akash)?.stop();
      await follower.stop();
      await scheduler.idle();
      await txQueue.close();
    },
  };
}
