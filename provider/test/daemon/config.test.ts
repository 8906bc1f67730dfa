// The config file: what is accepted, what is refused with a message that says where, and that the key never leaks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDeployment } from '@necto/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, redactConfig, resolveConfig } from '../../src/config/load.js';
import { parseSize } from '../../src/config/schema.js';
import { hardwareMismatches, modelMatches, parseNvidiaSmi } from '../../src/config/hardware.js';

const KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const ADDRESS = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const dir = mkdtempSync(join(tmpdir(), 'necto-provider-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  chain: { rpcUrl: 'http://127.0.0.1:8545', chainId: 31337 },
  keeperUrl: 'http://127.0.0.1:8787',
  profile: { name: 'Rack 7', region: 'eu-west' },
  offers: [{ gpuModel: 'h100', gpuCount: 8, vramGb: 80, vcpu: 96, ramGb: 1024, region: 'eu-west', pricePerGpuHour: 2_100_000, units: 1 }],
  stateDir: 'state',
};

describe('provider config', () => {
  it('loads YAML with the key from the environment, defaults filled and the address derived', () => {
    const file = join(dir, 'provider.yaml');
    writeFileSync(
      file,
      `chain: { rpcUrl: "http://127.0.0.1:8545", chainId: 31337 }\nkeeperUrl: http://127.0.0.1:8787\nprofile: { name: Rack 7, region: eu-west }\n` +
        `offers:\n  - { gpuModel: h100, gpuCount: 8, vramGb: 80, vcpu: 96, ramGb: 1024, region: eu-west, pricePerGpuHour: "2100000", units: 1 }\n` +
        `policy: { denyImages: ["*miner*"], maxMemory: 32g }\nruntime: { socket: "unix:///run/podman/podman.sock", ociRuntime: runc, ulimits: [{ name: nofile, soft: 1024, hard: 1024 }] }\nstateDir: state\n`,
    );
    const cfg = loadConfigFile(file, { env: { PROVIDER_PRIVATE_KEY: KEY } });
    expect(cfg.address).toBe(ADDRESS);
    expect(cfg.stateDir).toBe(join(dir, 'state'));
    expect(cfg.offers[0]!.pricePerGpuHour).toBe(2_100_000n);
    expect(cfg.policy).toMatchObject({ denyImages: ['*miner*'], allowImages: [], network: 'none', maxMemory: 32 * 1024 ** 3 });
    expect(cfg.runtime).toMatchObject({ ociRuntime: 'runc', ulimits: [{ name: 'nofile', soft: 1024, hard: 1024 }], stopGraceSeconds: 10 });
    expect(cfg.deployment).toEqual(getDeployment(31337));
    expect(cfg.endpoint).toBe('http://127.0.0.1:8790');
  });

  it('reads the key from a key file relative to the config, and never prints it', () => {
    writeFileSync(join(dir, 'wallet.key'), `${KEY.slice(2)}\n`);
    const cfg = resolveConfig({ ...base, wallet: { keyFile: 'wallet.key' } }, { baseDir: dir, env: {} });
    expect(cfg.address).toBe(ADDRESS);
    expect(JSON.stringify(redactConfig(cfg))).not.toContain(KEY.slice(2));
  });

  it('says which field is wrong', () => {
    const bad = { ...base, offers: [{ ...base.offers[0], gpuCount: 0, pricePerGpuHour: -1 }], policy: { network: 'host' } };
    let error: unknown;
    try {
      resolveConfig(bad, { env: { PROVIDER_PRIVATE_KEY: KEY } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('offers.0.gpuCount');
    expect(message).toContain('offers.0.pricePerGpuHour');
    expect(message).toContain('policy.network');
  });

  it('refuses unknown keys, duplicate offers, a missing or malformed key without echoing it', () => {
    expect(() => resolveConfig({ ...base, polcy: {} }, { env: { PROVIDER_PRIVATE_KEY: KEY } })).toThrow(/polcy/);
    expect(() => resolveConfig({ ...base, offers: [base.offers[0], base.offers[0]] }, { env: { PROVIDER_PRIVATE_KEY: KEY } })).toThrow(/same hardware/);
    expect(() => resolveConfig(base, { env: {} })).toThrow(/PROVIDER_PRIVATE_KEY/);
    const wrong = 'not-a-key-but-a-secret-anyway';
    let message = '';
    try {
      resolveConfig(base, { env: { PROVIDER_PRIVATE_KEY: wrong } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/not a 32-byte hex private key/);
    expect(message).not.toContain(wrong);
  });

  it('refuses a chain the contracts are not deployed on', () => {
    expect(() => resolveConfig({ ...base, chain: { rpcUrl: 'http://127.0.0.1:8545', chainId: 5 } }, { env: { PROVIDER_PRIVATE_KEY: KEY } })).toThrow(/not deployed on chain 5/);
  });

  it('parses sizes', () => {
    expect(parseSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseSize('8GiB')).toBe(8 * 1024 ** 3);
    expect(() => parseSize('8 parsecs')).toThrow();
  });
});

describe('hardware detection', () => {
  const smi = 'NVIDIA H100 80GB HBM3, 81559 MiB\nNVIDIA H100 80GB HBM3, 81559 MiB\n';

  it('parses nvidia-smi and matches models loosely', () => {
    expect(parseNvidiaSmi(smi)).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 },
      { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 },
    ]);
    expect(modelMatches('NVIDIA A100-SXM4-80GB', 'a100')).toBe(true);
    expect(modelMatches('NVIDIA A100-SXM4-80GB', 'h100')).toBe(false);
  });

  it('reports offers that promise more than the machine has', () => {
    const hardware = { source: 'nvidia-smi' as const, gpus: parseNvidiaSmi(smi) };
    const offer = { gpuModel: 'h100', gpuCount: 2, vramGb: 80, vcpu: 32, ramGb: 256, region: 'eu-west', pricePerGpuHour: 1n, units: 1 };
    expect(hardwareMismatches(hardware, [offer])).toEqual([]);
    const problems = hardwareMismatches(hardware, [{ ...offer, gpuCount: 8 }, { ...offer, gpuModel: 'a100' }, { ...offer, vramGb: 141 }]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/need 8, 2 detected/);
    expect(problems[1]).toMatch(/no a100 detected/);
    expect(problems[2]).toMatch(/141 GB VRAM/);
    expect(hardwareMismatches({ source: 'declared', reason: 'no nvidia-smi' }, [offer])).toEqual([]);
  });
});

describe('the example config', () => {
  it('is a valid config', () => {
    const cfg = loadConfigFile(join(import.meta.dirname, '../../necto-provider.example.yaml'), { env: { PROVIDER_PRIVATE_KEY: KEY } });
    expect(cfg.offers).toHaveLength(1);
    expect(cfg.policy.denyImages).toEqual(['*miner*']);
    expect(cfg.endpoint).toBe('https://gpu7.example.com:8790');
  });
});
