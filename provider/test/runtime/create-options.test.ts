// The Engine API body the runtime sends: the sandbox, GPUs by count or CDI, ports, and refusals of bad specs.
import { describe, expect, it } from 'vitest';
import { DockerRuntime, InvalidRunSpecError, RuntimeError, digestOfImage, dockerConnection, type RunSpec } from '../../src/runtime/index.js';

const base: RunSpec = {
  name: 'necto-job-1-0',
  image: 'ghcr.io/acme/llama-finetune:0.3',
  command: ['python', 'finetune.py'],
  env: { EPOCHS: '3' },
  labels: { 'necto.job': '1', 'necto.round': '0' },
  outputsDir: '/var/lib/necto/jobs/1-0/outputs',
  outputsPath: '/outputs',
  limits: { memoryBytes: 2 ** 30, nanoCpus: 2_000_000_000, pids: 256 },
  network: 'none',
  gpus: 0,
};

describe('DockerRuntime.createOptions', () => {
  it('sandboxes by default', () => {
    const body = new DockerRuntime({ socket: '/tmp/none.sock' }).createOptions(base);
    expect(body).toMatchObject({
      name: 'necto-job-1-0',
      Image: 'ghcr.io/acme/llama-finetune:0.3',
      Cmd: ['python', 'finetune.py'],
      Env: ['EPOCHS=3'],
      Labels: { 'necto.job': '1', 'necto.round': '0' },
      Tty: false,
    });
    expect(body.HostConfig).toMatchObject({
      SecurityOpt: ['no-new-privileges'],
      CapDrop: ['ALL'],
      ReadonlyRootfs: true,
      Binds: ['/var/lib/necto/jobs/1-0/outputs:/outputs:rw'],
      Memory: 2 ** 30,
      MemorySwap: 2 ** 30,
      NanoCpus: 2_000_000_000,
      PidsLimit: 256,
      NetworkMode: 'none',
      Privileged: false,
      Ulimits: [],
    });
    expect(Object.keys(body.HostConfig?.Tmpfs ?? {})).toEqual(['/tmp']);
    expect(body.HostConfig?.DeviceRequests).toBeUndefined();
    expect(body.HostConfig?.Runtime).toBeUndefined();
    expect(body.ExposedPorts).toBeUndefined();
  });

  it('leaves the image default command when the document has none', () => {
    const { command: _command, ...noCommand } = base;
    expect(new DockerRuntime({ socket: '/tmp/none.sock' }).createOptions(noCommand)).not.toHaveProperty('Cmd');
  });

  it('requests GPUs by count (docker --gpus) or as CDI devices, from config', () => {
    const withGpus = { ...base, gpus: 2 };
    const docker = new DockerRuntime({ socket: '/tmp/none.sock' }).createOptions(withGpus);
    expect(docker.HostConfig?.DeviceRequests).toEqual([{ Driver: '', Count: 2, Capabilities: [['gpu']] }]);
    const cdi = new DockerRuntime({ socket: '/tmp/none.sock', gpu: { mode: 'cdi', devices: ['nvidia.com/gpu=all'] } }).createOptions(withGpus);
    expect(cdi.HostConfig?.DeviceRequests).toEqual([{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=all'] }]);
    const nodes = new DockerRuntime({ socket: '/tmp/none.sock', gpu: { mode: 'devices', paths: ['/dev/nvidia0', '/dev/nvidiactl'] } });
    expect(nodes.createOptions(withGpus).HostConfig?.Devices).toEqual([
      { PathOnHost: '/dev/nvidia0', PathInContainer: '/dev/nvidia0', CgroupPermissions: 'rwm' },
      { PathOnHost: '/dev/nvidiactl', PathInContainer: '/dev/nvidiactl', CgroupPermissions: 'rwm' },
    ]);
    expect(nodes.createOptions(base).HostConfig?.Devices).toBeUndefined();
  });

  it('takes host switches (ulimits, OCI runtime, tmpfs size) from options', () => {
    const body = new DockerRuntime({
      socket: '/tmp/none.sock',
      ulimits: [{ name: 'nofile', soft: 1024, hard: 1024 }],
      ociRuntime: 'runc',
      tmpfsBytes: 1024 * 1024,
    }).createOptions({ ...base, tmpfsPath: '/scratch' });
    expect(body.HostConfig?.Ulimits).toEqual([{ Name: 'nofile', Soft: 1024, Hard: 1024 }]);
    expect(body.HostConfig?.Runtime).toBe('runc');
    expect(body.HostConfig?.Tmpfs).toEqual({ '/scratch': 'rw,nosuid,nodev,size=1048576' });
  });

  it('publishes only the listed ports, and only on a bridge network', () => {
    const ports = [{ port: 8080, protocol: 'tcp' as const }, { port: 53, protocol: 'udp' as const }];
    const body = new DockerRuntime({ socket: '/tmp/none.sock' }).createOptions({ ...base, network: 'bridge', ports });
    expect(body.ExposedPorts).toEqual({ '8080/tcp': {}, '53/udp': {} });
    expect(Object.keys(body.HostConfig?.PortBindings ?? {})).toEqual(['8080/tcp', '53/udp']);
    expect(body.HostConfig?.NetworkMode).toBe('bridge');
    expect(() => new DockerRuntime({ socket: '/tmp/none.sock' }).createOptions({ ...base, ports })).toThrow(InvalidRunSpecError);
  });

  it('refuses relative paths, bad env names and non-positive limits', () => {
    const rt = new DockerRuntime({ socket: '/tmp/none.sock' });
    expect(() => rt.createOptions({ ...base, outputsPath: 'outputs' })).toThrow(InvalidRunSpecError);
    expect(() => rt.createOptions({ ...base, outputsDir: 'jobs/1' })).toThrow(InvalidRunSpecError);
    expect(() => rt.createOptions({ ...base, env: { 'BAD-NAME': 'x' } })).toThrow(/BAD-NAME/);
    expect(() => rt.createOptions({ ...base, limits: { ...base.limits, pids: 0 } })).toThrow(InvalidRunSpecError);
  });
});

describe('dockerConnection', () => {
  it('reads unix sockets, bare paths, tcp hosts and DOCKER_HOST', () => {
    expect(dockerConnection('unix:///run/podman/podman.sock').options).toEqual({ socketPath: '/run/podman/podman.sock' });
    expect(dockerConnection('/var/run/docker.sock')).toEqual({ label: 'unix:///var/run/docker.sock', options: { socketPath: '/var/run/docker.sock' } });
    expect(dockerConnection('tcp://10.0.0.5:2375').options).toEqual({ host: '10.0.0.5', port: 2375, protocol: 'http' });
    expect(dockerConnection(undefined, { DOCKER_HOST: 'unix:///tmp/d.sock' }).options).toEqual({ socketPath: '/tmp/d.sock' });
    expect(dockerConnection(undefined, {}).options).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(() => dockerConnection('not a socket')).toThrow(RuntimeError);
  });
});

describe('digestOfImage', () => {
  const d = (c: string) => `sha256:${c.repeat(64)}`;
  const info = { Id: d('1'), RepoDigests: [`docker.io/library/ubuntu@${d('2')}`, `ghcr.io/acme/llama-finetune@${d('3')}`] };

  it('prefers the digest the reference pins', () => {
    expect(digestOfImage(info, `ghcr.io/acme/llama-finetune@${d('4')}`)).toBe(d('4'));
  });

  it("takes the registry digest of the reference's own repository", () => {
    expect(digestOfImage(info, 'ghcr.io/acme/llama-finetune:0.3')).toBe(d('3'));
    expect(digestOfImage(info, 'ubuntu:24.04')).toBe(d('2'));
  });

  it('falls back to the image id when no registry digest is recorded', () => {
    expect(digestOfImage({ Id: d('1') }, 'necto/demo:1')).toBe(d('1'));
    expect(digestOfImage({ Id: '1'.repeat(64), RepoDigests: [] }, 'necto/demo:1')).toBe(d('1'));
    expect(digestOfImage({ Id: 'not-a-digest' }, 'x')).toBeNull();
  });
});
