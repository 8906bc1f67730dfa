// What the keeper's services offer the HTTP layer (and the tests' fakes implement).
import type { ActivityEvent, DecisionView, HealthReport, RerouteOutcome, SpecOutcome, VerifyOutcome } from '../domain/api.js';
import type { Hex } from '../domain/types.js';

export interface ActivitySubscription {
  /** The round streamed (null until the keeper starts one). */
  round: number | null;
  /** Events of that round so far (steps, then the decision if there is one). */
  replay: ActivityEvent[];
  unsubscribe(): void;
}

export interface JobsService {
  /** Replay the current (or given) round's activity and follow it live. */
  watch(jobId: bigint, round: number | null, listener: (ev: ActivityEvent) => void): ActivitySubscription;
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
}
