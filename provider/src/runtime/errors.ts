/** Errors of the container runtime layer. */

export class RuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

/** The runtime's socket cannot be reached (not running, wrong path, no permission). */
export class RuntimeUnavailableError extends RuntimeError {
  constructor(
    readonly socket: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `container runtime unavailable at ${socket}: ${detail}. Start Docker or Podman (e.g. \`podman system service --time 0 unix://…\`) and point DOCKER_HOST or runtime.socket at its socket`,
      { cause },
    );
    this.name = 'RuntimeUnavailableError';
  }
}

/** The image is not present and could not be pulled. */
export class PullFailedError extends RuntimeError {
  constructor(
    readonly image: string,
    readonly detail: string,
    cause?: unknown,
  ) {
    super(`could not pull image ${image}: ${detail}`, { cause });
    this.name = 'PullFailedError';
  }
}

/** No container with that id or name. */
export class ContainerNotFoundError extends RuntimeError {
  constructor(readonly container: string) {
    super(`no container ${container}`);
    this.name = 'ContainerNotFoundError';
  }
}

/** The run spec cannot be honoured as given (e.g. ports on a container without network). */
export class InvalidRunSpecError extends RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRunSpecError';
  }
}

/** The runtime refused or failed a request (create, start, …); `statusCode` is the Engine API's. */
export class RuntimeRequestError extends RuntimeError {
  constructor(
    readonly operation: string,
    readonly statusCode: number | undefined,
    detail: string,
    cause?: unknown,
  ) {
    super(`${operation} failed${statusCode ? ` (HTTP ${statusCode})` : ''}: ${detail}`, { cause });
    this.name = 'RuntimeRequestError';
  }
}

/**
 * The engine accepted the container but dropped its GPU request (Podman 4's Docker API ignores DeviceRequests):
 * the job would have run without the GPUs it paid for, so it is not started.
 */
export class GpuRequestIgnoredError extends RuntimeError {
  constructor(
    readonly socket: string,
    readonly mode: string,
  ) {
    super(
      `the container engine at ${socket} ignored the GPU request (runtime.gpu.mode "${mode}"); use Docker with the NVIDIA container toolkit, or runtime.gpu.mode "devices" with the GPU device nodes`,
    );
    this.name = 'GpuRequestIgnoredError';
  }
}
