// The provider agent's loop. Events say which jobs are ours (RouteCommitted naming this wallet, read from a saved
// cursor with confirmations); `getJob` says what to do with them, read fresh before every step and every
// transaction, so a reorg, a re-route or a cancel is seen as the chain has it now. Each job round moves through
// the phases of its durable record (state.ts): routed → starting → running → exited → done, or refused/abandoned.
// The record is written before each side effect, so a kill -9 at any point resumes at the right step: containers
// are found again by their labels, and no transaction is sent twice.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_OUTPUTS_PATH, type JobDocument } from '@necto/keeper/domain';
import type { Logger } from '@necto/keeper/logger';
import type { Address, Hex, LocalAccount } from 'viem';
import { TxError, type ChainClients, type PreparedTx } from '../chain/clients.js';
import { JobStatus, Market, NotActionableError, type OnchainJob } from '../chain/market.js';
import { readOffers } from '../chain/registry.js';
import type { ProviderConfig } from '../config/load.js';
import { offerKey, type OfferConfig } from '../config/schema.js';
import type { ContentStore } from '../content/store.js';
import { buildResultManifest } from '../manifest/build.js';
import { collectLog } from '../manifest/log.js';
import { ContainerNotFoundError, GpuRequestIgnoredError, InvalidRunSpecError, PullFailedError } from '../runtime/errors.js';
import type { ContainerRuntime, RunSpec } from '../runtime/types.js';
import { createDocumentSource, DocumentInvalidError, DocumentUnavailableError, type DocumentSource } from './document.js';
import { checkPolicy } from './policy.js';
import { jobKey, StateStore, TERMINAL, type JobRecord } from './state.js';

/** Labels the agent puts on its containers and adopts them by. */
export const LABELS = { job: 'necto.job', round: 'necto.round', market: 'necto.market', chain: 'necto.chain' } as const;
/** Blocks re-read behind the cursor on every scan: a route that moved in a shallow reorg is still found. */
const RESCAN_BLOCKS = 8n;
/** Grace a cancelled job's container gets before SIGKILL (the buyer stopped paying). */
const CANCEL_GRACE_SECONDS = 1;

/**
 * The steps of a job round's way to running, in order, as the agent takes them (for latency measurements):
 * route seen in a scan, document fetched and checked, image present, container running, startJob sent, mined.
 */
export type JobHop = 'route_seen' | 'document_fetched' | 'image_ready' | 'container_running' | 'start_sent' | 'start_mined';

export interface DaemonDeps {
  config: ProviderConfig;
  /** Told of each hop of a job round as it happens (`atMs`: epoch ms, sub-ms precision). A throwing listener is ignored. */
  onHop?: (hop: { jobId: string; round: number; hop: JobHop; atMs: number }) => void;
  clients: ChainClients;
  runtime: ContainerRuntime & { version?(): Promise<string> };
  content: ContentStore;
  logger: Logger;
  documents?: DocumentSource;
  fetch?: typeof fetch;
}

export interface DaemonStatus {
  address: Address;
  cursor: string | null;
  running: number;
  jobs: Array<Pick<JobRecord, 'jobId' | 'round' | 'phase' | 'note' | 'manifestRoot'>>;
  lastError: string | null;
}

export class ProviderDaemon {
  readonly state: StateStore;
  readonly market: Market;
  private readonly cfg: ProviderConfig;
  private readonly documents: DocumentSource;
  private readonly log: Logger;
  private readonly busy = new Map<string, Promise<void>>();
  private readonly watching = new Map<string, Promise<void>>();
  /** What onRouted prepared (document checked, image present), for onStarting in the same process to run as is. */
  private readonly prepared = new Map<string, { spec: RunSpec; digest: string | null }>();
  /** The head block (hash) of the last full scan: while it is still the head, there is nothing new to read. */
  private scannedHead: string | null = null;
  private offersById: Map<string, OfferConfig> | null = null;
  private runtimeVersion: string | undefined;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = true;
  private lastError: string | null = null;

  constructor(private readonly deps: DaemonDeps) {
    this.cfg = deps.config;
    this.log = deps.logger;
    const { JobMarket } = this.cfg.deployment.contracts;
    this.state = new StateStore(this.cfg.stateDir, this.cfg.chain.chainId, JobMarket);
    this.market = new Market(deps.clients, JobMarket, this.cfg.address);
    this.documents =
      deps.documents ??
      createDocumentSource({
        market: this.market,
        fromBlock: BigInt(this.cfg.deployment.startBlock),
        keeperUrl: this.cfg.keeperUrl,
        account: deps.clients.account as LocalAccount,
        chainId: this.cfg.chain.chainId,
        jobMarket: JobMarket,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
  }

  /** Adopts surviving containers, then polls until stop(). */
  async start(): Promise<void> {
    this.stopped = false;
    this.runtimeVersion = await this.deps.runtime.version?.().catch(() => undefined);
    await this.adopt();
    const loop = async () => {
      if (this.stopped) return;
      this.ticking = this.tick().catch((err) => this.fail('tick', err));
      await this.ticking;
      if (!this.stopped) this.timer = setTimeout(loop, this.cfg.chain.pollIntervalMs);
    };
    void loop();
  }

  /** Stops polling and waits for in-flight steps. Containers keep running; the next start adopts them. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.busy.values()]);
  }

  status(): DaemonStatus {
    const jobs = this.state.jobs();
    return {
      address: this.cfg.address,
      cursor: this.state.cursor?.toString() ?? null,
      running: this.runningCount(),
      jobs: jobs.map(({ jobId, round, phase, note, manifestRoot }) => ({ jobId, round, phase, ...(note ? { note } : {}), ...(manifestRoot ? { manifestRoot } : {}) })),
      lastError: this.lastError,
    };
  }

  runningCount(): number {
    return this.state.jobs().filter((r) => r.phase === 'starting' || r.phase === 'running').length;
  }

  /** The container of a job's latest round that has one (for the log endpoint). */
  containerOf(jobId: bigint): { record: JobRecord } | null {
    const records = this.state.jobs().filter((r) => r.jobId === jobId.toString() && (r.containerId || r.manifestRoot));
    const latest = records.sort((a, b) => b.round - a.round)[0];
    return latest ? { record: latest } : null;
  }

  /** Finds this agent's containers again after a restart (by labels) and ties them to their records. */
  async adopt(): Promise<void> {
    const { JobMarket } = this.cfg.deployment.contracts;
    const containers = await this.deps.runtime.list({ [LABELS.market]: JobMarket.toLowerCase(), [LABELS.chain]: String(this.cfg.chain.chainId) });
    for (const c of containers) {
      const key = jobKey(c.labels[LABELS.job] ?? '', Number(c.labels[LABELS.round]));
      const record = this.state.job(key);
      if (!record) {
        this.log.warn('container without a job record; leaving it alone', { container: c.name, state: c.state });
        continue;
      }
      if (TERMINAL.has(record.phase)) continue;
      if (record.containerId !== c.id) this.state.update(key, { containerId: c.id });
      this.log.info('adopted container', { jobId: record.jobId, round: record.round, phase: record.phase, container: c.name, state: c.state });
    }
  }

  /** One pass: read new routes, then advance every live job round that is not already being worked on. */
  async tick(): Promise<void> {
    await this.scan();
    for (const record of this.state.jobs()) {
      if (TERMINAL.has(record.phase)) continue;
      this.schedule(jobKey(record.jobId, record.round));
    }
  }

  /** Runs `advance(key)` unless it already runs; resolves when this call's step ends. */
  schedule(key: string): Promise<void> {
    const current = this.busy.get(key);
    if (current) return current;
    const step = this.advance(key)
      .catch((err) => this.fail(`job ${key}`, err))
      .finally(() => this.busy.delete(key));
    this.busy.set(key, step);
    return step;
  }

  private async scan(): Promise<void> {
    const latest = await this.market.latest();
    if (latest.hash === this.scannedHead) return; // the same head as the last full scan: no new block, no reorg
    const head = latest.number;
    const safe = head - BigInt(this.cfg.chain.confirmations);
    const start = BigInt(this.cfg.deployment.startBlock);
    let cursor = this.state.cursor;
    if (cursor !== null && this.state.cursorHash && (await this.market.blockHash(cursor)) !== this.state.cursorHash) {
      // The block the cursor stands on is gone (a reorg deeper than the confirmations): read that stretch again.
      const back = cursor - RESCAN_BLOCKS * 4n > start ? cursor - RESCAN_BLOCKS * 4n : start;
      this.log.warn('the cursor block was reorged away; rescanning', { cursor: cursor.toString(), from: back.toString() });
      this.state.setCursor(back);
      cursor = back;
    }
    let from = cursor === null ? start : cursor + 1n - RESCAN_BLOCKS;
    if (from < start) from = start;
    if (safe < from) return;
    const range = BigInt(this.cfg.chain.logBlockRange);
    for (let lo = from; lo <= safe; lo += range) {
      const hi = lo + range - 1n < safe ? lo + range - 1n : safe;
      for (const route of await this.market.routesToMe(lo, hi)) {
        const added = this.state.add({
          jobId: route.jobId.toString(),
          round: route.round,
          offerId: route.offerId.toString(),
          phase: 'routed',
          containerName: this.containerName(route.jobId, route.round),
        });
        if (added) this.hop({ jobId: route.jobId.toString(), round: route.round }, 'route_seen');
        if (added) this.log.info('route to this provider', { jobId: route.jobId.toString(), round: route.round, offerId: route.offerId.toString(), block: route.blockNumber.toString() });
      }
      if (cursor === null || hi > cursor) {
        const hash = await this.market.blockHash(hi);
        // No block at `hi` any more: the chain moved back while we read; the next scan starts from the old cursor.
        if (hash === null) return;
        this.state.setCursor(hi, hash);
      }
    }
    this.scannedHead = latest.hash;
  }

  private hop(record: Pick<JobRecord, 'jobId' | 'round'>, hop: JobHop): void {
    if (!this.deps.onHop) return;
    try {
      this.deps.onHop({ jobId: record.jobId, round: record.round, hop, atMs: performance.timeOrigin + performance.now() });
    } catch {
      // A broken listener must not break the agent.
    }
  }

  private containerName(jobId: bigint, round: number): string {
    const market = this.cfg.deployment.contracts.JobMarket.slice(2, 10).toLowerCase();
    return `necto-${this.cfg.chain.chainId}-${market}-${jobId}-${round}`;
  }

  private labelsOf(jobId: string, round: number): Record<string, string> {
    return {
      [LABELS.job]: jobId,
      [LABELS.round]: String(round),
      [LABELS.market]: this.cfg.deployment.contracts.JobMarket.toLowerCase(),
      [LABELS.chain]: String(this.cfg.chain.chainId),
    };
  }

  private async advance(key: string): Promise<void> {
    // Phases can move several steps in one call (routed → starting → running).
    for (let i = 0; i < 6; i++) {
      const record = this.state.job(key);
      if (!record || TERMINAL.has(record.phase) || this.stopped) return;
      const before = record.phase;
      switch (record.phase) {
        case 'routed':
          await this.onRouted(record);
          break;
        case 'starting':
          await this.onStarting(record);
          break;
        case 'running':
          await this.onRunning(record);
          break;
        case 'exited':
          await this.onExited(record);
          break;
      }
      if (this.state.job(key)?.phase === before) return;
    }
  }

  private isMine(record: JobRecord, job: OnchainJob): boolean {
    return job.round === record.round && job.operator.toLowerCase() === this.cfg.address.toLowerCase();
  }

  private update(record: JobRecord, patch: Partial<JobRecord>): JobRecord {
    const next = this.state.update(jobKey(record.jobId, record.round), patch);
    if (patch.phase && patch.phase !== record.phase) {
      this.log.info('job phase', { jobId: record.jobId, round: record.round, phase: patch.phase, ...(patch.note ? { note: patch.note } : {}) });
    }
    return next;
  }

  private async onRouted(record: JobRecord): Promise<void> {
    const jobId = BigInt(record.jobId);
    const job = await this.market.getJob(jobId);
    if (!this.isMine(record, job)) return void this.update(record, { phase: 'abandoned', note: `round ${record.round} is no longer routed here (round ${job.round})` });
    if (job.status === JobStatus.Routed) return; // the buyer has not accepted the route yet
    if (job.status === JobStatus.Running) return void this.update(record, { phase: 'starting', note: 'already started on-chain' });
    if (job.status !== JobStatus.Accepted) return void this.update(record, { phase: 'abandoned', note: `job status ${job.status} before the start` });

    const prepared = await this.prepare(record, job);
    if (!prepared) return;
    this.prepared.set(jobKey(record.jobId, record.round), prepared);
    this.update(record, { phase: 'starting', image: prepared.spec.image, command: prepared.spec.command ?? [], imageDigest: prepared.digest });
  }

  /** Document → policy → image; null when the job was refused or must wait. */
  private async prepare(record: JobRecord, job: OnchainJob): Promise<{ spec: RunSpec; digest: string | null } | null> {
    const jobId = BigInt(record.jobId);
    let document: JobDocument;
    try {
      document = await this.documents.fetch(jobId, job.tracked);
    } catch (err) {
      if (err instanceof DocumentUnavailableError) {
        if (record.note !== err.message) this.update(record, { note: err.message });
        return null;
      }
      if (err instanceof DocumentInvalidError) {
        this.update(record, { phase: 'refused', note: err.message });
        return null;
      }
      throw err;
    }
    this.hop(record, 'document_fetched');
    const offer = (await this.offers()).get(record.offerId);
    const decision = checkPolicy(this.cfg.policy, document, job, offer);
    if (!decision.ok) {
      this.update(record, { phase: 'refused', note: `policy: ${decision.reason}` });
      return null;
    }
    let digest: string | null;
    try {
      ({ digest } = await this.deps.runtime.ensureImage(document.image));
    } catch (err) {
      // Not started, so the buyer is not charged; the keeper re-routes after the start deadline.
      if (err instanceof PullFailedError) {
        this.update(record, { phase: 'refused', note: `pull-failed: ${err.detail}` });
        return null;
      }
      throw err;
    }
    this.hop(record, 'image_ready');
    const outputsDir = join(this.cfg.stateDir, 'jobs', `${record.jobId}-${record.round}`, 'outputs');
    // The runtime makes it writable for the container's user; it exists here so the manifest can always scan it.
    mkdirSync(outputsDir, { recursive: true });
    const spec: RunSpec = {
      name: record.containerName,
      image: document.image,
      ...(document.command ? { command: document.command } : {}),
      ...(document.env ? { env: document.env } : {}),
      labels: this.labelsOf(record.jobId, record.round),
      outputsDir,
      outputsPath: document.outputs ?? DEFAULT_OUTPUTS_PATH,
      limits: decision.limits,
      network: decision.network,
      gpus: decision.gpus,
      ...(document.ports && decision.network === 'bridge' ? { ports: document.ports } : {}),
    };
    return { spec, digest };
  }

  private async findContainer(record: JobRecord): Promise<{ id: string; state: string } | null> {
    const found = await this.deps.runtime.list(this.labelsOf(record.jobId, record.round));
    const hit = found.find((c) => c.id === record.containerId) ?? found[0];
    return hit ? { id: hit.id, state: hit.state } : null;
  }

  private async onStarting(record: JobRecord): Promise<void> {
    const jobId = BigInt(record.jobId);
    let [job, container] = await Promise.all([this.market.getJob(jobId), this.findContainer(record)]);
    if (!this.isMine(record, job) || (job.status !== JobStatus.Accepted && job.status !== JobStatus.Running)) {
      await this.discardContainer(record);
      return void this.update(record, { phase: 'abandoned', note: `job status ${job.status}, round ${job.round}: not starting` });
    }

    let startAhead: Promise<PreparedTx> | null = null;
    if (container && container.state === 'created') {
      // Created but never started (crash in between): start afresh from the same spec.
      await this.deps.runtime.remove(container.id);
      container = null;
    }
    if (!container) {
      if (job.status === JobStatus.Running) {
        // Started on-chain, but the container is gone (removed by hand, or the engine lost it): it exited unseen.
        return void this.update(record, { phase: 'exited', exit: { exitCode: null, oomKilled: false, finishedAt: Math.floor(Date.now() / 1000) }, note: 'container lost' });
      }
      // Prepared by onRouted in this process a moment ago (the chain was read since); else (a restart) afresh.
      const key = jobKey(record.jobId, record.round);
      const prepared = this.prepared.get(key) ?? (await this.prepare(record, job));
      this.prepared.delete(key);
      if (!prepared) return;
      // startJob's checks and estimates run while the container starts; only its send waits for the container.
      if (job.status === JobStatus.Accepted) {
        startAhead = this.market.prepareStartJob(jobId, record.round);
        startAhead.catch(() => undefined); // awaited (and its failure handled) once the container runs
      }
      let handle;
      try {
        handle = await this.deps.runtime.start(prepared.spec);
      } catch (err) {
        // This host cannot give the job what it paid for (GPUs the engine drops, a spec it refuses): never start it.
        if (err instanceof GpuRequestIgnoredError || err instanceof InvalidRunSpecError) {
          this.log.error('job cannot run on this host', { jobId: record.jobId, round: record.round, error: err.message });
          return void this.update(record, { phase: 'refused', note: err.message });
        }
        throw err;
      }
      record = this.update(record, { containerId: handle.id, imageDigest: prepared.digest });
      this.hop(record, 'container_running');
      this.log.info('container started', { jobId: record.jobId, round: record.round, container: handle.name });
    } else if (record.containerId !== container.id) {
      record = this.update(record, { containerId: container.id });
    }

    if (job.status === JobStatus.Accepted) {
      try {
        const onSent = () => this.hop(record, 'start_sent');
        const tx = startAhead ? await this.market.sendPrepared(await startAhead, onSent) : await this.market.startJob(jobId, record.round, onSent);
        record = this.update(record, { startTx: tx });
        this.hop(record, 'start_mined');
      } catch (err) {
        if (!(err instanceof NotActionableError)) throw err;
        job = await this.market.getJob(jobId);
        if (job.status !== JobStatus.Running || !this.isMine(record, job)) {
          await this.discardContainer(record);
          return void this.update(record, { phase: 'abandoned', note: err.message });
        }
      }
      job = await this.market.getJob(jobId);
    }
    this.update(record, { phase: 'running', startedAt: job.startedAt });
  }

  private async discardContainer(record: JobRecord): Promise<void> {
    const container = await this.findContainer(record);
    if (container) await this.deps.runtime.remove(container.id);
  }

  private async onRunning(record: JobRecord): Promise<void> {
    const key = jobKey(record.jobId, record.round);
    const id = record.containerId;
    if (!id) return void this.update(record, { phase: 'exited', exit: { exitCode: null, oomKilled: false, finishedAt: Math.floor(Date.now() / 1000) }, note: 'no container id' });
    if (!this.watching.has(key)) {
      const watch = this.deps.runtime
        .wait(id)
        .then((exit) => {
          this.update(this.state.job(key)!, { phase: 'exited', exit });
          if (!this.stopped) void this.schedule(key);
        })
        .catch((err) => {
          if (err instanceof ContainerNotFoundError) {
            this.update(this.state.job(key)!, { phase: 'exited', exit: { exitCode: null, oomKilled: false, finishedAt: Math.floor(Date.now() / 1000) }, note: 'container lost' });
          } else this.fail(`wait ${key}`, err);
        })
        .finally(() => this.watching.delete(key));
      this.watching.set(key, watch);
    }
    if (record.agentStop) return; // a stop is already under way

    const job = await this.market.getJob(BigInt(record.jobId));
    const stillRunning = job.status === JobStatus.Running && this.isMine(record, job);
    if (!stillRunning) {
      this.update(record, { agentStop: 'cancelled', note: `job status ${job.status} while running` });
      await this.deps.runtime.stop(id, CANCEL_GRACE_SECONDS);
      return;
    }
    const paidUntil = job.startedAt + job.duration; // duration includes top-ups
    if ((await this.market.chainTime()) >= paidUntil) {
      this.update(record, { agentStop: 'timeout', note: `paid duration of ${job.duration} s reached` });
      await this.deps.runtime.stop(id, this.cfg.runtime.stopGraceSeconds);
    }
  }

  private async onExited(record: JobRecord): Promise<void> {
    const jobId = BigInt(record.jobId);
    if (!record.manifestRoot) {
      const id = record.containerId;
      const inspection = id ? await this.deps.runtime.inspect(id).catch(() => null) : null;
      const log = id ? await collectLog(this.deps.runtime.logs(id, { follow: false }), this.cfg.runtime.maxLogBytes).catch(() => null) : null;
      const exit = record.exit ?? inspection?.exit ?? { exitCode: null, oomKilled: false, finishedAt: Math.floor(Date.now() / 1000) };
      const startedAt = inspection?.startedAt ?? record.startedAt ?? exit.finishedAt;
      const stored = await buildResultManifest(
        {
          chainId: this.cfg.chain.chainId,
          jobMarket: this.cfg.deployment.contracts.JobMarket,
          jobId,
          round: record.round,
          provider: this.cfg.address,
          market: 'onchain',
        },
        {
          image: record.image ?? '',
          imageDigest: record.imageDigest ?? inspection?.imageDigest ?? null,
          command: record.command?.length ? record.command : (inspection?.command ?? []),
          startedAt,
          finishedAt: exit.finishedAt,
          outcome: { kind: 'exited', exit, agentStop: record.agentStop ?? null },
          log: log ?? { bytes: new Uint8Array(0), truncated: false, totalBytes: 0 },
          outputsDir: join(this.cfg.stateDir, 'jobs', `${record.jobId}-${record.round}`, 'outputs'),
          runtime: { kind: 'docker', ...(this.runtimeVersion ? { version: this.runtimeVersion } : {}) },
        },
        this.deps.content,
      );
      record = this.update(record, { manifestRoot: stored.root, exit });
      this.log.info('result manifest stored', { jobId: record.jobId, round: record.round, root: stored.root, reason: stored.manifest.reason });
    }

    const job = await this.market.getJob(jobId);
    if (job.status === JobStatus.Running && this.isMine(record, job)) {
      try {
        const tx = await this.market.completeJob(jobId, record.round, record.manifestRoot as Hex);
        record = this.update(record, { completeTx: tx });
      } catch (err) {
        if (!(err instanceof NotActionableError)) throw err;
      }
    }
    const after = await this.market.getJob(jobId);
    if (after.status === JobStatus.Running && this.isMine(record, after)) return; // not completed yet: retried on the next tick
    if (record.containerId) await this.deps.runtime.remove(record.containerId).catch((err) => this.fail(`remove ${record.containerName}`, err));
    this.update(record, { phase: 'done', ...(record.completeTx ? {} : { note: `ended on-chain with status ${after.status}; no completeJob sent` }) });
  }

  /** On-chain offer id → the config offer with the same hardware (the policy bounds a run by what the offer sells). */
  private async offers(): Promise<Map<string, OfferConfig>> {
    if (this.offersById) return this.offersById;
    const onchain = await readOffers(this.deps.clients, this.cfg.deployment.contracts.ProviderRegistry, this.cfg.address, BigInt(this.cfg.deployment.startBlock));
    const byKey = new Map(this.cfg.offers.map((o) => [offerKey(o), o]));
    const map = new Map<string, OfferConfig>();
    for (const o of onchain) {
      const hit = byKey.get(offerKey(o));
      if (hit) map.set(o.offerId.toString(), hit);
    }
    this.offersById = map;
    return map;
  }

  private fail(where: string, err: unknown): void {
    const message = err instanceof TxError || err instanceof Error ? err.message : String(err);
    this.lastError = `${where}: ${message}`;
    this.log.warn('step failed; retrying on the next tick', { where, error: message });
  }
}
