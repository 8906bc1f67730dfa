/**
 * The container runtime the stand-in provider runs manifests with: the provider agent's `ContainerRuntime` (one
 * definition, in provider/src/runtime/types.ts), so the stand-in takes the agent's dockerode implementation as is.
 */
export type { ContainerRuntime, ExitInfo, RunHandle, RunSpec } from '../../../provider/src/runtime/types.js';
