// Types of tools/lib.mjs for the TypeScript packages that reuse it (tests, benchmarks).
export declare const root: string;
export declare function foundryBin(tool: 'anvil' | 'forge' | 'cast'): string;
export declare const ANVIL_ACCOUNTS: ReadonlyArray<{ address: `0x${string}`; privateKey: `0x${string}` }>;
/** A free TCP port on 127.0.0.1, never one this process was given before. */
export declare function freePort(): Promise<number>;
export declare function portInUse(port: number): Promise<boolean>;
export declare const sleep: (ms: number) => Promise<void>;
export declare function rpc<T = unknown>(url: string, method: string, params?: unknown[]): Promise<T>;
/** A started process in its own process group (`stop()`: SIGTERM to the group, SIGKILL after `graceMs`). */
export interface StartedProcess {
  name: string;
  pid: number;
  exited(): boolean;
  exitPromise: Promise<{ code: number | null; signal: string | null }>;
  /** The last 8,000 characters of its stdout and stderr. */
  output(): string;
  /** CPU seconds the group used so far (after its exit: all it used). */
  cpuSeconds(): number;
  stop(graceMs?: number): Promise<void>;
}
export declare function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts?: { cwd?: string; env?: Record<string, string>; quiet?: boolean; logFile?: { write(text: string): unknown }; stdin?: boolean },
): StartedProcess;
export interface Phase { name: string; startS: number; wallS: number; cpuS?: number }
export declare function createTimings(originMs?: number): {
  originMs: number;
  phases: Phase[];
  add(name: string, startMs: number, cpuS?: number): Phase;
  time<T>(name: string, fn: (meter: { cpuS: number }) => Promise<T>): Promise<T>;
};
export declare function formatTimings(phases: readonly Phase[]): string;
export declare function groupCpuSeconds(pgid: number): number;
