/**
 * The container runtime the agent drives: small enough that a Docker/Podman socket, the Akash stand-in and a
 * Kubernetes runtime can each implement it.
 */

export interface PortSpec {
  port: number;
  protocol: 'tcp' | 'udp';
}

export interface RunLimits {
  memoryBytes: number;
  nanoCpus: number;
  pids: number;
}

export interface RunSpec {
  /** Container name (unique on the runtime). */
  name: string;
  image: string;
  /** argv; absent = the image's default command. */
  command?: string[];
  env?: Record<string, string>;
  /** Adoption labels (`necto.job`, `necto.round`, `necto.market`, `necto.chain`). */
  labels: Record<string, string>;
  /**
   * Host directory mounted read-write at `outputsPath` (one per job round). On a local engine the runtime creates
   * it writable for the image's user; on a remote engine it must exist there.
   */
  outputsDir: string;
  /** Absolute path inside the container (the job document's `outputs`). */
  outputsPath: string;
  /** Writable tmpfs inside the read-only root; default `/tmp`. */
  tmpfsPath?: string;
  limits: RunLimits;
  network: 'none' | 'bridge';
  gpus: number;
  /** Published only when listed (and only on a bridge network). */
  ports?: PortSpec[];
}

export interface RunHandle {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface ExitInfo {
  exitCode: number | null;
  oomKilled: boolean;
  /** Unix seconds. */
  finishedAt: number;
}

export interface ContainerInspection {
  state: string;
  exit?: ExitInfo;
  imageDigest: string | null;
  /** Unix seconds. */
  startedAt?: number;
  /** argv the container runs (entrypoint and command as the engine resolved them). */
  command?: string[];
}

export interface ContainerRuntime {
  /** Makes the image present (pulling it when missing); throws PullFailedError. */
  ensureImage(ref: string): Promise<{ digest: string | null }>;
  start(spec: RunSpec): Promise<RunHandle>;
  /** Resolves when the container has exited. */
  wait(id: string): Promise<ExitInfo>;
  /** SIGTERM, then SIGKILL after `graceSeconds`; a container already stopped is fine. */
  stop(id: string, graceSeconds: number): Promise<void>;
  /** stdout and stderr interleaved as written; with `follow` it ends when the container exits. */
  logs(id: string, opts: { follow: boolean; since?: number }): AsyncIterable<Uint8Array>;
  /** Containers (running or not) carrying every one of `labels`. */
  list(labels: Record<string, string>): Promise<Array<RunHandle & { state: string }>>;
  inspect(id: string): Promise<ContainerInspection>;
  /** Removes the container (stopping it first); an unknown id is fine. */
  remove(id: string): Promise<void>;
  /** Engine name and version for the result manifest, where the runtime can tell. */
  version?(): Promise<string>;
}
