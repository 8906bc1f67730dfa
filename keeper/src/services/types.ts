// What the keeper's services offer the HTTP layer (and the tests' fakes implement).
import type { ActivityEvent, AkashDeploymentView, DecisionView, HealthReport, RerouteOutcome, SpecOutcome, VerifyOutcome } from '../domain/api.js';
import type { Hex } from '../domain/types.js';
import type { SelfSign } from './akash-deployer/self-sign.js';

/** What the API relays for a self-signed Akash round. */
export type SelfSignPort = Pick<SelfSign, 'view' | 'deploymentCreated' | 'bids' | 'sendManifest' | 'leaseStatus' | 'logs'>;

/** A round's events so far (steps, then the decision if there is one), then the live ones. */
export interface ActivityStream extends AsyncIterable<ActivityEvent> {
  /** The round streamed (null until the keeper starts one: then the first round that starts). */
  readonly round: number | null;
  /** Stops following; a pending `next()` ends. */
  close(): void;
}

export interface JobsService {
  /** The current (or given) round's activity so far, then live. */
  subscribe(jobId: bigint, round: number | null): ActivityStream;
  decision(jobId: bigint): Promise<DecisionView | null>;
  sdl(jobId: bigint): Promise<{ round: number; yaml: string; hash: Hex } | null>;
  submitSpec(jobId: bigint, spec: { document: unknown } | { raw: string }): Promise<SpecOutcome>;
}

export interface LogsService {
  get(root: Hex): Promise<Uint8Array | null>;
  verify(root: Hex): Promise<VerifyOutcome | null>;
}

export interface AdminService {
  reroute(jobId: bigint): Promise<RerouteOutcome>;
  /** The configuration with secrets redacted. */
  config(): unknown;
}

/** Everything the API reads from the keeper except quotes and its own settings. */
export interface KeeperServices {
  jobs: JobsService;
  logs: LogsService;
  health(): Promise<HealthReport>;
  admin: AdminService;
  /** The Akash deployer's view of a job (absent when no deployer is configured). */
  akash?: AkashApiService;
}

/** A LogRequest as the signed headers carry it. */
export interface SignedLogRequest {
  requester: Hex;
  expires: bigint;
  signature: Hex;
}

export type AkashLogOutcome =
  | { status: 'ok'; round: number; text: string; live: boolean }
  | { status: 'unauthorized'; reason: string; message: string }
  | { status: 'forbidden'; message: string }
  | { status: 'no_lease' };

export interface AkashApiService {
  deployment(jobId: bigint): Promise<AkashDeploymentView | null>;
  /** The run log of the job's Akash lease, for its buyer (an EIP-712 LogRequest, as provider agents take). */
  logs(jobId: bigint, request: SignedLogRequest): Promise<AkashLogOutcome>;
  /** Rounds the buyer signs with their own Akash wallet (null where no deployer runs). */
  selfSign?(): Promise<SelfSignPort | null>;
}
