// Types of podman-service.mjs for the TypeScript tests and benchmarks that import it.
export declare class PodmanMissingError extends Error {}
export interface PodmanStorage {
  root: string;
  runroot: string;
  driver?: string;
}
export declare function ensureDebianPackages(packages: string[], opts?: { quiet?: boolean }): void;
export declare function ensurePodman(opts?: { quiet?: boolean }): void;
export declare function podmanGlobalArgs(opts?: { ociRuntime?: string; storage?: PodmanStorage }): string[];
export declare function ping(socket: string, timeoutMs?: number): Promise<boolean>;
export interface PodmanService {
  socket: string;
  dockerHost: string;
  pid: number;
  podmanArgs: string[];
  stop(graceMs?: number): Promise<void>;
}
export declare function startPodmanService(opts: {
  dir: string;
  ociRuntime?: string;
  storage?: PodmanStorage;
  quiet?: boolean;
  timeoutMs?: number;
}): Promise<PodmanService>;
