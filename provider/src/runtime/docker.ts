/**
 * ContainerRuntime over the Docker Engine API (dockerode) on a Docker or Podman socket. Every container runs
 * sandboxed: no new privileges, all capabilities dropped, read-only root with a tmpfs and the outputs bind mount
 * as the only writable places, memory/cpu/pids limits, no network unless the offer's policy says bridge.
 * Host-specific switches (ulimits, OCI runtime, how GPUs are requested) are options, never constants.
 */
import Docker from 'dockerode';
import { chmod, mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { z } from 'zod';
import { demuxDockerStream } from './demux.js';
import {
  ContainerNotFoundError,
  GpuRequestIgnoredError,
  InvalidRunSpecError,
  PullFailedError,
  RuntimeError,
  RuntimeRequestError,
  RuntimeUnavailableError,
} from './errors.js';
import type { ContainerInspection, ContainerRuntime, ExitInfo, RunHandle, RunSpec } from './types.js';

export const DEFAULT_DOCKER_SOCKET = 'unix:///var/run/docker.sock';

export const ulimitSchema = z.object({
  name: z.string().regex(/^[a-z]+$/, 'an ulimit name such as nofile or nproc'),
  soft: z.number().int().nonnegative(),
  hard: z.number().int().nonnegative(),
});

export const gpuRequestSchema = z.discriminatedUnion('mode', [
  /** Docker with the NVIDIA container toolkit: `--gpus N`. */
  z.object({ mode: z.literal('device-requests'), driver: z.string().default('') }),
  /** CDI devices through DeviceRequests (Docker ≥ 25 with CDI enabled), e.g. `nvidia.com/gpu=all`. */
  z.object({ mode: z.literal('cdi'), devices: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+=[\w.,:-]+$/)).min(1) }),
  /**
   * Host device nodes passed through as they are (e.g. `/dev/nvidia0`, `/dev/nvidiactl`, `/dev/nvidia-uvm`): for
   * engines whose Docker API ignores DeviceRequests, such as Podman 4. Every GPU job gets all of them.
   */
  z.object({ mode: z.literal('devices'), paths: z.array(z.string().regex(/^\/dev\/[\w./-]+$/)).min(1) }),
]);

export const dockerRuntimeOptionsSchema = z.object({
  /** `unix:///path`, a bare socket path or `tcp://host:port`; default DOCKER_HOST, else Docker's socket. */
  socket: z.string().min(1).optional(),
  /** OCI runtime per container (HostConfig.Runtime), e.g. `nvidia`; absent = the engine's default. */
  ociRuntime: z.string().min(1).optional(),
  /** Explicit ulimits (some hosts refuse the engine's defaults), e.g. nofile 1024:1024, nproc 4096:4096. */
  ulimits: z.array(ulimitSchema).default([]),
  gpu: gpuRequestSchema.default({ mode: 'device-requests', driver: '' }),
  /** Size of the writable tmpfs. */
  tmpfsBytes: z.number().int().positive().default(256 * 1024 * 1024),
  /** How long a pull may take before it counts as failed. */
  pullTimeoutMs: z.number().int().positive().default(10 * 60_000),
});
export type DockerRuntimeOptions = z.input<typeof dockerRuntimeOptionsSchema>;

interface Connection {
  label: string;
  options: Docker.DockerOptions;
}

/**
 * The outputs mount must be writable by whatever user the image runs as (many images are not root, and even
 * root has no CAP_DAC_OVERRIDE in the sandbox), so the directory is made world-writable. It lives under the
 * agent's own state directory, one per job round.
 */
async function prepareOutputsDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o777);
}

/** Resolves the socket option (or DOCKER_HOST) into dockerode connection options. */
export function dockerConnection(socket: string | undefined, env: NodeJS.ProcessEnv = process.env): Connection {
  const target = socket ?? env.DOCKER_HOST ?? DEFAULT_DOCKER_SOCKET;
  if (target.startsWith('unix://')) return { label: target, options: { socketPath: target.slice('unix://'.length) } };
  if (target.startsWith('/')) return { label: `unix://${target}`, options: { socketPath: target } };
  const url = z
    .string()
    .url()
    .safeParse(target.replace(/^tcp:\/\//, 'http://'));
  if (!url.success) throw new RuntimeError(`runtime socket ${target} is neither unix://…, a path nor tcp://host:port`);
  const parsed = new URL(url.data);
  return {
    label: target,
    options: {
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'https:' ? 2376 : 2375)),
      protocol: parsed.protocol === 'https:' ? 'https' : 'http',
    },
  };
}

const CONNECTION_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE']);

interface EngineError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

function engineDetail(err: EngineError): string {
  return err.json?.message ?? err.reason ?? err.message ?? String(err);
}

/** Unix seconds of an RFC 3339 engine timestamp; undefined for the zero time or garbage. */
function unixSeconds(value: string | undefined): number | undefined {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : undefined;
}

/** `ghcr.io/acme/x:1` → `ghcr.io/acme/x`; `ubuntu` → `docker.io/library/ubuntu` (Docker's normalisation). */
function repositoryOf(ref: string): string {
  let repo = ref.split('@')[0] ?? ref;
  const lastSlash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  if (colon > lastSlash) repo = repo.slice(0, colon);
  const first = repo.split('/')[0] ?? '';
  const hasRegistry = repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return repo;
  return repo.includes('/') ? `docker.io/${repo}` : `docker.io/library/${repo}`;
}

/**
 * The digest that identifies an image: the digest the reference pins, else the registry digest recorded for the
 * reference's repository (what a buyer would pin with `@sha256:`), else any recorded one, else the image id.
 */
export function digestOfImage(info: { Id: string; RepoDigests?: string[] }, ref: string): string | null {
  const pinned = /@(sha256:[0-9a-f]{64})$/.exec(ref)?.[1];
  if (pinned) return pinned;
  const recorded = (info.RepoDigests ?? []).flatMap((entry) => {
    const m = /^(.+)@(sha256:[0-9a-f]{64})$/.exec(entry);
    return m ? [{ repo: m[1] as string, digest: m[2] as string }] : [];
  });
  const wanted = repositoryOf(ref);
  const match = recorded.find((r) => repositoryOf(r.repo) === wanted) ?? recorded[0];
  if (match) return match.digest;
  const id = info.Id.startsWith('sha256:') ? info.Id : `sha256:${info.Id}`;
  return /^sha256:[0-9a-f]{64}$/.test(id) ? id : null;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class DockerRuntime implements ContainerRuntime {
  readonly socket: string;
  /** A unix socket: the engine shares this host's filesystem, so the agent prepares the bind-mount source. */
  private readonly local: boolean;
  private readonly docker: Docker;
  private readonly options: z.output<typeof dockerRuntimeOptionsSchema>;

  constructor(options: DockerRuntimeOptions = {}) {
    this.options = dockerRuntimeOptionsSchema.parse(options);
    const connection = dockerConnection(this.options.socket);
    this.socket = connection.label;
    this.local = connection.options.socketPath !== undefined;
    this.docker = new Docker(connection.options);
  }

  /** Maps transport failures to RuntimeUnavailableError and engine errors to typed errors. */
  private async call<T>(operation: string, fn: () => Promise<T>, container?: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(operation, err, container);
    }
  }

  private translate(operation: string, err: unknown, container?: string): Error {
    if (err instanceof RuntimeError) return err;
    const e = (err ?? {}) as EngineError;
    if (e.code && CONNECTION_ERRORS.has(e.code)) return new RuntimeUnavailableError(this.socket, err);
    if (e.statusCode === 404 && container !== undefined) return new ContainerNotFoundError(container);
    return new RuntimeRequestError(operation, e.statusCode, engineDetail(e), err);
  }

  /** Engine name and version, e.g. `Podman Engine 4.3.1` or `Docker Engine 27.3.1` (for the result manifest). */
  async version(): Promise<string> {
    const v = await this.call('version', () => this.docker.version());
    const component = v.Components?.find((c) => /engine/i.test(c.Name)) ?? v.Components?.[0];
    return component ? `${component.Name} ${component.Version}` : `Docker Engine ${v.Version}`;
  }

  async ping(): Promise<void> {
    await this.call('ping', () => this.docker.ping());
  }

  async ensureImage(ref: string): Promise<{ digest: string | null }> {
    if (ref.trim() === '') throw new PullFailedError(ref, 'empty image reference');
    const present = await this.inspectImage(ref);
    if (present) return { digest: digestOfImage(present, ref) };
    await this.pull(ref);
    const pulled = await this.inspectImage(ref);
    if (!pulled) throw new PullFailedError(ref, 'the pull reported success but the image is not present');
    return { digest: digestOfImage(pulled, ref) };
  }

  private async inspectImage(ref: string): Promise<Docker.ImageInspectInfo | null> {
    try {
      return await this.docker.getImage(ref).inspect();
    } catch (err) {
      if ((err as EngineError).statusCode === 404) return null;
      throw this.translate('image inspect', err);
    }
  }

  private async pull(ref: string): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(ref);
    } catch (err) {
      const translated = this.translate('pull', err);
      if (translated instanceof RuntimeUnavailableError) throw translated;
      throw new PullFailedError(ref, engineDetail(err as EngineError), err);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        reject(new PullFailedError(ref, `timed out after ${this.options.pullTimeoutMs} ms`));
      }, this.options.pullTimeoutMs);
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, events: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
          clearTimeout(timer);
          const failed = events?.find((event) => event.error !== undefined || event.errorDetail !== undefined);
          if (err) reject(new PullFailedError(ref, err.message, err));
          else if (failed) reject(new PullFailedError(ref, failed.errorDetail?.message ?? failed.error ?? 'unknown error'));
          else resolve();
        },
      );
    });
  }

  /** The Engine API create body for a spec (exported through the class for inspection in tests). */
  createOptions(spec: RunSpec): Docker.ContainerCreateOptions {
    if (!posix.isAbsolute(spec.outputsPath)) throw new InvalidRunSpecError(`outputs path ${spec.outputsPath} is not absolute`);
    if (!posix.isAbsolute(spec.outputsDir)) {
      throw new InvalidRunSpecError(`outputs dir ${spec.outputsDir} is not an absolute host path`);
    }
    if ((spec.ports?.length ?? 0) > 0 && spec.network === 'none') {
      throw new InvalidRunSpecError('ports need a bridge network; this run has none');
    }
    for (const name of Object.keys(spec.env ?? {})) {
      if (!ENV_NAME.test(name)) throw new InvalidRunSpecError(`invalid environment variable name ${JSON.stringify(name)}`);
    }
    const { memoryBytes, nanoCpus, pids } = spec.limits;
    if (!(memoryBytes > 0 && nanoCpus > 0 && pids > 0)) throw new InvalidRunSpecError('memory, cpu and pids limits must be positive');

    const tmpfsPath = spec.tmpfsPath ?? '/tmp';
    const exposed = Object.fromEntries((spec.ports ?? []).map((p) => [`${p.port}/${p.protocol}`, {}]));
    const bindings = Object.fromEntries((spec.ports ?? []).map((p) => [`${p.port}/${p.protocol}`, [{ HostIp: '', HostPort: '' }]]));
    const gpu = this.options.gpu;
    const wantsGpus = spec.gpus > 0;
    const deviceRequests = !wantsGpus
      ? []
      : gpu.mode === 'device-requests'
        ? [{ Driver: gpu.driver, Count: spec.gpus, Capabilities: [['gpu']] }]
        : gpu.mode === 'cdi'
          ? [{ Driver: 'cdi', DeviceIDs: gpu.devices }]
          : [];
    const devices =
      wantsGpus && gpu.mode === 'devices' ? gpu.paths.map((p) => ({ PathOnHost: p, PathInContainer: p, CgroupPermissions: 'rwm' })) : [];

    return {
      name: spec.name,
      Image: spec.image,
      ...(spec.command ? { Cmd: spec.command } : {}),
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Labels: spec.labels,
      ...(Object.keys(exposed).length > 0 ? { ExposedPorts: exposed } : {}),
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      HostConfig: {
        SecurityOpt: ['no-new-privileges'],
        CapDrop: ['ALL'],
        ReadonlyRootfs: true,
        Tmpfs: { [tmpfsPath]: `rw,nosuid,nodev,size=${this.options.tmpfsBytes}` },
        Binds: [`${spec.outputsDir}:${spec.outputsPath}:rw`],
        Memory: memoryBytes,
        MemorySwap: memoryBytes, // no swap beyond the memory limit: the limit is what the offer sells
        NanoCpus: nanoCpus,
        PidsLimit: pids,
        NetworkMode: spec.network,
        ...(Object.keys(bindings).length > 0 ? { PortBindings: bindings } : {}),
        Ulimits: this.options.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
        ...(deviceRequests.length > 0 ? { DeviceRequests: deviceRequests } : {}),
        ...(devices.length > 0 ? { Devices: devices } : {}),
        ...(this.options.ociRuntime ? { Runtime: this.options.ociRuntime } : {}),
        AutoRemove: false,
        Privileged: false,
        RestartPolicy: { Name: 'no' },
      },
    };
  }

  async start(spec: RunSpec): Promise<RunHandle> {
    const options = this.createOptions(spec);
    if (this.local) await prepareOutputsDir(spec.outputsDir);
    const container = await this.call('create', () => this.docker.createContainer(options));
    try {
      if (spec.gpus > 0) {
        const recorded = await this.call('inspect', () => container.inspect(), container.id);
        if (!this.gpuRequestRecorded(recorded.HostConfig, spec.gpus)) throw new GpuRequestIgnoredError(this.socket, this.options.gpu.mode);
      }
      await this.call('start', () => container.start(), container.id);
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      throw err;
    }
    return { id: container.id, name: spec.name, labels: { ...spec.labels } };
  }

  /** Whether the engine kept the GPU request: some Docker-API engines drop fields they do not know, silently. */
  private gpuRequestRecorded(host: Docker.ContainerInspectInfo['HostConfig'], gpus: number): boolean {
    const gpu = this.options.gpu;
    const requests = (host.DeviceRequests ?? []) as Array<{ Driver?: string; Count?: number; DeviceIDs?: string[] | null }>;
    switch (gpu.mode) {
      case 'device-requests':
        return requests.some((r) => r.Count === -1 || (r.Count ?? 0) >= gpus);
      case 'cdi':
        return requests.some((r) => r.Driver === 'cdi' && gpu.devices.every((d) => r.DeviceIDs?.includes(d)));
      case 'devices': {
        const recorded = (host.Devices ?? []) as Array<{ PathOnHost?: string }>;
        const mapped = new Set(recorded.map((d) => d.PathOnHost));
        return gpu.paths.every((p) => mapped.has(p));
      }
    }
  }

  async wait(id: string): Promise<ExitInfo> {
    const container = this.docker.getContainer(id);
    await this.call('wait', () => container.wait({ condition: 'not-running' }), id);
    const info = await this.call('inspect', () => container.inspect(), id);
    return exitOf(info.State) ?? { exitCode: null, oomKilled: false, finishedAt: Math.floor(Date.now() / 1000) };
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.round(graceSeconds)) });
    } catch (err) {
      if ((err as EngineError).statusCode === 304) return; // already stopped
      throw this.translate('stop', err, id);
    }
  }

  async *logs(id: string, opts: { follow: boolean; since?: number }): AsyncIterable<Uint8Array> {
    const container = this.docker.getContainer(id);
    const base = { stdout: true, stderr: true, timestamps: false, ...(opts.since !== undefined ? { since: opts.since } : {}) };
    if (opts.follow) {
      const stream = await this.call('logs', () => container.logs({ ...base, follow: true }), id);
      yield* demuxDockerStream(stream as AsyncIterable<Uint8Array>);
    } else {
      const buffer = await this.call('logs', () => container.logs({ ...base, follow: false }), id);
      yield* demuxDockerStream(
        (async function* () {
          yield new Uint8Array(buffer);
        })(),
      );
    }
  }

  async list(labels: Record<string, string>): Promise<Array<RunHandle & { state: string }>> {
    const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
    const containers = await this.call('list', () => this.docker.listContainers({ all: true, filters }));
    return containers
      .filter((c) => Object.entries(labels).every(([k, v]) => c.Labels?.[k] === v))
      .map((c) => ({
        id: c.Id,
        name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
        labels: c.Labels ?? {},
        state: c.State,
      }));
  }

  async inspect(id: string): Promise<ContainerInspection> {
    const info = await this.call('inspect', () => this.docker.getContainer(id).inspect(), id);
    const image = await this.inspectImage(info.Image);
    const exit = exitOf(info.State);
    const startedAt = unixSeconds(info.State.StartedAt);
    const command = info.Path ? [info.Path, ...(info.Args ?? [])] : undefined;
    return {
      state: info.State.Status,
      ...(exit ? { exit } : {}),
      imageDigest: image ? digestOfImage(image, info.Config.Image) : null,
      ...(startedAt !== undefined ? { startedAt } : {}),
      ...(command ? { command } : {}),
    };
  }

  /** The container's create/start options as the engine recorded them (sandbox checks). */
  async hostConfig(id: string): Promise<Docker.ContainerInspectInfo['HostConfig']> {
    const info = await this.call('inspect', () => this.docker.getContainer(id).inspect(), id);
    return info.HostConfig;
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      const code = (err as EngineError).statusCode;
      if (code === 404) return;
      // Removal already under way (the engine answers 409 "removal in progress").
      if (code === 409 && /removal.*in progress/i.test(engineDetail(err as EngineError))) return;
      throw this.translate('remove', err, id);
    }
  }
}

/** Exit information once the container has run and stopped; undefined while created or running. */
function exitOf(state: Docker.ContainerInspectInfo['State']): ExitInfo | undefined {
  if (state.Running || state.Status === 'created' || state.Status === 'running' || state.Status === 'paused') return undefined;
  const finishedAt = unixSeconds(state.FinishedAt);
  if (finishedAt === undefined) return undefined;
  return { exitCode: Number.isInteger(state.ExitCode) ? state.ExitCode : null, oomKilled: state.OOMKilled === true, finishedAt };
}
