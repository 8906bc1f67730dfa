export { demuxDockerStream } from './demux.js';
export { DEFAULT_DOCKER_SOCKET, DockerRuntime, digestOfImage, dockerConnection, dockerRuntimeOptionsSchema, gpuRequestSchema, ulimitSchema } from './docker.js';
export type { DockerRuntimeOptions } from './docker.js';
export {
  ContainerNotFoundError,
  GpuRequestIgnoredError,
  InvalidRunSpecError,
  PullFailedError,
  RuntimeError,
  RuntimeRequestError,
  RuntimeUnavailableError,
} from './errors.js';
export type { ContainerInspection, ContainerRuntime, ExitInfo, PortSpec, RunHandle, RunLimits, RunSpec } from './types.js';
