/**
 * The container runtime the stand-in provider runs manifests with: the provider agent's `ContainerRuntime`
 * interface (dockerode on a Docker or Podman socket), restated here structurally so the stand-in takes the
 * provider agent's implementation as is.
 */
export interface RunSpec {
  name: string;
  image: string;
  command?: string[];
  env?: Record<string, string>;
  labels: Record<string, string>;
  /** Host dir mounted rw at `outputsPath`. */
  outputsDir: string;
  outputsPath: string;
  tmpfsPath?: string;
  limits: { memoryBytes: number; nanoCpus: number; pids: number };
  network: 'none' | 'bridge';
  gpus: number;
  ports?: Array<{ port: number; protocol: 'tcp' | 'udp' }>;
}
export interface RunHandle { id: string; name: string; labels: Record<string, string> }
export interface ExitInfo { exitCode: number | null; oomKilled: boolean; finishedAt: number }
export interface ContainerRuntime {
  ensureImage(ref: string): Promise<{ digest: string | null }>;
  start(spec: RunSpec): Promise<RunHandle>;
  wait(id: string): Promise<ExitInfo>;
  stop(id: string, graceSeconds: number): Promise<void>;
  logs(id: string, opts: { follow: boolean; since?: number }): AsyncIterable<Uint8Array>;
  list(labels: Record<string, string>): Promise<Array<RunHandle & { state: string }>>;
  inspect(id: string): Promise<{ state: string; exit?: ExitInfo; imageDigest: string | null; startedAt?: number }>;
  remove(id: string): Promise<void>;
}
