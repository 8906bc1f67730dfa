// What the keeper offers provider agents: an untracked job's document for its routed operator, the liveness view
// fed by signed heartbeats, and the content-addressed store (the local stand-in for 0G) for result manifests, logs
// and outputs — and, from a job's buyer, that job's dispute evidence. Every request is an EIP-712 signature over the
// deployment's domain (see domain/eip712.ts).
import { jobMarketAbi, providerRegistryAbi } from '@necto/contracts';
import type { Address, Chain, Hex, PublicClient, Transport } from 'viem';
import {
  checkExpiry,
  nectoDomain,
  SignatureError,
  verifySigned,
  type SignatureFailure,
  type SignedHeartbeat,
} from '../domain/eip712.js';
import { parseEvidenceBytes } from '../domain/dispute-evidence.js';
import { zgRootOf } from '../log/root.js';
import type { LogStore } from '../domain/types.js';
import type { SpecStore } from '../chain/spec-document.js';

/** A heartbeat older than this is not accepted; a provider is online while its last one is at most ONLINE_SEC old. */
export const HEARTBEAT_MAX_AGE_SEC = 300;
export const HEARTBEAT_MAX_SKEW_SEC = 60;
export const ONLINE_SEC = 45;
export const DEFAULT_CONTENT_LIMIT_BYTES = 32 * 1024 * 1024;

/** ProviderStatus in DataTypes.sol: None, Active, Paused, Suspended, Deregistered. */
const PROVIDER_NONE = 0;
const PROVIDER_DEREGISTERED = 4;
/** JobStatus.None */
const JOB_NONE = 0;

export type DocumentOutcome =
  | { status: 'ok'; text: string; specHash: Hex }
  | { status: 'unauthorized'; reason: SignatureFailure; message: string }
  | { status: 'forbidden'; message: string }
  | { status: 'unknown_job' }
  | { status: 'tracked' }
  | { status: 'no_document' };

export type HeartbeatOutcome =
  | { status: 'accepted'; lastSeen: number }
  | { status: 'unauthorized'; reason: SignatureFailure | 'stale'; message: string }
  | { status: 'forbidden'; message: string };

export interface Liveness {
  online: boolean;
  /** unix seconds of the last accepted heartbeat (null: none since the keeper started). */
  lastSeen: number | null;
  endpoint: string | null;
  running: number;
}

export type ContentOutcome =
  | { status: 'stored'; root: Hex; bytes: number }
  | { status: 'unauthorized'; reason: SignatureFailure; message: string }
  | { status: 'forbidden'; message: string }
  | { status: 'root_mismatch'; claimed: Hex; actual: Hex }
  | { status: 'empty' };

export interface ProviderServices {
  documents: {
    fetch(jobId: bigint, request: { requester: Address; expires: bigint; signature: Hex }): Promise<DocumentOutcome>;
  };
  liveness: {
    heartbeat(signed: SignedHeartbeat): Promise<HeartbeatOutcome>;
    get(provider: Address): Liveness;
  };
  content: {
    maxBytes: number;
    put(bytes: Uint8Array, claimedRoot: Hex, auth: { uploader: Address; expires: bigint; signature: Hex }): Promise<ContentOutcome>;
    get(root: Hex): Promise<Uint8Array | null>;
  };
}

export interface ProviderServicesOptions {
  publicClient: PublicClient<Transport, Chain>;
  chainId: number;
  jobMarket: Address;
  providerRegistry: Address;
  /** First block to search for a job's JobSubmitted (the deployment block). */
  startBlock: bigint;
  /** The keeper's own address: it may upload content too. */
  keeper: Address;
  specs: SpecStore;
  contentStore: LogStore;
  contentLimitBytes?: number;
  nowSec?: () => number;
}

export function createProviderServices(opts: ProviderServicesOptions): ProviderServices {
  const domain = nectoDomain(opts.chainId, opts.jobMarket);
  const nowSec = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
  const latest = new Map<string, { lastSeen: number; timestamp: bigint; endpoint: string; running: number }>();

  const registered = async (provider: Address): Promise<boolean> => {
    const p = await opts.publicClient.readContract({ address: opts.providerRegistry, abi: providerRegistryAbi, functionName: 'getProvider', args: [provider] });
    return p.status !== PROVIDER_NONE && p.status !== PROVIDER_DEREGISTERED;
  };

  const specHashOf = async (jobId: bigint): Promise<Hex | null> => {
    const events = await opts.publicClient.getContractEvents({
      address: opts.jobMarket,
      abi: jobMarketAbi,
      eventName: 'JobSubmitted',
      args: { jobId },
      fromBlock: opts.startBlock,
    });
    const hash = events[0]?.args.specHash;
    return hash ? (hash.toLowerCase() as Hex) : null;
  };

  /** Whether `bytes` are a dispute evidence document about a job of this market whose buyer is `uploader`. */
  const buyersEvidence = async (bytes: Uint8Array, uploader: Address): Promise<boolean> => {
    const evidence = parseEvidenceBytes(bytes);
    if (!evidence || evidence.chainId !== opts.chainId || evidence.jobMarket.toLowerCase() !== opts.jobMarket.toLowerCase()) return false;
    const job = await opts.publicClient.readContract({ address: opts.jobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [BigInt(evidence.jobId)] });
    return job.status !== JOB_NONE && job.buyer.toLowerCase() === uploader.toLowerCase();
  };

  /** Expiry then signer; a SignatureError becomes the outcome. */
  const authorise = async (check: () => Promise<unknown>) => {
    try {
      await check();
      return null;
    } catch (err) {
      if (err instanceof SignatureError) return { status: 'unauthorized' as const, reason: err.reason, message: err.message };
      throw err;
    }
  };

  return {
    documents: {
      async fetch(jobId, request) {
        const denied = await authorise(async () => {
          checkExpiry(request.expires, nowSec());
          await verifySigned({ domain, primaryType: 'DocumentRequest', message: { jobId, requester: request.requester, expires: request.expires }, signature: request.signature, claimed: request.requester });
        });
        if (denied) return denied;
        const job = await opts.publicClient.readContract({ address: opts.jobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] });
        if (job.status === JOB_NONE) return { status: 'unknown_job' };
        if (job.tracked) return { status: 'tracked' };
        if (job.operator.toLowerCase() !== request.requester.toLowerCase()) {
          return { status: 'forbidden', message: `job ${jobId} is not routed to ${request.requester}` };
        }
        const specHash = await specHashOf(jobId);
        if (!specHash) return { status: 'unknown_job' };
        const text = opts.specs.text(jobId, specHash);
        return text === null ? { status: 'no_document' } : { status: 'ok', text, specHash };
      },
    },
    liveness: {
      async heartbeat({ message, signature }) {
        const denied = await authorise(() => verifySigned({ domain, primaryType: 'Heartbeat', message, signature, claimed: message.provider }));
        if (denied) return denied;
        const now = nowSec();
        const ts = Number(message.timestamp);
        if (ts < now - HEARTBEAT_MAX_AGE_SEC || ts > now + HEARTBEAT_MAX_SKEW_SEC) {
          return { status: 'unauthorized', reason: 'stale', message: `heartbeat timestamp ${ts} is not within ${HEARTBEAT_MAX_AGE_SEC} s of now (${now})` };
        }
        const key = message.provider.toLowerCase();
        const previous = latest.get(key);
        // A replayed or reordered heartbeat never moves the view backwards.
        if (previous && message.timestamp <= previous.timestamp) return { status: 'unauthorized', reason: 'stale', message: 'heartbeat is not newer than the last one' };
        if (!(await registered(message.provider))) return { status: 'forbidden', message: `${message.provider} is not a registered provider` };
        latest.set(key, { lastSeen: now, timestamp: message.timestamp, endpoint: message.endpoint, running: message.running });
        return { status: 'accepted', lastSeen: now };
      },
      get(provider) {
        const hit = latest.get(provider.toLowerCase());
        if (!hit) return { online: false, lastSeen: null, endpoint: null, running: 0 };
        return { online: nowSec() - hit.lastSeen <= ONLINE_SEC, lastSeen: hit.lastSeen, endpoint: hit.endpoint, running: hit.running };
      },
    },
    content: {
      maxBytes: opts.contentLimitBytes ?? DEFAULT_CONTENT_LIMIT_BYTES,
      async put(bytes, claimedRoot, auth) {
        const denied = await authorise(async () => {
          checkExpiry(auth.expires, nowSec());
          await verifySigned({ domain, primaryType: 'ContentUpload', message: { root: claimedRoot, uploader: auth.uploader, expires: auth.expires }, signature: auth.signature, claimed: auth.uploader });
        });
        if (denied) return denied;
        if (auth.uploader.toLowerCase() !== opts.keeper.toLowerCase() && !(await registered(auth.uploader)) && !(await buyersEvidence(bytes, auth.uploader))) {
          return { status: 'forbidden', message: `${auth.uploader} is not a registered provider, nor the buyer uploading dispute evidence for its job on this market` };
        }
        if (bytes.length === 0) return { status: 'empty' };
        const actual = await zgRootOf(bytes);
        if (actual !== claimedRoot.toLowerCase()) return { status: 'root_mismatch', claimed: claimedRoot, actual };
        const { root } = await opts.contentStore.put(bytes);
        return { status: 'stored', root, bytes: bytes.length };
      },
      get: (root) => opts.contentStore.get(root),
    },
  };
}
